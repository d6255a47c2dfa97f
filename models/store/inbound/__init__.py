"""What came in already: Events API deliveries and signed requests, remembered to take
each in once."""
