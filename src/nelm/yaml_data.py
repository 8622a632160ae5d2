"""Reading the YAML files packaged with nelm.

libyaml's C loader parses them several times faster than PyYAML's pure-Python one (the
plausible ranges: 110 ms against under 10 ms), which matters to a command that reads
several such files on every call; the pure-Python loader is the fallback where PyYAML was
built without libyaml. Both are the *safe* loaders: plain data, never Python objects.
"""

from __future__ import annotations

from typing import Any

import yaml

try:
    SAFE_LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    SAFE_LOADER = yaml.SafeLoader


def load_yaml(text: str | bytes) -> Any:
    """The data of one YAML document, read with the fastest safe loader available."""
    return yaml.load(text, Loader=SAFE_LOADER)
