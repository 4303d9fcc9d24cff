"""A parent that has imported the service once and forks a fresh server process on request.

Used by the kill -9 test: ``start PORT`` forks a child that builds the app over
the database given on the command line and serves it with uvicorn; the parent
answers with the child's pid, and the test kills that child with SIGKILL.  The
child is a complete server process; forking from a warm parent only saves the
second or two that importing FastAPI, SQLAlchemy and accord takes, so that 50
kills fit in a minute.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    database_url = sys.argv[1]
    import uvicorn
    import uvicorn.loops.auto
    import uvicorn.protocols.http.auto

    # Everything a request or an analysis imports, so that each forked server starts at once.
    from accord.server.app import create_app
    from accord.server.settings import Settings

    settings = Settings.from_env().replace(database_url=database_url)
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        while True:  # reap children killed since the last command
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        if command == "quit":
            return
        if command != "start":
            continue
        child = os.fork()
        if child == 0:
            try:
                app = create_app(settings, migrate=False)
                uvicorn.run(app, host="127.0.0.1", port=int(argument), log_level="error")
            finally:
                os._exit(0)
        print(child, flush=True)


if __name__ == "__main__":
    main()
