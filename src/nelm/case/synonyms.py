"""Words a case report uses for a choice of case-v1 (``data/synonyms.yaml``): a rejected
choice written so is answered with the choice it names, never taken in its place."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from nelm.case.fields import FIELD_BY_PATH, FIELDS, SECTIONS, Kind
from nelm.yaml_data import load_yaml

__all__ = [
    "choice_named_by",
    "field_named_by",
    "key_words",
    "settling_hint",
    "synonyms",
    "unsettled_words",
]

_SEPARATORS = re.compile(r"[\s\-_/,;]+")


def _key(word: str) -> str:
    return _SEPARATORS.sub(" ", word.strip().lower())


def _words_by_field(name: str) -> dict[str, dict[str, str]]:
    """``data/<name>``: per choice field of case-v1, its words (compared by ``_key``)."""
    raw = load_yaml((resources.files("nelm.case") / "data" / name).read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for path, words in raw.items():
        spec = FIELD_BY_PATH.get(path)
        if spec is None or spec.kind not in (Kind.CHOICE, Kind.CHOICES):
            raise ValueError(f"{name}: {path} is not a choice field of case-v1")
        out[path] = {_key(str(word)): str(meant) for word, meant in words.items()}
    return out


@cache
def synonyms() -> dict[str, dict[str, str]]:
    """Per field path, the words (compared by ``_key``) and the choice each names."""
    out = _words_by_field("synonyms.yaml")
    for path, words in out.items():
        for word, choice in words.items():
            if choice not in FIELD_BY_PATH[path].choices:
                raise ValueError(f"synonyms.yaml: {path}: {word!r} names no choice ({choice})")
    return out


def choice_named_by(path: str, word: str) -> str | None:
    """The choice of ``path`` that ``word`` names in a report's words, if any."""
    return synonyms().get(path, {}).get(_key(word))


@cache
def unsettled_words() -> dict[str, dict[str, str]]:
    """Per field path, the words that name more than one choice (``data/unsettled_words.yaml``)
    and what would settle each."""
    out = _words_by_field("unsettled_words.yaml")
    for path, words in out.items():
        overlap = set(words) & set(synonyms().get(path, {}))
        if overlap:
            raise ValueError(f"unsettled_words.yaml: {path}: also in synonyms.yaml: {overlap}")
    return out


def settling_hint(path: str, word: str) -> str | None:
    """For a word naming more than one choice of ``path``, what would settle it."""
    return unsettled_words().get(path, {}).get(_key(word))


_KEY_SEPARATORS = re.compile(r"[\s\-_/.()\[\]%]+")
_ANY = "any"


def _key_form(word: str) -> str:
    return _KEY_SEPARATORS.sub("", word.strip().lower())


@cache
def key_words() -> dict[str, dict[str, str]]:
    """Per section (and ``any``), the keys (compared by ``_key_form``) that name a field of
    case-v1 (``data/key_words.yaml``), each field's own name included under ``any``."""
    raw = load_yaml(
        (resources.files("nelm.case") / "data" / "key_words.yaml").read_text(encoding="utf-8")
    )
    names = [f.name for f in FIELDS]
    out: dict[str, dict[str, str]] = {
        _ANY: {_key_form(f.name): f.path for f in FIELDS if names.count(f.name) == 1}
    }
    for table, fields in raw.items():
        if table != _ANY and table not in SECTIONS:
            raise ValueError(f"key_words.yaml: {table} is neither a section nor any")
        words = out.setdefault(table, {})
        for path, spelled in fields.items():
            if path not in FIELD_BY_PATH:
                raise ValueError(f"key_words.yaml: {path} is not a field of case-v1")
            for word in spelled:
                form = _key_form(str(word))
                if words.get(form, path) != path:
                    raise ValueError(f"key_words.yaml: {table}: {word!r} names two fields")
                words[form] = path
    return out


def field_named_by(section: str | None, key: str) -> str | None:
    """The field path an unknown ``key`` (in ``section``, or at the top level for None) most
    likely names, if any: the section's own words first, then those of any section."""
    form = _key_form(key)
    tables = key_words()
    if section is not None and form in tables.get(section, {}):
        return tables[section][form]
    return tables[_ANY].get(form)
