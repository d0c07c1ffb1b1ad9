"""The CLI's HTTP side: find a running `strategy-assistant serve` and call its API.

It imports only httpx (no model, no index), so a command answered by a warm server starts in a
fraction of a second. The server's JSON errors come back as ServiceErrors, so the CLI prints them
exactly as it prints its own.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from httpx_sse import SSEError, connect_sse
from pydantic import BaseModel, ValidationError

from service.contracts import (
    Answer,
    AnswerEvent,
    Briefing,
    BriefingLength,
    Checklist,
    CitationsEvent,
    Review,
    SignalRecord,
)
from service.errors import ServiceError

#: Where `serve` listens by default; the CLI uses it only when something answers there.
DEFAULT_SERVER_URL = "http://127.0.0.1:8000"
#: How long the default server may take to answer /healthz before the command runs in-process.
PROBE_TIMEOUT_S = 0.3
#: A generated answer, a checklist tailored by a model or a briefing may take minutes (model timeouts, retries, fallbacks).
READ_TIMEOUT_S = 300.0
#: Values of --server / STRATEGY_SERVER_URL that mean "run in this process".
IN_PROCESS = frozenset({"none", "off", "local"})

C = TypeVar("C", bound=BaseModel)


class RemoteError(ServiceError):
    """An error the server answered with: its code, message and details."""

    def __init__(self, code: str, message: str, *, status_code: int, details: dict | list | None = None):
        super().__init__(
            message, details=details if isinstance(details, dict) else ({"errors": details} if details else None)
        )
        self.code = code
        self.status_code = status_code


class ServerUnavailableError(ServiceError):
    code = "server_unavailable"
    status_code = 503


class InvalidServerUrlError(ServiceError):
    code = "invalid_server_url"
    status_code = 422


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ServerClient:
    """Calls one running server; every method returns what the in-process service returns."""

    def __init__(self, base_url: str, api_key: str | None = None, *, timeout: httpx.Timeout | None = None):
        self.base_url = base_url.rstrip("/")
        headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout or httpx.Timeout(READ_TIMEOUT_S, connect=5.0),
            # A proxy from the environment must not sit between the CLI and a server on this machine.
            trust_env=not _is_loopback(self.base_url),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def healthy(self) -> bool:
        """True when a strategy-assistant server answers /healthz."""
        try:
            response = self._http.get("/healthz")
            return response.status_code == 200 and response.json().get("status") == "ok"
        except (httpx.HTTPError, ValueError, AttributeError):
            return False

    # --- the API calls ------------------------------------------------------------------------

    def search(self, query: str, top_k: int) -> dict:
        return self._call("POST", "/v1/search", {"query": query, "top_k": top_k}).json()

    def ask(self, question: str, model: str | None = None) -> Answer:
        return self._read(Answer, self._call("POST", "/v1/ask", {"question": question, "model": model}))

    def ask_stream(self, question: str, model: str | None = None) -> Iterator[AnswerEvent]:
        """The /v1/ask Server-Sent Events as (name, data), like AnswerService.stream; ends with ("done", answer)."""
        body = {"question": question, "model": model, "stream": True}
        with _transport_errors(self.base_url), connect_sse(self._http, "POST", "/v1/ask", json=body) as source:
            if source.response.status_code >= 400:
                source.response.read()
                raise self._error(source.response)
            try:
                for event in source.iter_sse():
                    if not event.event or event.event == "message":
                        continue  # keep-alive pings
                    data = json.loads(event.data) if event.data else {}
                    if event.event == "error":
                        raise self._error_from(data, 500)
                    if event.event == "citations":
                        yield event.event, self._read(CitationsEvent, source.response, event.data)
                    elif event.event == "done":
                        yield event.event, self._read(Answer, source.response, event.data)
                        return
                    else:
                        yield event.event, data
            except SSEError as exc:
                raise ServerUnavailableError(
                    f"{self.base_url} did not answer with an event stream ({exc}); is it a strategy-assistant server?"
                ) from None
        raise ServerUnavailableError(
            f"The answer stream from {self.base_url} ended before the answer was complete; retry."
        )

    def checklist(
        self, context: str, currents: list[str] | None, horizon_months: int | None, model: str | None
    ) -> Checklist:
        body = {"context": context, "currents": currents, "horizon_months": horizon_months, "model": model}
        return self._read(Checklist, self._call("POST", "/v1/checklist", body))

    def briefing(self, topic: str, audience: str | None, length: BriefingLength, model: str | None) -> Briefing:
        body = {"topic": topic, "audience": audience, "length": length, "model": model}
        return self._read(Briefing, self._call("POST", "/v1/briefing", body))

    def briefing_html(self, topic: str, audience: str | None, length: BriefingLength, model: str | None) -> str:
        body = {"topic": topic, "audience": audience, "length": length, "model": model}
        return self._call("POST", "/v1/briefing", body, params={"format": "html"}).text

    def record_signal(self, text: str, observed_on: dt.date | None, source_url: str | None) -> SignalRecord:
        body = {"text": text, "observed_on": observed_on.isoformat() if observed_on else None, "source_url": source_url}
        return self._read(SignalRecord, self._call("POST", "/v1/signals", body))

    def review(self, as_of: dt.date | None) -> Review:
        body = {"as_of": as_of.isoformat() if as_of else None}
        return self._read(Review, self._call("POST", "/v1/review", body))

    # --- plumbing -----------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: dict, **kwargs) -> httpx.Response:
        with _transport_errors(self.base_url):
            response = self._http.request(method, path, json=_without_none(body), **kwargs)
        if response.status_code >= 400:
            raise self._error(response)
        return response

    def _read(self, contract: type[C], response: httpx.Response, data: str | None = None) -> C:
        """The server's JSON (the response body, or one event's data) as the contract the in-process service returns."""
        try:
            # A tolerant reader: a newer server's added fields are ignored (builders in the service stay strict).
            return contract.model_validate_json(response.content if data is None else data, extra="ignore")
        except ValidationError:
            raise RemoteError(
                "unexpected_response",
                f"{self.base_url} answered {response.request.url.path} with JSON that is not a {contract.__name__}; "
                "is it a strategy-assistant server of this version?",
                status_code=response.status_code,
            ) from None

    def _error(self, response: httpx.Response) -> ServiceError:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return self._error_from(body, response.status_code)
        return RemoteError(
            f"http_{response.status_code}",
            f"{self.base_url} answered HTTP {response.status_code} without an error body; is it a strategy-assistant server?",
            status_code=response.status_code,
        )

    def _error_from(self, body: dict, status: int) -> ServiceError:
        error = body.get("error") or {}
        code, message = str(error.get("code", "service_error")), str(error.get("message", "The server failed."))
        if code == "unauthorized":
            message += " From the CLI: pass --api-key or set STRATEGY_API_KEY."
        return RemoteError(code, message, status_code=status, details=error.get("details"))


@contextmanager
def _transport_errors(base_url: str) -> Iterator[None]:
    """Turns a connection failure into a ServiceError that says what to do."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ServerUnavailableError(
            f"{base_url} did not answer in time ({type(exc).__name__}); retry, or pass --server none to run in this process."
        ) from None
    except httpx.TransportError as exc:
        raise ServerUnavailableError(
            f"No strategy-assistant server answers at {base_url} ({exc or type(exc).__name__}). "
            "Start one with `strategy-assistant serve`, or pass --server none (STRATEGY_SERVER_URL=none) to run in this process."
        ) from None


def _without_none(body: dict) -> dict:
    """Leave out unset options so the server applies its defaults, as the in-process call does."""
    return {k: v for k, v in body.items() if v is not None}


def connect(server: str | None, api_key: str | None = None) -> ServerClient | None:
    """The server a command should call, or None to run it in this process.

    server: a URL (used as given; a failure is an error, never a silent in-process run), "none" (in-process),
    or None/"" (the default server if it answers /healthz within PROBE_TIMEOUT_S, else in-process)."""
    value = (server or "").strip()
    if value.lower() in IN_PROCESS:
        return None
    if not value:
        probe = ServerClient(DEFAULT_SERVER_URL, api_key, timeout=httpx.Timeout(PROBE_TIMEOUT_S))
        with probe:
            if not probe.healthy():
                return None
        return ServerClient(DEFAULT_SERVER_URL, api_key)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidServerUrlError(
            f"--server {value!r} is not a URL: use e.g. {DEFAULT_SERVER_URL}, or none to run in this process."
        )
    return ServerClient(value, api_key)
