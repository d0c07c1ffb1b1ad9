"""The service's own error types: each has a stable code, an HTTP status and a fix-it message."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error we raise on purpose; the API maps it to one JSON shape."""

    code = "service_error"
    status_code = 500

    def __init__(self, message: str, *, details: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return {"error": body}


class CorpusError(ServiceError):
    """A corpus document cannot be read; the message names the file and the problem."""

    code = "corpus_invalid"
    status_code = 500


class IndexNotReadyError(ServiceError):
    code = "index_not_ready"
    status_code = 503


class StoreUnavailableError(ServiceError):
    code = "store_unavailable"
    status_code = 503


class EmbeddingModelError(ServiceError):
    code = "embedding_model_unavailable"
    status_code = 500


class InvalidRequestError(ServiceError):
    code = "invalid_request"
    status_code = 422
