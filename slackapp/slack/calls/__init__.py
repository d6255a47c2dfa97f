"""Calls out to Slack: the paced client, workspaces' tokens, chart files, channel
members, App Home publishing, the rights Slack vouches for."""
