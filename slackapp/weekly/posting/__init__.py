"""Sending a tick's posts: once each, paced per channel, found again after an unknown
outcome."""
