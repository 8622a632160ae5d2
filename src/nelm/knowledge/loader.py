"""Load and check the packaged knowledge base.

The data files are read once per process (``load_knowledge`` is cached). Everything a
criterion can get wrong by a typo is checked here, at load time: unknown fields, operators
that do not fit a field's type, values outside a field's allowed set, missing or unknown
sources, duplicated ids, options missing from the contract's vocabulary.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from nelm.case.fields import FIELD_BY_PATH, OPTION_IDS, PRIOR_TREATMENTS, Kind
from nelm.errors import KnowledgeBaseError
from nelm.knowledge.conditions import Condition, Leaf, leaves_of, parse_condition
from nelm.knowledge.model import (
    INTENTS,
    BurdenBand,
    Caution,
    Criterion,
    Derivations,
    GradeTable,
    Intent,
    Investigation,
    KnowledgeBase,
    OptionSpec,
    PlanNote,
    PlanStepSpec,
)
from nelm.knowledge.staging import parse_staging
from nelm.vocabulary import option_name, vocabulary
from nelm.yaml_data import load_yaml

__all__ = ["DERIVED_FACTS", "KNOWLEDGE_RELEASE", "load_knowledge"]

KNOWLEDGE_RELEASE = "2026.1"

# Derived facts a condition may read, with the values a categorical one can take
# (None: boolean); defined in vocabulary.yaml.
DERIVED_FACTS: dict[str, tuple[str, ...] | None] = {
    fact.path: fact.values for fact in vocabulary().derived_facts if fact.in_conditions
}


def _data_files() -> list[tuple[str, bytes]]:
    root = resources.files("nelm.knowledge") / "data"
    found: list[tuple[str, bytes]] = []

    def walk(node: Any, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".yaml"):  # vocabulary.yaml too: its words are output
                found.append((f"{prefix}{child.name}", child.read_bytes()))

    walk(root, "")
    return found


@cache
def load_knowledge() -> KnowledgeBase:
    """The packaged knowledge base, validated; raises KnowledgeBaseError if malformed."""
    files = _data_files()
    digest = hashlib.sha256()
    for name, content in files:
        digest.update(name.encode() + b"\0" + content + b"\0")
    content_hash = digest.hexdigest()[:12]
    docs = _parsed(files, content_hash)
    try:
        return _build(docs, content_hash)
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeBaseError(f"knowledge base: {exc}") from exc


def _parsed(files: list[tuple[str, bytes]], content_hash: str) -> dict[str, Any]:
    """The YAML documents, parsed: from the cache of this exact content when there is one.

    Building Python objects from YAML is most of loading the knowledge base (libyaml
    parses, but PyYAML constructs in Python), and ``nelm assess`` loads it on every run.
    The parsed documents are kept in ``marshal`` form (plain data only; reading it runs no
    code) in the user's cache directory, under the content hash, so an edited file is never
    read from a stale cache. Without a writable cache directory, the YAML is parsed.
    """
    cached = _cache_file(content_hash)
    if cached is not None:
        try:
            docs = marshal.loads(cached.read_bytes())
            if isinstance(docs, dict) and set(docs) == {name for name, _ in files}:
                return docs
        except (OSError, ValueError, EOFError, TypeError):
            pass
    docs = {name: load_yaml(content) for name, content in files}
    if cached is not None:
        try:
            data = marshal.dumps(docs)
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            partial.write_bytes(data)
            os.replace(partial, cached)  # whole or not at all, whoever writes at once
        except (OSError, ValueError):  # read-only home, or a value marshal cannot hold
            pass
    return docs


def _cache_file(content_hash: str) -> Path | None:
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home directory
        return None
    version = f"{sys.version_info.major}{sys.version_info.minor}"
    return base / "nelm" / f"knowledge-{content_hash}-py{version}.marshal"


def _build(docs: dict[str, Any], content_hash: str) -> KnowledgeBase:
    sources_doc = docs["sources.yaml"]
    sources: dict[str, str] = {}
    for section in ("seeds", "external"):
        for key, entry in sources_doc[section].items():
            sources[str(key)] = entry["citation"]
    checker = _Checker(sources)

    shared = docs["shared.yaml"]
    criterion_sets = shared["criterion_sets"]
    caution_sets = shared["caution_sets"]

    options: dict[str, OptionSpec] = {}
    for name, doc in docs.items():
        if not name.startswith("options/"):
            continue
        for raw in doc:
            spec = _option(raw, criterion_sets, caution_sets, checker)
            if spec.id in options:
                raise ValueError(f"option {spec.id} is defined twice")
            options[spec.id] = spec
    missing = [o for o in OPTION_IDS if o not in options]
    extra = [o for o in options if o not in OPTION_IDS]
    if missing or extra:
        raise ValueError(f"options missing {missing} or not in the contract {extra}")
    ordered = {o: options[o] for o in OPTION_IDS}

    plan = tuple(_plan_step(raw, checker) for raw in docs["plan.yaml"]["steps"])
    for step in plan:
        _check_converts(step, ordered)
    plan_notes = tuple(_plan_note(raw, checker) for raw in docs["plan.yaml"].get("notes", ()))
    derivations = _derivations(docs["derivations.yaml"], checker, docs["staging.yaml"])
    investigations = _investigations(docs["investigations.yaml"], checker)
    return KnowledgeBase(
        version=f"{KNOWLEDGE_RELEASE}+{content_hash}",
        content_hash=content_hash,
        options=ordered,
        plan=plan,
        derivations=derivations,
        sources=sources,
        investigations=investigations,
        plan_notes=plan_notes,
    )


def _check_converts(step: PlanStepSpec, options: dict[str, OptionSpec]) -> None:
    """Every id in a step's ``converts`` names a convertible criterion of one of the
    options the step converts."""
    convertible = {
        c.id.rsplit(".", 1)[-1] for o in step.convert for c in options[o].criteria if c.convertible
    }
    unknown = [c for c in step.converts if c not in convertible]
    if unknown:
        raise ValueError(
            f"plan.{step.id}: converts {unknown}, which no option it converts has as a "
            "convertible criterion"
        )


def _investigations(doc: dict[str, Any], checker: _Checker) -> tuple[Investigation, ...]:
    """The investigations; every case field belongs to exactly one."""
    out: list[Investigation] = []
    owner: dict[str, str] = {}
    for raw in doc["investigations"]:
        iid = str(raw["id"])
        fields = tuple(str(f) for f in raw["fields"])
        for f in fields:
            if f not in FIELD_BY_PATH:
                raise ValueError(f"investigation {iid}: unknown case field {f!r}")
            if f in owner:
                raise ValueError(f"investigation {iid}: {f} already belongs to {owner[f]}")
            owner[f] = iid
        out.append(
            Investigation(
                iid,
                str(raw["name"]),
                fields,
                checker.cite(raw.get("sources"), f"investigation {iid}"),
                tuple(_cautions(raw.get("precautions") or [], f"investigation.{iid}", checker)),
            )
        )
    # A bound of a number ("at least 4 lesions") comes from the investigation of the number.
    for f, spec in FIELD_BY_PATH.items():
        if spec.bound_of is not None and f not in owner and spec.bound_of in owner:
            owner[f] = owner[spec.bound_of]
            out = [replace(i, fields=(*i.fields, f)) if i.id == owner[f] else i for i in out]
    unowned = [f for f in FIELD_BY_PATH if f not in owner]
    if unowned:
        raise ValueError(f"investigations: no investigation supplies {unowned}")
    return tuple(out)


class _Checker:
    """Validates citations and conditions against the case fields and the source list."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources

    def cite(self, raw: Any, where: str) -> tuple[str, ...]:
        if not isinstance(raw, list) or not raw:
            raise ValueError(f"{where}: needs at least one source")
        for citation in raw:
            key = str(citation).split(" ", 1)[0]
            if key not in self.sources:
                raise ValueError(f"{where}: unknown source {citation!r}")
        return tuple(str(c) for c in raw)

    def condition(self, raw: Any, where: str) -> Condition:
        condition = parse_condition(raw, where)
        for leaf in leaves_of(condition):
            self._leaf(leaf, where)
        return condition

    def _leaf(self, leaf: Leaf, where: str) -> None:
        operands = leaf.operand if isinstance(leaf.operand, tuple) else (leaf.operand,)
        if leaf.field in DERIVED_FACTS:
            allowed = DERIVED_FACTS[leaf.field]
            if allowed is None:
                ok = leaf.op in ("eq", "ne") and all(isinstance(v, bool) for v in operands)
            else:
                ok = leaf.op in ("eq", "ne", "in", "not_in") and all(v in allowed for v in operands)
            if not ok:
                raise ValueError(f"{where}: {leaf.op} {leaf.operand!r} does not fit {leaf.field}")
            return
        spec = FIELD_BY_PATH.get(leaf.field)
        if spec is None:
            raise ValueError(f"{where}: unknown field {leaf.field}")
        numeric = spec.kind in (Kind.NUMBER, Kind.INTEGER)
        if leaf.op in ("lt", "le", "gt", "ge"):
            ok = numeric
        elif spec.kind is Kind.BOOLEAN:
            ok = leaf.op in ("eq", "ne") and all(isinstance(v, bool) for v in operands)
        elif spec.kind is Kind.CHOICE:
            ok = leaf.op in ("eq", "ne", "in", "not_in") and all(
                v in spec.choices for v in operands
            )
        elif spec.kind is Kind.CHOICES:
            ok = leaf.op == "contains" and all(v in spec.choices for v in operands)
        else:
            ok = (
                numeric
                and leaf.op in ("eq", "ne", "in", "not_in")
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in operands)
            )
        if not ok:
            raise ValueError(
                f"{where}: {leaf.op} {leaf.operand!r} does not fit {leaf.field} ({spec.kind.value})"
            )


