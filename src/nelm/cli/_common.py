"""Shared CLI plumbing: reading inputs, printing problems, exit codes."""

from __future__ import annotations

import errno
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from nelm.errors import InputRejected, KnowledgeBaseError, NelmError, Problem
from nelm.text import UTF16_WITHOUT_MARK, decode_document

if TYPE_CHECKING:  # typer is imported when a command needs it, not to assess a case
    import typer

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_REJECTED = 2


def fail(problems: list[Problem]) -> NoReturn:
    """Reject the input: print one line per problem and exit 2."""
    raise InputRejected(problems)


DATABASE_EXPECTED = (
    "a case store nelm can open (sqlite:///FILE or postgresql+psycopg://USER@HOST:PORT/DB)"
)


def unopenable_database(url: str, exc: Exception) -> InputRejected:
    """The ``--database`` that could not be opened, with the driver's first line of why
    (the URL shown without its password)."""
    from nelm.store import describe_url

    try:
        shown = describe_url(url)
    except Exception:  # an unparsable URL is shown as given, but for a password
        shown = url.split("@")[-1]
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return InputRejected(
        [Problem("--database", DATABASE_EXPECTED, f"{shown} ({reason[0] if reason else exc})")]
    )


def read_text(path: str, max_bytes: int | None = None) -> str:
    """Read a file (or standard input for ``-``) as UTF-8 text, or reject it.

    With ``max_bytes``, at most that many bytes (plus one, to tell) are ever read, so an
    oversize input is refused without being held in memory.
    """
    if path == "-":
        data = sys.stdin.buffer.read(-1 if max_bytes is None else max_bytes + 1)
        where = "standard input"
    else:
        p = Path(path)
        if not p.exists():
            fail([Problem(path, "must be an existing file", "no such file")])
        if p.is_dir():
            fail([Problem(path, "must be a file", "a directory")])
        try:
            with p.open("rb") as handle:
                data = handle.read(-1 if max_bytes is None else max_bytes + 1)
        except OSError as exc:
            fail([Problem(path, "must be a readable file", exc.strerror or "unreadable")])
        where = path
    if max_bytes is not None and len(data) > max_bytes:
        from nelm.interop.fhir.size import too_large

        raise too_large(where, p.stat().st_size if path != "-" else None, max_bytes)
    try:
        return decode_document(data)
    except UnicodeDecodeError as exc:
        got = exc.reason if exc.reason == UTF16_WITHOUT_MARK else "bytes that are not UTF-8"
        fail([Problem(where, "must be UTF-8 text (or UTF-16 with a byte-order mark)", got)])


def write_output(text: str | bytes, output: str | None) -> None:
    """Write to ``output`` atomically (a temporary file renamed into place), or stdout; a
    device or a pipe given as ``output`` is written to as it is."""
    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return
    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        fail([Problem("-o", "must be a file in an existing directory", f"{output}")])
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if target.is_dir():
        fail([Problem("-o", "must be a file, not a directory", f"{output}")])
    if target.exists() and not target.is_file():
        # a device or a pipe (/dev/null, /dev/stdout, a FIFO): written to, never replaced
        with open(target, "wb") as handle:
            handle.write(data)
        return
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file 0600; give it the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_guarded(app: typer.Typer) -> int:
    """Run the Typer app, turning nelm's errors into exit codes and clean messages."""
    import typer

    # Typer 0.29 vendors click; its usage errors are not re-exported; the version is pinned.
    from typer._click.exceptions import ClickException

    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(standalone_mode=False)
    except ClickException as exc:  # usage errors: unknown option, bad choice, missing argument
        if not _said_as_a_problem(exc):
            exc.show()
        return EXIT_REJECTED
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return EXIT_INTERNAL
    except typer.Exit as exc:
        return int(exc.exit_code)
    except SystemExit as exc:
        if _output_closed(exc):
            return EXIT_OK
        raise
    except Exception as exc:
        return _exit_code(exc, debug)
    return EXIT_OK


