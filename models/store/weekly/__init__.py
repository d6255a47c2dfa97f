"""What the weekly run keeps: the post ledger, work leases (both timed by the database's
clock), boards' queries, uploaded charts, posted averages and Slack's pauses."""
