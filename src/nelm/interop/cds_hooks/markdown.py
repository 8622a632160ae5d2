"""Putting text into a card's markdown ``detail`` without letting it become markup.

Every piece of text that is not a fixed string of this package goes through
:func:`escape`:

* line breaks and control characters become spaces, so no block (heading, list, quote,
  table, code block) can start inside it, and a leading ``#``, ``-``, ``+``, ``=`` or
  ``1.`` is escaped too;
* ``&``, ``<`` and ``>`` become character references: no HTML, no ``<…>`` autolinks;
* the inline markup characters ``\\ ` * _ [ ] ( ) ! | ~`` are backslash-escaped: no
  emphasis, links, images, code spans, table cells or strikethrough;
* ``:`` and ``@`` are escaped and ``www.`` is broken up, so GFM's bare-URL and e-mail
  autolinks do not fire.

The result renders as the literal text in any CommonMark or GFM renderer.
"""

from __future__ import annotations

import re

__all__ = ["escape"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_INLINE = frozenset("\\`*_[]()!|~:@")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_WWW = re.compile(r"(?i)\b(www)\\?\.")
_LEADING = re.compile(r"^(\d+)([.)])")


def escape(text: object, limit: int = 500) -> str:
    """``text`` as literal markdown text (at most ``limit`` characters of it)."""
    plain = " ".join(_CONTROL.sub(" ", str(text)).split())
    if len(plain) > limit:
        plain = plain[: limit - 1] + "…"
    out: list[str] = []
    for char in plain:
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _INLINE:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = _WWW.sub(r"\1\\.", "".join(out))
    if escaped[:1] in ("#", "-", "+", "="):
        escaped = "\\" + escaped
    return _LEADING.sub(r"\1\\\2", escaped)
