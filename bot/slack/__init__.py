"""The Slack door (Bolt for Python): ``create_app`` builds the app; nothing happens at import time."""
