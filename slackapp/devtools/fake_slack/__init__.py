"""The fake Slack: a real HTTP server on 127.0.0.1 (``server.FakeSlack``) answering the Web
API as Slack does, with its files, messages, people, installs, rate limits and Socket Mode."""