def _intent(raw: Any, where: str) -> Intent:
    if raw not in INTENTS:
        raise ValueError(f"{where}: intent must be one of {INTENTS}, got {raw!r}")
    return raw  # type: ignore[no-any-return]


def _criteria(raws: list[Any], option_id: str, checker: _Checker) -> list[Criterion]:
    out = []
    for raw in raws:
        cid = f"{option_id}.{raw['id']}"
        out.append(
            Criterion(
                id=cid,
                text=str(raw["text"]),
                condition=checker.condition(raw["when"], cid),
                sources=checker.cite(raw.get("sources"), cid),
                quote=raw.get("quote"),
                convertible=bool(raw.get("convertible", False)),
                relative=bool(raw.get("relative", False)),
                later_line=bool(raw.get("later_line", False)),
            )
        )
    return out


def _cautions(raws: list[Any], option_id: str, checker: _Checker) -> list[Caution]:
    out = []
    for raw in raws:
        cid = f"{option_id}.{raw['id']}"
        when = raw.get("when")
        if_unknown = raw.get("if_unknown")
        if if_unknown is not None and (when is None or not isinstance(if_unknown, str)):
            raise ValueError(
                f"{cid}: 'if_unknown' is the text shown when 'when' is unknown: it needs a "
                f"'when' and a string, got when={when!r}, if_unknown={if_unknown!r}"
            )
        out.append(
            Caution(
                id=cid,
                text=str(raw["text"]),
                condition=None if when is None else checker.condition(when, cid),
                sources=checker.cite(raw.get("sources"), cid),
                quote=raw.get("quote"),
                if_unknown=if_unknown,
            )
        )
    return out


