"""The four ways a case enters nelm, for ``tools/messy_inputs.py``: each run yields faults.

A fault is a short key (channel, what went wrong, the field): the sweep prints each once.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

AS_OF = "2026-06-01"
PASSWORD = "correct horse battery staple"
REFUSE = "refuse"
ANY = "any"
_ABSENT = object()


def _at(doc: Any, path: str) -> Any:
    """The value at ``section.name`` of a read document (``_ABSENT`` when not there)."""
    section, _, name = path.partition(".")
    part = doc.get(section, _ABSENT) if isinstance(doc, dict) else _ABSENT
    if not name:
        return part
    return part.get(name, _ABSENT) if isinstance(part, dict) else _ABSENT


def _read_as(messy: Any, read: Any, where: str) -> Iterator[str]:
    """An accepted input holds what it said, or nothing: never something else."""
    if messy.field is None or messy.expect == ANY or "." not in messy.field:
        return
    value = _at(read, messy.field)
    if value is _ABSENT or value is None:
        return  # unknown stays unknown
    if isinstance(value, dict):  # kept as entered, in another unit: its value in the field's
        from nelm.case.units import entry_unit

        unit = entry_unit(messy.field, str(value.get("unit")))
        value = round(value["value"] * unit.factor, 2) if unit else value
    if messy.expect == REFUSE or value != messy.expect:
        yield f"{where}: {messy.field} read as {value!r}"


class Channels(contextlib.AbstractContextManager["Channels"]):
    """``nelm assess``, ``POST /api/v1/assess``, the case store API and the case form, on
    one application with a fresh SQLite store in a scratch folder."""

    def __init__(self) -> None:
        from fastapi.testclient import TestClient

        from nelm.store import Store
        from nelm.web.app import create_app
        from nelm.web.settings import Settings

        self._scratch = tempfile.TemporaryDirectory(prefix="nelm-messy.")
        self.dir = Path(self._scratch.name)
        self.outcomes = Counter[str]()
        self.verbose = False
        self.store = Store(f"sqlite:///{self.dir / 'nelm.sqlite'}")
        user = self.store.create_user("messy", "clinician", PASSWORD)
        _, token = self.store.create_api_token(user.id, "messy")
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        app = create_app(Settings(announce=lambda _: None), store=self.store)
        self.client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        self.csrf = self._login()
        first = self.client.post(
            "/api/v1/cases",
            content=json.dumps({"schema_version": 1, "case_id": "kept"}),
            headers=self.headers,
        )
        self.kept = int(first.json()["id"])

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.client.close()
        self.store.close()
        self._scratch.cleanup()

    def _login(self) -> str:
        page = self.client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        self.client.post(
            "/login",
            data={"username": "messy", "password": PASSWORD, "csrf_token": csrf.group(1)},
        )
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.client.get("/account").text)
        assert found is not None
        return found.group(1)

    def summary(self) -> str:
        return ", ".join(f"{k}: {n}" for k, n in sorted(self.outcomes.items()))

    def run(self, messy: Any, *, pdf: bool) -> Iterator[str]:
        formats = ("json", "text", "html", *(("pdf",) if pdf else ()))
        for fmt in formats:
            yield from self._cli(messy, fmt)
        yield from self._cli(messy, "json", with_=True)
        yield from self._api(messy)
        yield from self._store(messy)
        if messy.form is not None:
            yield from self._form(messy)

    # -- nelm assess -------------------------------------------------------------------
    def _cli(self, messy: Any, fmt: str, *, with_: bool = False) -> Iterator[str]:
        """``nelm assess FILE``; with ``with_``, the file as ``--with`` on a packaged example."""
        from nelm.cli import main

        path = self.dir / "case.json"
        path.write_bytes(messy.data)
        out = self.dir / f"out.{fmt}"
        read = ["--example", "sparse", "--with", str(path)] if with_ else [str(path)]
        sys.argv = ["nelm", "assess", *read, "-f", fmt, "-o", str(out), "--as-of", AS_OF]
        fmt = f"{fmt}-with" if with_ else fmt
        err = io.StringIO()
        code: object = 0
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_:
                code = exit_.code or 0
            except Exception as exc:  # past main(): the user would see a traceback
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                yield f"cli-{fmt}: {type(exc).__name__} at {Path(frame.filename).name}"
                return
        self.outcomes[f"cli {code}"] += 1
        said = err.getvalue()
        if code not in (0, 2) or "Traceback" in said:
            yield f"cli-{fmt}: exit {code} {said.strip()[-120:]}"
        elif code == 2 and messy.field and messy.field not in said:
            if not (with_ and messy.field == "document"):  # a --with file is named, not a case
                yield f"cli-{fmt}: field {messy.field} not named: {said.strip()[:160]}"
        elif code == 0 and fmt.startswith("json"):
            output = json.loads(out.read_text("utf-8"))
            if self.verbose:
                print(
                    f"  accepted: {messy.name} -> {_at(output.get('inputs'), messy.field or '')!r}"
                )
            yield from _read_as(messy, output.get("inputs"), "cli")
            yield from _warned(messy, output)

    # -- POST /api/v1/assess -----------------------------------------------------------
    def _api(self, messy: Any) -> Iterator[str]:
        response = self.client.post(
            f"/api/v1/assess?as_of={AS_OF}", content=messy.data, headers=self.headers
        )
        self.outcomes[f"api {response.status_code}"] += 1
        yield from self._answer("api", messy.json_only(), response)
        if response.status_code == 200:
            body = response.json()
            yield from _read_as(messy, body.get("inputs"), "api")

    def _answer(self, where: str, messy: Any, response: Any) -> Iterator[str]:
        status = response.status_code
        if status >= 500:
            yield f"{where}: status {status}"
        elif status in (400, 422) and messy.field and messy.field not in response.text:
            yield f"{where}: {status} does not name {messy.field}: {response.text[:160]}"

    # -- POST and PUT /api/v1/cases ----------------------------------------------------
    def _store(self, messy: Any) -> Iterator[str]:
        before = len(self.store.list_cases())
        response = self.client.post("/api/v1/cases", content=messy.data, headers=self.headers)
        self.outcomes[f"store-post {response.status_code}"] += 1
        yield from self._answer("store-post", messy.json_only(), response)
        after = len(self.store.list_cases())
        if response.status_code >= 400 and after != before:
            yield f"store-post: refused ({response.status_code}) but a case was stored"
        if response.status_code == 201:
            yield from _read_as(messy, response.json().get("document"), "store-post")
        version = self.store.get_case(self.kept).current_version
        response = self.client.put(
            f"/api/v1/cases/{self.kept}", content=_as_kept(messy.data), headers=self.headers
        )
        self.outcomes[f"store-put {response.status_code}"] += 1
        yield from self._answer("store-put", messy.json_only(), response)
        now = self.store.get_case(self.kept).current_version
        if response.status_code >= 400 and now != version:
            yield f"store-put: refused ({response.status_code}) but a version was stored"

    # -- the case form -----------------------------------------------------------------
    def form_post(self, name: str, fields: dict[str, Any], field: str) -> Iterator[str]:
        """The form posted as a hand-made or old page might: 303 or a 4xx naming ``field``."""
        data = {"case_id": f"raw-{name}", **fields, "csrf_token": self.csrf}
        response = self.client.post("/cases/new", data=data)
        self.outcomes[f"form {response.status_code}"] += 1
        if response.status_code >= 500:
            yield f"form: status {response.status_code} ({name})"
        elif "<script>" in response.text:
            yield f"form: typed text shown unescaped ({name})"
        elif response.status_code == 422 and _input_id(field) not in response.text:
            yield f"form: 422 does not name {field} ({name})"

    def _form(self, messy: Any) -> Iterator[str]:
        from nelm.web.forms import form_values

        try:
            base = json.loads(messy.data)
        except ValueError:
            return
        base.get(messy.field.split(".")[0], {}).pop(messy.field.split(".")[1], None)
        values = form_values(base)
        values["case_id"] = f"form-{base.get('case_id')}"
        values[messy.field] = messy.form
        if messy.unit is not None:
            values[f"unit:{messy.field}"] = messy.unit
        values["csrf_token"] = self.csrf
        response = self.client.post("/cases/new", data=values)
        self.outcomes[f"form {response.status_code}"] += 1
        if response.status_code >= 500:
            yield f"form: status {response.status_code}"
            return
        if response.status_code == 303:
            case = self.store.find_case(values["case_id"])
            if case is not None:
                yield from _read_as(messy, case.document, "form")
            return
        page = response.text
        if "<" in messy.form and messy.form in page:
            yield "form: typed text shown unescaped"
        named = (messy.field, html.escape(messy.field), _input_id(messy.field))
        if response.status_code == 422 and not any(n in page for n in named):
            yield f"form: 422 does not name {messy.field}"


def _input_id(path: str) -> str:
    return "f-" + path.replace(".", "-").replace("_", "-")


def _as_kept(data: bytes) -> bytes:
    """The body with the stored case's id, so that a PUT is no case-id change."""
    try:
        doc = json.loads(data)
    except ValueError:
        return data
    if isinstance(doc, dict) and isinstance(doc.get("case_id"), str):
        doc["case_id"] = "kept"
        return json.dumps(doc).encode("utf-8")
    return data


def _warned(messy: Any, output: dict[str, Any]) -> Iterator[str]:
    """A confirmed implausible value is accepted with a warning naming it."""
    from nelm.case.plausibility import plausible_range

    read = output.get("inputs") or {}
    for path in read.get("confirmed") or ():
        value = _at(read, path)
        found = plausible_range(path)
        if found is None or not isinstance(value, int | float) or found.contains(value):
            continue
        warned = [w for w in output.get("input_warnings") or () if w.get("field") == path]
        if not warned:
            yield f"cli: confirmed {path}={value!r} not warned of"
