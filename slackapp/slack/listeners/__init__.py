"""One module per concept, each a class (or functions) with ``register(app)``: parse,
one service call, render, answer."""
