"""The live service: ``accord serve`` (and ``--init``), and ``accord audit verify``.

Both need the ``server`` extra; without it they say how to install it (exit 2).
The heavy imports (FastAPI, SQLAlchemy, uvicorn) happen inside the commands, so
``accord --help`` stays instant.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import sys
from typing import Any

import typer

from accord.cli import app
from accord.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_NO,
    MAX_WORKERS,
    BadInput,
    bounded,
    handles_errors,
    print_json,
)

#: The largest request body `--max-body` may allow: each request is held in memory.
MAX_BODY = 256 * 1024 * 1024

audit_app = typer.Typer(
    name="audit",
    help="Check the service's audit log.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(audit_app)

_SERVER_MODULES = {
    "fastapi": "fastapi",
    "uvicorn": "uvicorn",
    "sqlalchemy": "sqlalchemy",
    "alembic": "alembic",
    "argon2": "argon2-cffi",
}

DatabaseOption = typer.Option(
    None,
    "--database",
    "-d",
    metavar="URL",
    help="sqlite:///FILE (default sqlite:///accord.db, created on first start) or "
    "postgresql+psycopg://USER@HOST:PORT/DATABASE. Default from ACCORD_DATABASE_URL.",
)


def _require_extra(url: str | None = None) -> None:
    missing = [
        package for module, package in _SERVER_MODULES.items() if importlib.util.find_spec(module) is None
    ]
    if url is not None and url.startswith("postgresql") and importlib.util.find_spec("psycopg") is None:
        missing.append("psycopg[binary]")
    if missing:
        print(
            "error: the service needs the server extra: from the accord checkout, "
            "pip install -e '.[server]' "
            f"(missing: {', '.join(missing)})",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_BAD_INPUT)


def _database_url(given: str | None) -> str:
    from accord.server.settings import DEFAULT_DATABASE

    return given or os.environ.get("ACCORD_DATABASE_URL") or DEFAULT_DATABASE


def _serve_command(url: str, host: str, port: int) -> str:
    """The command that serves what --init just created (the same database, host and port)."""
    import shlex

    from accord.server.settings import DEFAULT_DATABASE

    words = ["accord", "serve"]
    if url != DEFAULT_DATABASE and url != os.environ.get("ACCORD_DATABASE_URL"):
        words += ["--database", _safe(url)]  # a password is never printed
    if host != "127.0.0.1":
        words += ["--host", host]
    if port != 8000:
        words += ["--port", str(port)]
    return " ".join(shlex.quote(word) for word in words)


def _settings(**values: Any) -> Any:
    from accord.server.settings import Settings, SettingsError

    try:
        base = Settings.from_env()
        return base.replace(**{k: v for k, v in values.items() if v is not None})
    except SettingsError as error:
        raise BadInput(str(error)) from None


def _connect_problem(error: Exception, url: str) -> BadInput:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return BadInput(f"cannot open the database {_safe(url)}: {reason}")


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    if "://" in url and "@" in url.split("://", 1)[1]:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def _port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise BadInput(
                f"cannot listen on {host}:{port}: {error.strerror or error}; choose another "
                "--port (or --host)"
            ) from None


@app.command()
@handles_errors
def serve(
    database: str = DatabaseOption,
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."
    ),
    port: int = bounded(8000, "--port", "-p", low=1, high=65535, help="Port to listen on."),
    workers: int = bounded(
        1,
        "--workers",
        "-w",
        low=1,
        high=MAX_WORKERS,
        help="Worker processes (more than one needs PostgreSQL: events reach every "
        "worker through LISTEN/NOTIFY).",
    ),
    scheduler: str = typer.Option(
        None,
        "--scheduler",
        metavar="ADDRESS",
        help="Run slow analytics on an existing Dask scheduler (tcp://HOST:PORT) "
        "instead of a thread of the web process.",
    ),
    init: bool = typer.Option(
        False,
        "--init",
        help="Create the database and the first (administrator) account, print how to log in, and exit.",
    ),
    email: str = typer.Option("admin@localhost", "--email", help="With --init: the first account's email."),
    name: str = typer.Option("Administrator", "--name", help="With --init: the first account's name."),
    max_body: int = bounded(None, "--max-body", low=1024, high=MAX_BODY,
                            help="Largest request body in bytes (default 2 MiB)."),
    secure_cookies: str = typer.Option(
        None, "--secure-cookies", metavar="auto|always|never",
        help="auto (Secure when the request came over HTTPS), always, never.",
    ),
    proxy: str = typer.Option(
        None, "--trusted-proxy", help="Address of a reverse proxy whose X-Forwarded-For/-Proto to trust."
    ),
) -> None:
    """Run the live mediation service (HTTP API under /api/v1, documented at /api/v1/docs).

    The database is created and migrated on start.  Mediators create
    negotiations, invite delegates and observers, publish versions; delegates
    submit confidential preferences, vote, and mark packages acceptable in
    confidence.  See docs/how-to/run-the-service.md.
    """
    url = _database_url(database)
    _require_extra(url)
    settings = _settings(
        database_url=url,
        scheduler=scheduler,
        max_body_bytes=max_body,
        secure_cookies=secure_cookies,
        trusted_proxy=proxy,
    )
    if workers > 1 and settings.dialect == "sqlite":
        raise BadInput(
            "--workers above 1 needs PostgreSQL (--database postgresql+psycopg://…): a SQLite "
            "database serves one process"
        )
    if scheduler is not None and not scheduler.startswith("tcp://"):
        raise BadInput(f"--scheduler: expected tcp://HOST:PORT, got {scheduler!r}")
    from accord.server.db import Database
    from accord.server.db.migrate import upgrade

    db = Database(settings.database_url)
    try:
        upgrade(db.engine)
        accounts = _count_accounts(db)
        if init:
            _initialise(db, settings, accounts, email, name, host, port)
            return
    except BadInput:
        raise
    except Exception as error:
        if type(error).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
            raise _connect_problem(error, url) from None
        raise
    finally:
        db.dispose()
    if accounts == 0:
        print(
            "note: the database has no accounts yet; run `accord serve --init` to create the first one",
            file=sys.stderr,
        )
    _port_free(host, port)
    import uvicorn

    print(
        f"accord serve: {_safe(settings.database_url)} ({workers} worker{'s' if workers > 1 else ''}); "
        f"open http://{host}:{port}/ in a browser; the API is at http://{host}:{port}/api/v1 "
        f"(docs at /api/v1/docs)",
        file=sys.stderr,
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "proxy_headers": True,
        "forwarded_allow_ips": proxy or "127.0.0.1",
        "timeout_graceful_shutdown": 5,
    }
    if workers == 1:
        from accord.server.app import create_app

        uvicorn.run(create_app(settings, migrate=False), **options)
    else:
        os.environ.update(settings.to_env())
        uvicorn.run("accord.server.app:create_app_from_env", factory=True, workers=workers, **options)


def _count_accounts(db: Any) -> int:
    from sqlalchemy import func, select

    from accord.server.db.models import Account

    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Account)) or 0)


def _initialise(db: Any, settings: Any, accounts: int, email: str, name: str, host: str, port: int) -> None:
    from accord.server.audit import ACCOUNTS_CHAIN, Actor, append
    from accord.server.auth import Passwords, normalise_email
    from accord.server.db.models import Account

    if accounts:
        raise BadInput(
            f"the database {_safe(settings.database_url)} is initialised already ({accounts} "
            "account(s)); start it with `accord serve`"
        )
    if "@" not in email:
        raise BadInput(f"--email: expected an email address, got {email!r}")
    password = os.environ.get("ACCORD_INIT_PASSWORD") or secrets.token_urlsafe(15)
    passwords = Passwords(settings)
    passwords.check_strength(password)
    with db.write() as session:
        account = Account(
            email=normalise_email(email), name=name, password_hash=passwords.hash(password), is_admin=True
        )
        session.add(account)
        session.flush()
        append(
            session,
            negotiation_id=None,
            stream=ACCOUNTS_CHAIN,
            action="account.created",
            details={"account": account.id, "is_admin": True, "by": "accord serve --init"},
            actor=Actor(None, None, "localhost"),
            dialect=db.dialect,
        )
    base = f"http://{host}:{port}/api/v1"
    print(
        f"Created the database {_safe(settings.database_url)} and the administrator account:\n"
        f"  email:    {normalise_email(email)}\n"
        f"  password: {password}\n"
        "(shown once; set ACCORD_INIT_PASSWORD to choose it.)\n\n"
        f"Start the service with `{_serve_command(settings.database_url, host, port)}`, "
        f"then open {base.removesuffix('/api/v1')}/ in a browser and sign in with this email and "
        "password; or log in from a script:\n"
        f"  curl -c cookies -H 'Content-Type: application/json' \\\n"
        f'       -d \'{{"email": "{normalise_email(email)}", "password": "…"}}\' {base}/session\n'
        f"or read the API at {base}/docs."
    )


@audit_app.command("verify")
@handles_errors
def audit_verify(
    negotiation: str = typer.Argument(..., help="The negotiation's id (as in /api/v1/negotiations/ID)."),
    database: str = DatabaseOption,
    head: list[str] = typer.Option(
        None,
        "--head",
        help="CHAIN=HASH: a head recorded earlier, which must still be in its chain (repeatable).",
    ),
    json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """Check a negotiation's audit log: every hash link, and that stored texts and preferences match it.

    Exit 0 when the chain verifies, 1 when it does not (each broken link is
    named), 2 for bad input.  Prints each chain's head hash: keep it elsewhere
    and pass it back with --head to detect a rewritten or truncated log.
    """
    url = _database_url(database)
    _require_extra(url)
    heads: dict[str, str] = {}
    for item in head or []:
        chain, _, value = item.partition("=")
        if not chain or len(value) != 64:
            raise BadInput(f"--head: expected CHAIN=HASH (a 64-digit hex hash), got {item!r}")
        heads[chain] = value
    settings = _settings(database_url=url)
    path = settings.sqlite_path
    if path is not None and not path.exists():
        raise BadInput(f"no database at {path} (give --database)")
    from sqlalchemy import select

    from accord.model.suggest import did_you_mean
    from accord.server.audit import verify
    from accord.server.db import Database
    from accord.server.db.models import Negotiation

    db = Database(settings.database_url)
    try:
        with db.read() as session:
            try:
                found = session.get(Negotiation, negotiation)
                known = [] if found is not None else list(session.scalars(select(Negotiation.id)).all())
            except Exception as error:
                raise _connect_problem(error, url) from None
            if found is None:
                hint = did_you_mean(negotiation, known)
                listing = (
                    ""
                    if hint or not known or len(known) > 20
                    else f"; the negotiations are: {', '.join(known)}"
                )
                raise BadInput(f"no negotiation {negotiation!r} in {_safe(url)}{hint}{listing}")
            report = verify(session, negotiation, heads=heads)
    finally:
        db.dispose()
    if json:
        print_json(
            {
                "negotiation": negotiation,
                "ok": report.ok,
                "entries": report.entries,
                "chains": [{"chain": c.chain, "entries": c.entries, "head": c.head} for c in report.chains],
                "problems": report.problems,
            }
        )
    else:
        for problem in report.problems:
            print(f"error: {problem}", file=sys.stderr)
        from accord.views.numbers import plural

        state = "ok" if report.ok else "BROKEN"
        print(f"{state}: negotiation {negotiation}: {plural(len(report.chains), 'chain')}, "
              f"{plural(report.entries, 'entry', 'entries')}")
        for found_chain in report.chains:
            print(f"  {found_chain.chain}  {plural(found_chain.entries, 'entry', 'entries')}  "
                  f"head {found_chain.head}")
    if not report.ok:
        raise typer.Exit(EXIT_NO)
