"""What the service is doing: structured logs with request ids, Prometheus metrics, OpenTelemetry traces."""
