"""``python -m bot`` is the ``leeway`` command."""

import sys

from bot.cli import main

sys.exit(main())