def _said_as_a_problem(exc: Exception) -> bool:
    """A bad option value, or an option the command does not have, said as every rejected
    input is ("error: --format: 'csv' is not one of …"), naming the option; False for
    other usage errors, which click shows."""
    from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption

    if isinstance(exc, NoSuchOption):
        command = _command_words(exc.ctx)
        meant = f" (did you mean {', '.join(exc.possibilities)}?)" if exc.possibilities else ""
        print(
            f"error: {exc.option_name}: an option of {command}, got an unknown one{meant} "
            f"(see {command} --help)",
            file=sys.stderr,
        )
        return True
    if isinstance(exc, MissingParameter) and exc.param is not None:
        # click leaves the message empty for a required option or argument not given
        command = _command_words(exc.ctx)
        flags = [n for n in getattr(exc.param, "opts", ()) if n.startswith("-")]
        shown = getattr(exc.param, "metavar", None) or str(exc.param.name or "argument").upper()
        name = max(flags, key=len) if flags else shown
        what = _first_sentence(getattr(exc.param, "help", None) or "")
        print(
            f"error: {name}: {what or 'a value'} (required), got none (see {command} --help)",
            file=sys.stderr,
        )
        return True
    if not isinstance(exc, BadParameter) or exc.param is None:
        return False
    names = [n for n in getattr(exc.param, "opts", ()) if n.startswith("--")]
    if not names:
        return False
    message = " ".join(str(exc.message).split()).removeprefix("Value error, ")
    command = _command_words(exc.ctx)
    print(f"error: {names[0]}: {message} (see {command} --help)", file=sys.stderr)
    return True


_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\.\s|:\s")


def _first_sentence(text: str) -> str:
    """An option's help up to its first full stop or colon, lower-cased at the start, as
    the expected value of a message ("number of cases")."""
    head = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0].rstrip(".")
    return head[:1].lower() + head[1:]


def _command_words(ctx: Any) -> str:
    """``nelm evidence pool``: the command as typed, whatever the program's own name."""
    words: list[str] = []
    while ctx is not None and ctx.parent is not None:  # the root's name is the program's
        words.insert(0, str(ctx.info_name))
        ctx = ctx.parent
    return " ".join(["nelm", *words])


def run_plain(command: Callable[[], None], debug: bool) -> int:
    """Run a command read without typer (``nelm assess``), with the same exit codes and
    messages as :func:`run_guarded`."""
    try:
        command()
    except SystemExit as exc:
        if _output_closed(exc):
            return EXIT_OK
        raise
    except Exception as exc:
        return _exit_code(exc, debug)
    return EXIT_OK


def _output_closed(exc: SystemExit) -> bool:
    """Whether ``exc`` is how rich or typer stop when the reader of the output went away
    (``nelm evidence list | head``): both exit 1 while handling the broken pipe, which is
    no internal error (a BrokenPipeError that reaches nelm exits 0 too)."""
    cause = exc.__context__
    return isinstance(cause, OSError) and cause.errno == errno.EPIPE


def _exit_code(exc: Exception, debug: bool) -> int:
    """Print what the user should see of ``exc`` and give the exit code (or re-raise it
    with ``--debug``)."""
    if isinstance(exc, InputRejected):
        if debug and exc.__cause__ is not None:
            # what a rejection was made from (Spark's error behind a one-line problem)
            traceback.print_exception(exc.__cause__, file=sys.stderr)
        for problem in exc.problems:
            print(f"error: {problem.message}", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):
        return EXIT_OK
    if debug:
        raise exc
    if isinstance(exc, NelmError):
        # Each error says its own exit code (nelm.errors); a defect of nelm itself (exit 1
        # and not one of the errors that explain what to install or what failed outside)
        # is an internal error.
        if isinstance(exc, KnowledgeBaseError) or type(exc) is NelmError:
            print(
                f"internal error: {exc} (run again with --debug for the traceback)", file=sys.stderr
            )
        else:
            print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(
        f"internal error: {type(exc).__name__} (run again with --debug for the traceback)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
