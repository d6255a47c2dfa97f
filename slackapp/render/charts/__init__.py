"""Charts as pictures: a person's trend and a team's week, drawn into PNGs."""
