"""What an operator can graph and alert on, in Prometheus' format (``/metrics``)."""
