"""The request's way in: from Slack's HTTP request or websocket frame, through
Bolt's middleware (one module each), to the listener the routing table names."""
