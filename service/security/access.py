"""Route dependencies for /v1/*: bearer API keys (when any exist), per-key rate limits, throttled key guessing."""

from __future__ import annotations

import ipaddress
import logging
import math

from fastapi import Request
from limits import parse

from service.errors import ServiceError
from service.storage.shared import RedisLink, SharedLimiter

log = logging.getLogger(__name__)

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

    def __init__(self, keys, settings, redis: RedisLink | None = None):
        self._keys = keys
        self._settings = settings
        # In Redis when configured, so the limits hold across replicas (each process's memory while Redis is down).
        self._limiter = SharedLimiter(redis, "api")
        self._limit = parse(settings.rate_limit)
        self._failure_limiter = SharedLimiter(redis, "auth-failures")
        self._failure_limit = parse(settings.auth_failure_limit)

    def identify(self, request: Request) -> str:
        """The caller's identity for rate limiting: its key id, or its address when access is open."""
        client = request.client.host if request.client else "unknown"
        if self._keys.has_active_keys():
            return f"key:{self._verified_key(request, client)}"
        if not (self._settings.allow_open_access or bound_to_loopback(self._settings.host)):
            raise AuthenticationError(
                "No API keys exist and the service is bound beyond 127.0.0.1: create a key with `strategy-assistant keys create`, "
                "or set STRATEGY_ALLOW_OPEN_ACCESS=true to serve without keys."
            )
        return f"client:{client}"

    def _verified_key(self, request: Request, client: str) -> str:
        """The id of the presented key. A client that keeps presenting wrong keys is throttled before any check,
        so keys cannot be guessed at the speed of the server."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError(
                "This service needs an API key: send 'Authorization: Bearer <key>' (create one with `strategy-assistant keys create`)."
            )
        failures = f"auth-failures:{client}"
        if not self._failure_limiter.test(self._failure_limit, failures):
            raise self._too_many(
                self._failure_limiter,
                self._failure_limit,
                failures,
                f"Too many wrong API keys from this client (limit {self._settings.auth_failure_limit})",
            )
        key = self._keys.verify(token)
        if key is not None:
            return key.id
        self._failure_limiter.hit(self._failure_limit, failures)
        # The client and the route only: never the presented key, not even a prefix of it.
        log.warning("API key refused: unknown or revoked", extra={"client": client, "route": request.url.path})
        raise AuthenticationError(
            "The API key is not valid or was revoked; ask an admin for a key (`strategy-assistant keys create`)."
        )

    def _too_many(self, limiter: SharedLimiter, limit, identity: str, what: str) -> RateLimitedError:
        retry_after = max(1, math.ceil(limiter.seconds_to_reset(limit, identity)))
        return RateLimitedError(f"{what}; retry in {retry_after} s.", headers={"Retry-After": str(retry_after)})

    def check_rate(self, identity: str) -> None:
        if not self._limiter.hit(self._limit, identity):
            raise self._too_many(
                self._limiter, self._limit, identity, f"Rate limit of {self._settings.rate_limit} reached"
            )


async def require_access(request: Request) -> None:
    """The dependency every /v1 route carries."""
    access: AccessControl = request.app.state.access
    identity = access.identify(request)
    request.state.caller = identity
    access.check_rate(identity)