def _option(
    raw: dict[str, Any],
    criterion_sets: dict[str, Any],
    caution_sets: dict[str, Any],
    checker: _Checker,
) -> OptionSpec:
    oid = str(raw["id"])
    if "name" in raw:  # the name is vocabulary, defined once in vocabulary.yaml
        raise ValueError(f"{oid}: the option's name belongs in vocabulary.yaml, not here")
    if oid not in vocabulary().option:
        raise ValueError(f"{oid}: no entry in vocabulary.yaml (id, name, short, title)")
    criteria: list[Criterion] = []
    for set_name in raw.get("include", []):
        criteria += _criteria(criterion_sets[set_name], oid, checker)
    criteria += _criteria(raw.get("criteria", []), oid, checker)
    cautions: list[Caution] = []
    for set_name in raw.get("include_cautions", []):
        cautions += _cautions(caution_sets[set_name], oid, checker)
    cautions += _cautions(raw.get("cautions", []), oid, checker)
    if not criteria:
        raise ValueError(f"{oid}: an option needs at least one criterion")
    ids = [c.id for c in criteria] + [c.id for c in cautions]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"{oid}: duplicated ids {sorted(duplicated)}")
    return OptionSpec(
        id=oid,
        name=option_name(oid),
        intent=_intent(raw["intent"], oid),
        summary=str(raw.get("summary", "")),
        criteria=tuple(criteria),
        cautions=tuple(cautions),
    )


