"""The one rule for text that enters nelm, and the paths that name where it was broken.

Text is accepted unless it holds a character no clinical document needs and some part of
the system cannot carry:

- C0 control characters other than tab, line feed and carriage return (U+0000–U+0008,
  U+000B, U+000C, U+000E–U+001F), among them NUL, which PostgreSQL cannot store in text;
- DEL and the C1 controls (U+007F–U+009F);
- UTF-16 surrogates (U+D800–U+DFFF). Valid JSON can spell an unpaired one (``"\\ud800"``)
  and Python then holds a string that cannot be encoded as UTF-8: it used to fail in the
  database driver or the JSON encoder, far from where it came in.

Keys count as text too. :func:`text_problems` walks parsed JSON (or a form, a query) and
names every place, as a path such as ``pathology.ki67_percent`` or
``entry[3].resource.code.text``. The HTTP edge (``nelm.web.input_guard``) applies it to every
request, and the document parser (``nelm.case.document``) to every case file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

from nelm.errors import Problem

__all__ = [
    "EXPECTED_TEXT",
    "forbidden_character",
    "join_path",
    "json_text_is_clean",
    "printable",
    "text_problems",
    "walk",
]

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
EXPECTED_TEXT = (
    "text without control characters (tab and line breaks are allowed) or "
    "unpaired UTF-16 surrogates"
)
_MAX_PROBLEMS = 20


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_document(data: bytes) -> str:
    """A document's bytes as text: UTF-8, with or without a byte-order mark, or UTF-16 with
    its byte-order mark, as Windows tools write a file (PowerShell 5's ``Out-File``, a
    "Unicode text" export). Raises UnicodeDecodeError for anything else: nelm never guesses
    a legacy encoding (Windows-1252 and UTF-8 read the same bytes as different letters)."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16")
    if is_utf16_without_mark(data):
        # Valid UTF-8 too when the text is ASCII (every other byte a NUL), which the JSON
        # reader would then refuse at its second character, naming no encoding.
        raise UnicodeDecodeError("utf-8", data, 0, 2, UTF16_WITHOUT_MARK)
    return data.decode("utf-8-sig")


UTF16_WITHOUT_MARK = "UTF-16 text without a byte-order mark"


def is_utf16_without_mark(data: bytes) -> bool:
    """UTF-16 without its byte-order mark, told as RFC 4627 §3 tells a JSON text's
    encoding: its first character is ASCII, so one of its first two bytes is a NUL."""
    head = data[:2]
    return len(head) == 2 and (head[0] == 0) != (head[1] == 0)


def forbidden_character(text: str) -> str | None:
    """A description of the first forbidden character in ``text`` (None if there is none),
    e.g. ``U+0000 (NUL) at character 3``."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    kind = (
        "NUL"
        if code == 0
        else "an unpaired surrogate"
        if 0xD800 <= code <= 0xDFFF
        else "a control character"
    )
    return f"U+{code:04X} ({kind}) at character {found.start() + 1}"


def json_text_is_clean(text: str) -> bool:
    """True when no key or string of this JSON text can break the rule: the text holds no
    forbidden character and no backslash (an escape such as ``\\u0000`` could spell one).
    A quick test on the raw text that spares :func:`text_problems` its walk of the parsed
    document; False says nothing (walk then)."""
    return "\\" not in text and _FORBIDDEN.search(text) is None


def printable(text: str) -> str:
    """``text`` with every forbidden character written as a ``\\u`` escape of four hex digits, so a
    path or value can be shown (and logged) without carrying it."""
    return _FORBIDDEN.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def join_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any, bool]]:
    """Every key and leaf value of parsed JSON as (path, value, is_key), depth first,
    without recursion (so a deeply nested document cannot exhaust the stack)."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            children = [(join_path(where, str(key)), key, child) for key, child in item.items()]
            for name, key, _ in children:
                yield name, key, True
            stack.extend((name, child) for name, _, child in reversed(children))
        elif isinstance(item, list):
            for index in range(len(item) - 1, -1, -1):
                stack.append((join_path(where, index), item[index]))
        else:
            yield where, item, False


def text_problems(value: Any, path: str = "") -> list[Problem]:
    """One problem per key or string that breaks the rule (at most 20)."""
    problems: list[Problem] = []
    for where, item, is_key in walk(value, path):
        if not isinstance(item, str):
            continue
        found = forbidden_character(item)
        if found is not None:
            what = "the key" if is_key else "the text"
            problems.append(Problem(printable(where), EXPECTED_TEXT, f"{what} has {found}"))
            if len(problems) >= _MAX_PROBLEMS:
                break
    return problems
