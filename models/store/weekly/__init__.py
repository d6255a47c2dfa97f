"""What the weekly run keeps: the post ledger, work leases, boards' queries, uploaded
charts, posted averages and Slack's pauses."""