def _plan_step(raw: dict[str, Any], checker: _Checker) -> PlanStepSpec:
    sid = f"plan.{raw['id']}"
    referenced = [
        *raw["options"],
        *raw.get("unless_eligible", []),
        *raw.get("convert", []),
        *raw.get("needs", []),
    ]
    unknown = [o for o in referenced if o not in OPTION_IDS]
    unknown += [o for o in raw.get("last", []) if o not in raw["options"]]
    if unknown:
        raise ValueError(f"{sid}: unknown options {unknown}")
    when = raw.get("when")
    options_are = raw.get("options_are", "alternatives")
    if options_are not in ("alternatives", "sequence"):
        raise ValueError(
            f"{sid}: options_are must be alternatives or sequence, got {options_are!r}"
        )
    convert_when, after_when = raw.get("convert_when"), raw.get("after_when")
    when_text = raw.get("when_text")
    if when_text is not None and when is None:
        raise ValueError(f"{sid}: when_text says a `when` the step does not have")
    return PlanStepSpec(
        id=str(raw["id"]),
        intent=_intent(raw["intent"], sid),
        options=tuple(raw["options"]),
        rationale=str(raw["rationale"]),
        sources=checker.cite(raw.get("sources"), sid),
        when=None if when is None else checker.condition(when, sid),
        unless_eligible=tuple(raw.get("unless_eligible", ())),
        convert=tuple(raw.get("convert", ())),
        converts=tuple(str(c) for c in raw.get("converts", ())),
        needs=tuple(raw.get("needs", ())),
        sequence=options_are == "sequence",
        convert_when=None if convert_when is None else checker.condition(convert_when, sid),
        title=None if raw.get("title") is None else str(raw["title"]),
        last=tuple(str(o) for o in raw.get("last", ())),
        after_when=None if after_when is None else checker.condition(after_when, sid),
        after=tuple(str(a) for a in raw.get("after", ())),
        when_text=None if when_text is None else str(when_text),
    )


def _plan_note(raw: dict[str, Any], checker: _Checker) -> PlanNote:
    nid = f"plan note {raw['id']}"
    unknown = [o for o in raw["before"] if o not in OPTION_IDS]
    if unknown:
        raise ValueError(f"{nid}: unknown options {unknown}")
    unless_known = tuple(str(f) for f in raw.get("unless_known", ()))
    not_fields = [f for f in unless_known if f not in FIELD_BY_PATH]
    if not_fields:
        raise ValueError(f"{nid}: unless_known names no case field: {not_fields}")
    return PlanNote(
        id=str(raw["id"]),
        text=str(raw["text"]),
        sources=checker.cite(raw.get("sources"), nid),
        when=checker.condition(raw["when"], nid),
        before=tuple(raw["before"]),
        precaution=bool(raw.get("precaution", False)),
        unless_known=unless_known,
        unless=None if raw.get("unless") is None else checker.condition(raw["unless"], nid),
    )


