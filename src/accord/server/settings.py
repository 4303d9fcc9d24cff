"""The service's configuration: one frozen object, from ``accord serve`` options or ``ACCORD_*`` variables.

Worker processes started by ``accord serve --workers N`` cannot be handed a
Python object, so every setting has an environment variable and
:meth:`Settings.from_env` reads them back (see ``docs/how-to/run-the-service.md``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

__all__ = ["DEFAULT_DATABASE", "Settings", "SettingsError"]

#: The SQLite file used when no --database is given, beside where the service runs.
DEFAULT_DATABASE = "sqlite:///accord.db"


class SettingsError(ValueError):
    """A setting has a value the service cannot use; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to know; defaults suit one machine on loopback.

    Limits (each is documented in ``docs/reference/api.md``):

    * ``max_body_bytes`` — a request body larger than this gets 413;
    * ``login_failures_per_account`` / ``login_failures_per_address`` within
      ``login_window_seconds`` — further attempts get 429 with ``Retry-After``;
    * ``session_hours`` (absolute) and ``session_idle_hours`` — a session cookie expires then;
    * ``invitation_max_hours`` — the longest an invitation may stay valid;
    * ``login_failures_per_email`` — failed logins for one email from any addresses;
    * ``analysis_queue_max`` — analyses waiting to run (each negotiation: at most one);
    * ``analysis_wait_max_seconds`` — the longest ``?wait=`` on an analysis request;
    * ``chance_samples`` — samples per deal-chance analysis.
    """

    database_url: str = DEFAULT_DATABASE
    #: "auto" = Secure cookies when the request arrived over HTTPS; "always"; "never".
    secure_cookies: str = "auto"
    max_body_bytes: int = 2 * 1024 * 1024
    session_hours: float = 24.0 * 14
    session_idle_hours: float = 24.0
    invitation_max_hours: float = 24.0 * 30
    login_window_seconds: float = 15 * 60
    login_failures_per_account: int = 5
    login_failures_per_address: int = 30
    #: Failed logins for one email from any addresses (guesses spread over many addresses).
    login_failures_per_email: int = 50
    #: argon2id cost: 19 MiB, 2 passes, 1 lane (the OWASP Password Storage Cheat Sheet's baseline;
    #: RFC 9106's 64 MiB, t=3, p=4 costs about 1 s of this 2-core machine per login).
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19 * 1024
    argon2_parallelism: int = 1
    #: Dask scheduler address for slow analytics (tcp://host:port); None = a thread in this process.
    scheduler: str | None = None
    analysis_threads: int = 1
    #: Analyses waiting to run in a worker process, all negotiations together (each negotiation has
    #: at most one waiting: a newer input replaces the one not yet started).
    analysis_queue_max: int = 32
    analysis_wait_max_seconds: float = 10.0
    chance_samples: int = 20_000
    #: Seconds between SSE keep-alive comments (and the fallback poll for new events).
    event_keepalive_seconds: float = 15.0
    #: Trust X-Forwarded-For/-Proto from this proxy address (None: use the socket's peer).
    trusted_proxy: str | None = None

    def __post_init__(self) -> None:
        if not self.database_url:
            raise SettingsError(
                "database: expected a URL such as sqlite:///accord.db or postgresql+psycopg://user@host/db"
            )
        scheme = self.database_url.split(":", 1)[0]
        if scheme not in {"sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"}:
            raise SettingsError(
                f"database: unsupported URL scheme {scheme!r}; expected sqlite:///FILE "
                "or postgresql+psycopg://USER@HOST:PORT/DATABASE"
            )
        if self.secure_cookies not in {"auto", "always", "never"}:
            raise SettingsError(
                f"secure_cookies: expected auto, always or never, got {self.secure_cookies!r}"
            )
        positive = (
            "max_body_bytes",
            "session_hours",
            "session_idle_hours",
            "invitation_max_hours",
            "login_window_seconds",
            "login_failures_per_account",
            "login_failures_per_address",
            "login_failures_per_email",
            "argon2_time_cost",
            "argon2_memory_kib",
            "argon2_parallelism",
            "analysis_threads",
            "analysis_queue_max",
            "analysis_wait_max_seconds",
            "chance_samples",
            "event_keepalive_seconds",
        )
        for name in positive:
            if not getattr(self, name) > 0:
                raise SettingsError(f"{name}: must be positive, got {getattr(self, name)!r}")
        if self.argon2_memory_kib < 8 * self.argon2_parallelism:
            raise SettingsError("argon2_memory_kib: must be at least 8 × argon2_parallelism (argon2's rule)")

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self.database_url.startswith("sqlite") else "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        """The database file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
        if self.dialect != "sqlite":
            return None
        path = self.database_url.split(":///", 1)[1] if ":///" in self.database_url else ""
        return None if path in {"", ":memory:"} else Path(path.split("?", 1)[0])

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    # -- environment (for worker processes) ----------------------------------

    def to_env(self) -> dict[str, str]:
        """``ACCORD_*`` variables that :meth:`from_env` turns back into these settings."""
        env = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None:
                env[_env_name(field.name)] = str(value)
        return env

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = environ.get(_env_name(field.name))
            if raw is None:
                continue
            kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
            try:
                if kind.startswith("int"):
                    values[field.name] = int(raw)
                elif kind.startswith("float"):
                    values[field.name] = float(raw)
                else:
                    values[field.name] = raw
            except ValueError:
                raise SettingsError(f"{_env_name(field.name)}: expected a number, got {raw!r}") from None
        return cls(**values)  # type: ignore[arg-type]


def _env_name(field: str) -> str:
    return "ACCORD_" + field.upper()
