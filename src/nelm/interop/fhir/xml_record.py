"""A FHIR record written in XML, read into the JSON form every reader of nelm uses.

FHIR R4 has two interchange formats with the same content (https://hl7.org/fhir/R4/xml.html
and json.html); many servers and most of HL7's published examples speak XML. What XML
does not say and JSON does is which elements repeat (arrays) and which primitive values are
numbers or booleans (``<total value="3"/>`` is ``"total": 3``); the R4B models of
fhir.resources say both, so they give every element's shape here.

The conversion shapes and never validates: a value that breaks its type stays as written,
and an element the model does not know keeps its name, so the validation of the resources
(:mod:`nelm.interop.fhir.validate`) names each with its path exactly as for a JSON record —
one bad resource is set aside, never the whole record. Resources of a type no reader uses
keep only their type, id and meta, as :mod:`nelm.interop.fhir.load` keeps them from JSON.

The XML is parsed by the standard library's expat, which fetches nothing; FHIR XML has no
document type declaration (xml.html: "no DTD"), so one is refused rather than processed.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection
from typing import Any, NamedTuple

from nelm.errors import InputRejected, Problem
from nelm.interop.fhir.validate import fhir_model_class, is_resource_type

__all__ = ["FhirXmlRecord", "looks_like_xml", "read_xml_record"]

FHIR_NS = "http://hl7.org/fhir"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_CDA_NS = "urn:hl7-org:v3"

_INTEGERS = frozenset({"integer", "positiveInt", "unsignedInt", "integer64"})
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ROOT = re.compile(r"<[A-Za-z_]")


class FhirXmlRecord(dict[str, Any]):
    """A resource (usually a Bundle) read from FHIR XML: a dict like any JSON resource,
    whose type tells the assessment's input source what the user sent."""


class _Shape(NamedTuple):
    repeats: bool
    primitive: str | None  # the FHIR primitive type, or None for a complex element
    complex: str | None  # the model class of a complex element ("Resource": any resource)


