"""``ssi-leaderboard demo``: a sales team's four weeks of /ssi, shown in the terminal as Slack
would show them."""
