"""Route dependencies for /v1/*: bearer API keys (when any exist) and per-key rate limits."""

from __future__ import annotations

import ipaddress
import math
import time

from fastapi import Request
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from service.errors import ServiceError

_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


class AuthenticationError(ServiceError):
    code = "unauthorized"
    status_code = 401

    def __init__(self, message: str):
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class RateLimitedError(ServiceError):
    code = "rate_limited"
    status_code = 429


def bound_to_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class AccessControl:
    """Who may call /v1/*: a valid key when keys exist; otherwise only a loopback-bound or explicitly open service."""

    def __init__(self, keys, settings):
        self._keys = keys
        self._settings = settings
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._limit = parse(settings.rate_limit)

    def identify(self, request: Request) -> str:
        """The caller's identity for rate limiting: its key id, or its address when access is open."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if self._keys.has_active_keys():
            if scheme.lower() != "bearer" or not token:
                raise AuthenticationError("This service needs an API key: send 'Authorization: Bearer <key>' (create one with `strategy-assistant keys create`).")
            key = self._keys.verify(token.strip())
            if key is None:
                raise AuthenticationError("The API key is not valid or was revoked; ask an admin for a key (`strategy-assistant keys create`).")
            return f"key:{key.id}"
        if not (self._settings.allow_open_access or bound_to_loopback(self._settings.host)):
            raise AuthenticationError(
                "No API keys exist and the service is bound beyond 127.0.0.1: create a key with `strategy-assistant keys create`, "
                "or set STRATEGY_ALLOW_OPEN_ACCESS=true to serve without keys."
            )
        return f"client:{request.client.host if request.client else 'unknown'}"

    def check_rate(self, identity: str) -> None:
        if not self._limiter.hit(self._limit, identity):
            reset, _ = self._limiter.get_window_stats(self._limit, identity)
            retry_after = max(1, math.ceil(reset - time.time()))
            raise RateLimitedError(
                f"Rate limit of {self._settings.rate_limit} reached; retry in {retry_after} s.",
                headers={"Retry-After": str(retry_after)},
            )


async def require_access(request: Request) -> None:
    """The dependency every /v1 route carries."""
    access: AccessControl = request.app.state.access
    identity = access.identify(request)
    request.state.caller = identity
    access.check_rate(identity)