def looks_like_xml(text: str) -> bool:
    """XML rather than JSON, YAML or NDJSON: the first character that is not space is ``<``."""
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def read_xml_record(text: str, *, source: str, read_types: Collection[str]) -> FhirXmlRecord:
    """The resource an XML text holds, in FHIR's JSON form; resources in a Bundle whose type
    is not in ``read_types`` keep only type, id and meta. Raises InputRejected with the
    parser's line and column when the text is not well-formed FHIR XML."""
    root_at = _ROOT.search(text)
    if _DOCTYPE.search(text, 0, root_at.start() if root_at else len(text)):
        raise InputRejected(
            [Problem("", f"FHIR XML in {source} (without a DTD)", "a document type declaration")]
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise InputRejected(
            [
                Problem(
                    "", f"well-formed XML in {source}", f"{reason} (line {line}, column {column})"
                )
            ]
        ) from None
    namespace, name = _split(root.tag)
    if namespace != FHIR_NS:
        got = (
            f"<{name}> in the namespace {namespace}"
            if namespace
            else f"<{name}> without the FHIR namespace"
        )
        if namespace == _CDA_NS:
            got += " (an HL7 CDA document, which is not FHIR)"
        raise InputRejected(
            [Problem("", f'a FHIR R4 resource in {source} (xmlns="{FHIR_NS}")', got)]
        )
    if not is_resource_type(name):
        raise InputRejected(
            [Problem("", f"a FHIR R4 resource type as the root element of {source}", f"<{name}>")]
        )
    try:
        return FhirXmlRecord(_resource(root, frozenset(read_types), top=True))
    except RecursionError:
        raise InputRejected(
            [Problem("", f"a FHIR resource in {source}", "elements nested too deeply to read")]
        ) from None


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


@functools.cache
def _fields(type_name: str) -> dict[str, _Shape] | None:
    """Every element of a FHIR type by its JSON name, with its shape; None for a name that
    is no type of R4."""
    klass = fhir_model_class(type_name)
    if klass is None:
        return None
    from fhir_core.utils import (
        determine_version_prefix,
        get_fhir_type_name,
        is_list_type,
        is_primitive_type,
    )

    prefix = determine_version_prefix(klass.__module__)
    shapes: dict[str, _Shape] = {}
    for json_name, field_name in klass.get_alias_mapping().items():
        field = klass.model_fields[field_name]
        kind = get_fhir_type_name(field, prefix=prefix)
        primitive = is_primitive_type(field)
        shapes[json_name] = _Shape(
            is_list_type(field), kind if primitive else None, None if primitive else kind
        )
    return shapes


def _resource(
    element: ET.Element, read_types: frozenset[str], *, top: bool = False
) -> dict[str, Any]:
    _, kind = _split(element.tag)
    if not top and kind not in read_types:  # only what the notes name is shaped
        kept = ET.Element(element.tag)
        kept.extend(child for child in element if _split(child.tag)[1] in ("id", "meta"))
        element = kept
    return {"resourceType": kind, **_complex(element, kind, read_types)}


def _complex(element: ET.Element, kind: str | None, read_types: frozenset[str]) -> dict[str, Any]:
    shapes = _fields(kind) if kind else None
    out: dict[str, Any] = {}
    for attribute in ("id", "url"):  # an element's id; an extension's url
        if attribute in element.attrib:
            out[attribute] = element.attrib[attribute]
    extensions: dict[str, list[Any]] = {}
    for child in element:  # the parser drops comments and processing instructions
        namespace, name = _split(child.tag)
        shape = shapes.get(name) if shapes is not None else None
        if shape is None:
            _put_unknown(out, name, _unknown(child))
            continue
        if shape.primitive is None:
            value = (
                _contained(child, read_types)
                if shape.complex == "Resource"
                else _complex(child, shape.complex, read_types)
            )
            _put(out, name, value, repeats=shape.repeats)
            continue
        if shape.primitive == "xhtml":
            out[name] = _xhtml(child) if namespace == XHTML_NS else _unknown(child)
            continue
        raw = child.attrib.get("value")
        _put(
            out,
            name,
            None if raw is None else _primitive(raw, shape.primitive),
            repeats=shape.repeats,
        )
        extension = _primitive_extension(child, read_types)
        if shape.repeats:
            extensions.setdefault(name, []).append(extension)
        elif extension is not None:
            out["_" + name] = extension
    for name, items in extensions.items():  # one per value, so the two lists align
        if any(item is not None for item in items):
            out["_" + name] = items
    return out


def _put(out: dict[str, Any], name: str, value: Any, *, repeats: bool) -> None:
    if repeats:
        out.setdefault(name, []).append(value)
    elif value is not None:
        out[name] = value


def _put_unknown(out: dict[str, Any], name: str, value: Any) -> None:
    if name not in out:
        out[name] = value
    elif isinstance(out[name], list):
        out[name].append(value)
    else:
        out[name] = [out[name], value]


def _primitive(raw: str, kind: str) -> Any:
    """The JSON value of a primitive; text that breaks the type stays text (validation
    names it)."""
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    if kind in _INTEGERS and _INTEGER.fullmatch(raw):
        return int(raw)
    if kind == "decimal" and _DECIMAL.fullmatch(raw):
        if not any(mark in raw for mark in ".eE"):
            return int(raw)
        number = float(raw)
        return number if math.isfinite(number) else raw
    return raw


def _primitive_extension(element: ET.Element, read_types: frozenset[str]) -> dict[str, Any] | None:
    """A primitive's id and extensions: JSON's ``_name`` object, or None."""
    body = _complex(element, "Element", read_types)
    body.pop("url", None)
    return body or None


def _contained(element: ET.Element, read_types: frozenset[str]) -> dict[str, Any]:
    """An element holding a resource (``entry.resource``, ``contained``): the resource."""
    for child in element:
        return _resource(child, read_types)
    return {}


def _xhtml(element: ET.Element) -> str:
    """A narrative's div, as JSON carries it: the XHTML as text in its own namespace."""
    div = copy.deepcopy(element)
    prefix = "{" + XHTML_NS + "}"
    for part in div.iter():
        if part.tag.startswith(prefix):
            part.tag = part.tag[len(prefix) :]
    div.tail = None
    div.set("xmlns", XHTML_NS)
    return ET.tostring(div, encoding="unicode")


def _unknown(element: ET.Element) -> Any:
    """An element the model does not know, kept under its name so validation names it."""
    children = list(element)
    if not children:
        return element.attrib.get("value", element.text or "")
    out: dict[str, Any] = {}
    for child in children:
        _, name = _split(child.tag)
        _put_unknown(out, name, _unknown(child))
    return out
