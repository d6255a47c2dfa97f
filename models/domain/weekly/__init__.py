"""The weekly numbers of a team: members' weeks, their board, and team standings."""