def _derivations(doc: dict[str, Any], checker: _Checker, staging: dict[str, Any]) -> Derivations:
    g = doc["grade"]
    grade = GradeTable(
        ki67_g1_below=float(g["ki67_g1_below"]),
        ki67_g2_max=float(g["ki67_g2_max"]),
        mitoses_g1_below=float(g["mitoses_g1_below"]),
        mitoses_g2_max=float(g["mitoses_g2_max"]),
        sources=checker.cite(g["sources"], "grade"),
        nec_sources=checker.cite(g["nec_sources"], "grade"),
        ki67_alone_sources=checker.cite(g["ki67_alone_sources"], "grade"),
        ki67_alone_g1_max=float(g["ki67_alone_g1_max"]),
        ki67_alone_g2_min=float(g["ki67_alone_g2_min"]),
        reported_sources=checker.cite(g["reported_sources"], "grade"),
        carcinoid_sources=checker.cite(g["carcinoid_sources"], "grade"),
        carcinoid_mitoses_g2_max=float(g["carcinoid_mitoses_g2_max"]),
    )
    lt = doc["liver_type"]
    pd = doc["portal_drainage"]
    portal, non_portal = frozenset(pd["portal"]), frozenset(pd["not_portal"])
    sites = set(FIELD_BY_PATH["primary.site"].choices)
    if portal | non_portal != sites or portal & non_portal:
        raise ValueError("portal_drainage must split every primary.site value exactly once")
    bands = []
    for raw in doc["burden_bands"]:
        inclusive = "max" in raw
        bands.append(
            BurdenBand(
                label=str(raw["label"]),
                upper=float(raw["max"] if inclusive else raw["max_below"]),
                upper_inclusive=inclusive,
                sources=checker.cite(raw["sources"], f"burden band {raw['label']}"),
            )
        )
    return Derivations(
        grade=grade,
        liver_type_by_distribution=dict(lt["by_distribution"]),
        liver_type_sources=checker.cite(lt["sources"], "liver_type"),
        liver_type_i_caution=_type_i_caution(lt["type_i_caution"], checker),
        portal_sites=portal,
        non_portal_sites=non_portal,
        portal_sources=checker.cite(pd["sources"], "portal_drainage"),
        burden_bands=tuple(bands),
        staging=parse_staging(staging, checker.cite, checker.condition),
        prior_lines_counted=_prior_lines(doc.get("prior_lines"), checker),
        given_before_shown_by=_given_before(doc.get("given_before"), checker),
        given_before_same=_same_treatment(doc.get("given_before")),
    )


def _type_i_caution(raw: dict[str, Any], checker: _Checker) -> str:
    """The other seed's type I wording, shown where it would not give type I; its sources
    must be known ones and the text must leave room for the lesions it speaks of."""
    checker.cite(raw["sources"], "liver_type type_i_caution")
    text = str(raw["text"])
    if "{lesions}" not in text:
        raise ValueError("liver_type type_i_caution must contain {lesions}")
    return text


def _given_before(raw: dict[str, Any] | None, checker: _Checker) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    shown_by = {str(k): str(v) for k, v in raw["shown_by"].items()}
    for option, path in shown_by.items():
        spec = FIELD_BY_PATH.get(path)
        if option not in OPTION_IDS or spec is None or spec.kind is not Kind.BOOLEAN:
            raise ValueError(f"given_before: {option}: {path} is not an option and a yes/no field")
    checker.cite(raw["sources"], "given_before")
    return tuple(shown_by.items())


def _same_treatment(raw: dict[str, Any] | None) -> tuple[tuple[str, frozenset[str]], ...]:
    groups = []
    for group in (raw or {}).get("same_treatment") or ():
        options = frozenset(str(o) for o in group["options"])
        unknown = sorted(options - set(OPTION_IDS))
        if unknown or len(options) < 2:
            raise ValueError(f"given_before same_treatment: {sorted(options)} (unknown: {unknown})")
        groups.append((str(group["name"]), options))
    return tuple(groups)


def _prior_lines(raw: dict[str, Any] | None, checker: _Checker) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    counted = {str(k): str(v) for k, v in raw["counted"].items()}
    unknown = [o for o in counted if o not in PRIOR_TREATMENTS]
    if unknown:
        raise ValueError(f"prior_lines: unknown options {unknown}")
    checker.cite(raw["sources"], "prior_lines")
    return tuple(counted.items())
