"""How one web server runs: who may use it and how its pages behave.

Built from the ``piri serve`` options and the environment, checked once at start-up, and
passed to :func:`piri.web.app.create_app`. Nothing else in the web layer reads the
environment.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import secrets
from dataclasses import dataclass, field

SECRET_KEY_VARIABLE = "PIRI_SECRET_KEY"
MULTI_USER_VARIABLE = "PIRI_MULTI_USER"
TIMER_PACE_VARIABLE = "PIRI_TIMER_PACE"
MAX_UPLOAD_MB_VARIABLE = "PIRI_MAX_UPLOAD_MB"
MAX_UPLOADS_VARIABLE = "PIRI_MAX_UPLOADS"
UPLOAD_WINDOW_VARIABLE = "PIRI_UPLOAD_WINDOW_MINUTES"
GAIT_WORKER_VARIABLE = "PIRI_GAIT_WORKER"
GAIT_WORKER_MODES = ("process", "thread", "off")
# How ``piri serve --workers N`` hands its checked configuration to each worker process.
WORKER_CONFIG_VARIABLE = "PIRI_WORKER_CONFIG"


class ConfigError(ValueError):
    """A server setting that would be unsafe or cannot work; the message says which."""


@dataclass(frozen=True)
class WebConfig:
    multi_user: bool = False
    # Signs session cookies. A random one is fine on a loopback address (sessions end when
    # the server restarts); anywhere else in multi-user mode it must be configured.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    secret_key_configured: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    # Host headers the server answers to; None answers every host (tests, behind a proxy
    # that checks them). ``piri serve`` on a loopback address allows only loopback names,
    # which stops DNS-rebinding pages from reading a person's data.
    allowed_hosts: tuple[str, ...] | None = None
    # Speeds up the session player's timers (tests and demos): 0.1 runs them 10x faster.
    timer_pace: float = 1.0
    # Cookies only over HTTPS; off on plain-HTTP loopback.
    secure_cookies: bool = False
    login_attempts_per_minute: int = 5
    # The largest upload of runs (all files of one request together); None is
    # piri.web.api.runs.DEFAULT_MAX_UPLOAD_BYTES (1 GB: a ten-year Garmin export fits).
    max_upload_bytes: int | None = None
    # The largest body of any other request (a form, JSON); restoring an export has its own
    # limit (piri.web.limits.MAX_EXPORT_BYTES).
    max_body_bytes: int = 1024 * 1024
    # Uploads (runs, an export restored) per person, or per address without a sign-in, in
    # any stretch of upload_window_minutes; more are answered 429.
    uploads_per_window: int = 30
    upload_window_minutes: int = 10
    # How uploaded gait clips are analysed (piri.services.gait_worker): "process" (a
    # background process), "thread" (in this process; tests) or "off" (piri gait-worker).
    gait_worker: str = "process"

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_config(host: str, port: int, multi_user: bool | None = None) -> WebConfig:
    """The configuration of ``piri serve``: refuses unsafe combinations with the reason."""
    if multi_user is None:
        multi_user = os.environ.get(MULTI_USER_VARIABLE, "").strip().lower() in ("1", "true", "yes")
    loopback = is_loopback(host)
    secret = os.environ.get(SECRET_KEY_VARIABLE, "").strip()
    if not loopback and not multi_user:
        raise ConfigError(
            f"Single-person mode has no login, so it only listens on this computer "
            f"(127.0.0.1), not on {host}. Use --multi-user to share a server."
        )
    if multi_user and not loopback and not secret:
        raise ConfigError(
            f"Multi-user mode on {host} needs a secret key for its session cookies: set "
            f"{SECRET_KEY_VARIABLE} to a long random value (for example the output of "
            f"'python -c \"import secrets; print(secrets.token_urlsafe(32))\"')."
        )
    if secret and len(secret) < 32:
        raise ConfigError(f"{SECRET_KEY_VARIABLE} is too short: use at least 32 characters.")
    pace = _timer_pace(os.environ.get(TIMER_PACE_VARIABLE, "").strip())
    upload_mb = _whole_number(
        MAX_UPLOAD_MB_VARIABLE, os.environ.get(MAX_UPLOAD_MB_VARIABLE, ""), 1, 100 * 1024
    )
    uploads = _whole_number(
        MAX_UPLOADS_VARIABLE, os.environ.get(MAX_UPLOADS_VARIABLE, ""), 1, 100_000
    )
    window = _whole_number(
        UPLOAD_WINDOW_VARIABLE, os.environ.get(UPLOAD_WINDOW_VARIABLE, ""), 1, 24 * 60
    )
    gait_worker = os.environ.get(GAIT_WORKER_VARIABLE, "").strip().lower() or "process"
    if gait_worker not in GAIT_WORKER_MODES:
        raise ConfigError(
            f"{GAIT_WORKER_VARIABLE} must be one of {', '.join(GAIT_WORKER_MODES)}, "
            f"not '{gait_worker}'."
        )
    allowed = ("127.0.0.1", "localhost", "[::1]", "::1") if loopback else None
    extra = () if allowed is None or host in allowed else (host,)
    return WebConfig(
        multi_user=multi_user,
        secret_key=secret or secrets.token_urlsafe(32),
        secret_key_configured=bool(secret),
        host=host,
        port=port,
        allowed_hosts=None if allowed is None else allowed + extra,
        timer_pace=pace,
        secure_cookies=not loopback,
        max_upload_bytes=None if upload_mb is None else upload_mb * 1024 * 1024,
        uploads_per_window=uploads or WebConfig.uploads_per_window,
        upload_window_minutes=window or WebConfig.upload_window_minutes,
        gait_worker=gait_worker,
    )


def for_workers(config: WebConfig) -> str:
    """The configuration as text for worker processes: all of them sign cookies with the one
    secret key, so a page served by one worker may be posted back to another."""
    return json.dumps(dataclasses.asdict(config))


def worker_config() -> WebConfig:
    """In a worker process: the configuration :func:`for_workers` wrote to the environment."""
    text = os.environ.get(WORKER_CONFIG_VARIABLE, "")
    if not text:
        raise ConfigError(f"{WORKER_CONFIG_VARIABLE} is not set: start workers with piri serve.")
    try:
        fields = json.loads(text)
        if fields.get("allowed_hosts") is not None:
            fields["allowed_hosts"] = tuple(fields["allowed_hosts"])
        return WebConfig(**fields)
    except (ValueError, TypeError, AttributeError) as problem:
        raise ConfigError(
            f"{WORKER_CONFIG_VARIABLE} is not a worker configuration: {problem}"
        ) from None


def _timer_pace(text: str) -> float:
    if not text:
        return 1.0
    try:
        pace = float(text)
    except ValueError:
        raise ConfigError(f"{TIMER_PACE_VARIABLE} must be a number, not '{text}'.") from None
    if not 0 < pace <= 10:
        raise ConfigError(f"{TIMER_PACE_VARIABLE} must be above 0 and at most 10, not {pace}.")
    return pace


def _whole_number(variable: str, value: str, lowest: int, highest: int) -> int | None:
    """The variable's ``value``, a whole number from ``lowest`` to ``highest``; None when it
    is not set."""
    text = value.strip()
    if not text:
        return None
    whole = text.isascii() and text.isdigit() and len(text) <= 9
    if not whole or not lowest <= int(text) <= highest:
        raise ConfigError(
            f"{variable} must be a whole number from {lowest} to {highest}, not '{text}'."
        )
    return int(text)
