"""Slack's payloads read into domain values: command text, form values, the
workspace a request concerns. Pure: no database, no Slack call."""
