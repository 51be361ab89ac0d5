"""JSON Schemas of the two file kinds, so editors autocomplete and underline mistakes as policy owners type."""

from __future__ import annotations

import json
from pathlib import Path

from bot.models import Playbook, PolicyFile

SCHEMAS = {"playbook.schema.json": Playbook, "policy.schema.json": PolicyFile}


def schema_documents() -> dict[str, str]:
    """File name -> JSON text, stable (sorted keys) so the committed copies can be compared."""
    documents = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        documents[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return documents


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
