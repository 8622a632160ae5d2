"""``nelm serve``: the tumour-board web application and REST API.

uvicorn, FastAPI and SQLAlchemy are imported inside the command, so registering it costs
nothing when another command runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from nelm.errors import Problem


def _in_range(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``. The range is the option's metavar rather
    than typer's "<int range> [1<=x<=65535]", whose width, on an 80-column terminal, cut
    the --no-proxy-headers flag to "--no-proxy-heade…"."""

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise typer.BadParameter(f"{raw!r} is not a whole number") from None
        if not low <= value <= high:
            raise typer.BadParameter(f"{value} is not in the range {low}–{high}")
        return value

    return parse


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(help="Port to listen on.", metavar="<1-65535>", parser=_in_range(1, 65535)),
    ] = 8000,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="Database URL (default: NELM_DATABASE_URL or ./nelm.sqlite).",
            show_default=False,
        ),
    ] = None,
    examples: Annotated[
        bool,
        typer.Option("--examples/--no-examples", help="Store the packaged example cases at start."),
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="Address users open (printed in the one-time login link); "
            "default http://HOST:PORT.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes (each with its own connection pool); 1 runs in this process.",
            metavar="<1-64>",
            parser=_in_range(1, 64),
        ),
    ] = 1,
    login_link_file: Annotated[
        Path | None,
        typer.Option(
            "--login-link-file",
            help="File for the one-time login address when the output is not a "
            "terminal (default: beside the SQLite file).",
            show_default=False,
        ),
    ] = None,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Trust the X-Forwarded-Proto and X-Forwarded-For headers of a reverse "
            "proxy on loopback (https termination; cookies then get the Secure flag). "
            "Off by default.",
            show_default=False,
        ),
    ] = False,
) -> None:
    """Run the web application (pages and REST API) with its case store."""
    try:
        import uvicorn

        from nelm.store import database_url, describe_url
        from nelm.web.app import create_app
        from nelm.web.logs import configure_logging
        from nelm.web.settings import Settings
    except ImportError as exc:
        raise typer.BadParameter(
            f"the web application needs the 'web' extra: pip install 'nelm[web]' ({exc.name} "
            "is missing)"
        ) from exc

    configure_logging()  # nelm.web.logs: no URL, no migration text at INFO
    _check_free(host, port)  # before the store is made and a login address printed
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = public_url or f"http://{shown_host}:{port}"
    url = database_url(database)
    from nelm.web.bootstrap import login_link_path

    # A login secret printed into a service log (journald, docker logs) stays readable
    # there: printed only on a terminal, else written to an owner-only file.
    link_file = None if sys.stdout.isatty() else (login_link_file or login_link_path(url))
    typer.echo(f"nelm: case store {describe_url(url)}", err=True)
    from sqlalchemy.exc import OperationalError

    from nelm.cli._common import unopenable_database
    from nelm.store.migrate import SchemaStateError

    try:
        from nelm.interop.fhir.size import max_bundle_bytes

        app = create_app(
            Settings(
                database_url=url,
                load_examples=examples,
                public_url=address,
                max_body_bytes=max_bundle_bytes(),
                login_link_file=link_file.absolute() if link_file else None,
            )
        )
    except SchemaStateError as exc:  # the message says what was found and how to recover
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc  # exit status 1: the store, not the input, is wrong
    except ValueError as exc:
        from nelm.errors import InputRejected

        raise InputRejected(
            [Problem("--database", "a sqlite:/// or postgresql+psycopg:// URL", str(exc))]
        ) from exc
    except OperationalError as exc:  # the server is down, the file cannot be created, …
        raise unopenable_database(url, exc) from None
    except OSError as exc:  # the login address's file cannot be written
        typer.echo(
            f"error: cannot write the one-time login address to {link_file}: "
            f"{exc.strerror or exc}; name a writable place with --login-link-file, or start "
            "nelm serve in a terminal to have it printed",
            err=True,
        )
        raise SystemExit(1) from None
    typer.echo(f"nelm: open {address}/ in a browser (Ctrl+C stops the server)", err=True)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,
        "log_level": "info",
        "proxy_headers": proxy_headers,
        "forwarded_allow_ips": "127.0.0.1",
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(app, **options)
        return
    app.state.store.close()
    os.environ["NELM_DATABASE_URL"] = url
    if link_file is not None:  # the worker that serves the address removes the file
        os.environ["NELM_LOGIN_LINK_FILE"] = str(link_file.absolute())
    from nelm.web.workers import balanced_workers_available, run_balanced_workers

    if not balanced_workers_available():
        uvicorn.run("nelm.web.app:create_worker_app", factory=True, workers=workers, **options)
        return
    config = uvicorn.Config(
        "nelm.web.app:create_worker_app", factory=True, workers=workers, **options
    )
    try:
        with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run: Ctrl+C stops quietly
            run_balanced_workers(config)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        typer.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def _check_free(host: str, port: int) -> None:
    """Refuse, naming ``--port``, a port another program listens on: uvicorn would start,
    print its log and stop with "[Errno 98] … address already in use" (a second
    ``make run``, a server left running)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return  # an address that does not resolve is uvicorn's to report
    family, kind, proto, _, where = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(where)
        except OSError as exc:
            from nelm.errors import InputRejected

            raise InputRejected(
                [
                    Problem(
                        "--port",
                        f"a port free on {host} (stop the program using it, or choose another: "
                        "nelm serve --port 8001, make run PORT=8001)",
                        f"{port} ({(exc.strerror or 'in use').lower()})",
                    )
                ]
            ) from None
