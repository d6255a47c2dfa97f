"""The five languages the app speaks: which one a message is in, the catalogs, and how
numbers and dates are written in each (``speech``)."""
