"""The one reader of nelm's packaged YAML: plain data only, and the fast loader."""

from __future__ import annotations

import pytest
import yaml

from nelm.yaml_data import SAFE_LOADER, load_yaml


def test_plain_data_from_text_or_bytes() -> None:
    text = "ki67: [3, 20]\nsources: {'001': Machairas}\n"
    expected = {"ki67": [3, 20], "sources": {"001": "Machairas"}}
    assert load_yaml(text) == expected
    assert load_yaml(text.encode("utf-8")) == expected


def test_a_python_object_tag_is_refused_not_built() -> None:
    # A safe loader never constructs Python objects (PyYAML documentation: "safe_load ...
    # recognizes only standard YAML tags and cannot construct an arbitrary Python object").
    with pytest.raises(yaml.constructor.ConstructorError):
        load_yaml("!!python/object/apply:os.system ['true']")


def test_the_c_loader_when_libyaml_is_there() -> None:
    # The reason for the module: libyaml's loader is several times faster (docs/benchmarks.md).
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml: the pure-Python loader is the fallback")
    assert SAFE_LOADER is yaml.CSafeLoader
