"""The one place that reads the environment; everything else receives a ``Settings``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _bundled_or_local(name: str) -> Path:
    """``./name`` when the current folder has one, else the samples shipped beside the package."""
    local = Path(name)
    return local if local.is_dir() or not (REPO_ROOT / name).is_dir() else REPO_ROOT / name


@dataclass(frozen=True)
class Settings:
    """Every knob Leeway has. Command-line flags override ``LEEWAY_*`` variables, which override defaults."""

    playbooks: Path
    policies: Path
    db: Path = Path("leeway.db")
    lang: str | None = None
    encoder: str | None = None
    cache_dir: Path | None = None
    reload_seconds: float = 2.0
    # Slack (``leeway serve``); secrets are kept out of ``repr`` so they never reach a log line
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_api_url: str | None = None
    port: int = 3000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Build settings from an environment mapping (``os.environ`` by default) and explicit overrides.

        >>> Settings.from_env({"LEEWAY_DB": "/tmp/x.db"}).db
        PosixPath('/tmp/x.db')
        """
        env = os.environ if environ is None else environ
        values: dict = {
            "playbooks": env.get("LEEWAY_PLAYBOOKS") or _bundled_or_local("playbooks"),
            "policies": env.get("LEEWAY_POLICIES") or _bundled_or_local("policies"),
            "db": env.get("LEEWAY_DB") or "leeway.db",
            "lang": env.get("LEEWAY_LANG"),
            "encoder": env.get("LEEWAY_ENCODER"),
            "cache_dir": env.get("LEEWAY_CACHE_DIR"),
            "reload_seconds": env.get("LEEWAY_RELOAD_SECONDS") or 2.0,
            "slack_bot_token": env.get("SLACK_BOT_TOKEN"),
            "slack_app_token": env.get("SLACK_APP_TOKEN"),
            "slack_signing_secret": env.get("SLACK_SIGNING_SECRET"),
            "slack_api_url": env.get("SLACK_API_URL"),
            "port": env.get("LEEWAY_PORT") or 3000,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**_coerce(values))

    def with_overrides(self, **overrides) -> "Settings":
        return replace(self, **_coerce({k: v for k, v in overrides.items() if v is not None}))


def _coerce(values: dict) -> dict:
    types = {f.name: f.type for f in fields(Settings)}
    out = {}
    for key, value in values.items():
        kind = types[key]
        if value is None or value == "":
            out[key] = None if "None" in kind else value
        elif "Path" in kind:
            out[key] = Path(value)
        elif kind == "float":
            out[key] = float(value)
        elif kind == "int":
            out[key] = int(value)
        else:
            out[key] = value
    return out
