"""The HTTP layer: FastAPI routes, request and response schemas, error mapping."""
