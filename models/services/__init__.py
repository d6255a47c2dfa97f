"""The acts of the app, between Slack's listeners (and the weekly run, and the CLI) and the
store: each takes the connection of the caller's transaction and returns plain results for
``render`` to draw. Rules come from ``models.domain``, SQL from ``models.store``; no Slack
here. A listener makes one call into this package and imports nothing of the store."""
