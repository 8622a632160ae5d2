"""The case page and the meeting's presentation page read on a phone: every option is a
headline (status, name, why, what would decide it, the cautions this patient raises) with
its criteria behind a ``<details>`` that a phone's screen folds and a wider screen and
paper show unfolded (app.css, ``details.fold-narrow``); an index of the options by status;
nothing that needs a script.

The cases are a published case report (shared/real-cases; tests/realcases holds the same
files) and a packaged example; what each test expects is said with its source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nelm.report.view import field_label
from nelm.web.cases import normalised_document
from tests.web.conftest import Site

REAL = Path(__file__).parents[1] / "realcases"
EXAMPLES = Path(__file__).parents[2] / "src" / "nelm" / "examples"
# The knowledge base holds 23 treatment options (README, "23 treatment options";
# src/nelm/knowledge/data/vocabulary.yaml lists them).
OPTIONS = 23
XSS_LABEL = "<script>alert('label')</script>"
XSS_QUESTION = "Resect? <img src=x onerror=alert(1)>"
XSS_PRESENTER = 'Dr "A" <b>bold</b>'
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def all(self) -> list[Element]:
        found = [self]
        for child in self.children:
            found.extend(child.all())
        return found

    def find(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.all()[1:] if e.tag == tag and (cls is None or cls in e.classes)]

    def inner_text(self) -> str:
        parts = list(self.text)
        for child in self.children:
            parts.append(child.inner_text())
        return " ".join(" ".join(parts).split())


class _Tree(HTMLParser):
    """A page as a tree of elements (text kept per element, in order per element only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.at = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.at)
        self.at.children.append(element)
        if tag not in VOID:
            self.at = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data: str) -> None:
        self.at.text.append(data)


def _tree(page: str) -> Element:
    parser = _Tree()
    parser.feed(page)
    return parser.root


def _by_id(root: Element) -> dict[str, Element]:
    return {str(e.attrs["id"]): e for e in root.all() if e.attrs.get("id")}


def _logged_in(site: Site) -> tuple[TestClient, str]:
    site.user("dr-clinician", "clinician")
    client = site.client()
    return client, site.login(client, "dr-clinician")


def _real(name: str) -> dict[str, object]:
    raw = json.loads((REAL / f"{name}.json").read_text("utf-8"))
    document: dict[str, object] = raw["case"]
    return document


def _pages(site: Site, document: dict[str, object], **agenda: str) -> dict[str, str]:
    """The case page and its presentation page at a meeting."""
    client, csrf = _logged_in(site)
    pk = site.store.create_case(normalised_document(document), None).id
    made = client.post(
        "/meetings", data={"csrf_token": csrf, "held_on": "2026-12-03", "title": "NET board"}
    )
    assert made.status_code == 303
    meeting = made.headers["location"].rsplit("/", 1)[-1]
    added = client.post(
        f"/meetings/{meeting}/agenda",
        data={"csrf_token": csrf, "case_pk": str(pk), "question": "Which treatment?", **agenda},
    )
    assert added.status_code == 303, added.text
    pages = {
        "case": client.get(f"/cases/{pk}"),
        "present": client.get(f"/meetings/{meeting}/present/1"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.text for name, response in pages.items()}


def test_every_option_is_on_both_pages_with_its_status_and_its_criteria(site: Site) -> None:
    # cr02 (Rev Med Urug 37(4), doi:10.29193/RMU.37.4.14): a 65-year-old woman, a
    # non-functioning pancreatic NET in place, progressing after SSA and chemotherapy.
    pages = _pages(site, _real("cr02-rmu-pnet-prrt"))
    case = site.store.find_case("cr02-rmu-pnet-prrt")
    assert case is not None
    assessment = site.store.latest_assessment(case.id, 1)
    assert assessment is not None
    doc_options = assessment.output["options"]
    for name, page in pages.items():
        root = _tree(page)
        ids = _by_id(root)
        options = {k[4:]: e for k, e in ids.items() if k.startswith("opt-")}
        assert len(options) == OPTIONS, name
        assert set(options) == set(doc_options), name
        index = ids["option-index"]
        for oid, element in options.items():
            status = doc_options[oid]["status"]
            # the index names it once, under its status
            links = [a for a in index.find("a") if a.attrs.get("href") == f"#opt-{oid}"]
            assert len(links) == 1, (name, oid)
            assert f"index-{status}" in (links[0].parent or links[0]).classes, (name, oid)
            if status == "ineligible":
                # a line of the ineligible table: each criterion not met beside its value
                assert element.tag == "tr" and element.parent is not None
                assert element.find("th")[0].inner_text() == doc_options[oid]["name"]
                failing = [c for c in doc_options[oid]["criteria"] if c["result"] == "not_met"]
                assert element.find("td")[0].inner_text().startswith(failing[0]["text"])
                continue
            # a card: its status and name in the heading, its criteria in a folded
            # <details> (not open: the page opens it only on a wide screen or on paper)
            assert element.tag == "article" and status in element.classes, (name, oid)
            heading = element.find("h4")[0].inner_text()
            assert doc_options[oid]["name"] in heading, (name, oid)
            folds = element.find("details", "fold-narrow")
            assert len(folds) == 1 and "open" not in folds[0].attrs, (name, oid)
            rows = folds[0].find("table", "criteria-table")[0].find("tbody")[0].find("tr")
            assert len(rows) == len(doc_options[oid]["criteria"]), (name, oid)
            for row, criterion in zip(rows, doc_options[oid]["criteria"], strict=True):
                assert criterion["result"] in row.classes
            # what would decide it stands in the headline, outside the fold
            if doc_options[oid]["missing"]:
                prompts = [p for p in element.find("p", "prompt") if p.parent is element]
                assert prompts and prompts[0].inner_text().startswith("Obtain "), (name, oid)


def test_a_criterion_not_met_stands_beside_its_value(site: Site) -> None:
    # cr02: "65-year-old"; the Milan criteria ask for an age under 55 (Machairas 2021,
    # Table 2; Mazzaferro 2007). The age and its criterion are one row, not two cells
    # of lines that a phone stacked apart.
    pages = _pages(site, _real("cr02-rmu-pnet-prrt"))
    for name, page in pages.items():
        rows = _tree(page).find("tr")
        age = [r for r in rows if "Age < 55 years" in r.inner_text() and r.find("td")]
        assert age, name
        assert all("65" in r.find("td", "value")[0].inner_text() for r in age), name
        milan = _by_id(_tree(page))["opt-liver_transplant_milan"]
        assert "option-line" in milan.classes


def test_a_relative_criterion_is_said_to_be_the_board_s_to_weigh(site: Site) -> None:
    # The example "ileal NET G1" (Ki-67 1.5 %): CAPTEM is "mainly indicated" for
    # pancreatic NETs (Xue 2025, §3.4), a relative criterion in the knowledge base; no
    # missing value settles it, so the card must say who does, not stay silent.
    document = json.loads((EXAMPLES / "limited-ablation.json").read_text("utf-8"))
    for name, page in _pages(site, document).items():
        card = _by_id(_tree(page))["opt-capecitabine_temozolomide"]
        assert "uncertain" in card.classes, name
        said = [p.inner_text() for p in card.find("p", "judgement")]
        assert len(said) == 1 and "Pancreatic NET" in said[0], name
        assert said[0].startswith("For the board to weigh"), name
        why = card.find("p", "why")[0].inner_text()
        # the example gives no eGFR; its creatinine, 1.1 mg/dL, gives this woman of 79 an
        # eGFR of 51.1 by CKD-EPI 2021 (Inker 2021), above capecitabine's 30 (label 4.1)
        assert "1 for the board to weigh" in why and "not known" not in why, name


def test_what_the_user_typed_is_escaped(site: Site) -> None:
    document = {**_real("cr02-rmu-pnet-prrt"), "label": XSS_LABEL}
    pages = _pages(site, document, question=XSS_QUESTION, presenter=XSS_PRESENTER)
    for name, page in pages.items():
        assert XSS_LABEL not in page and "<img src=x" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in page, name
        assert "Resect? &lt;img src=x onerror=alert(1)&gt;" in page, name
        assert "Dr &#34;A&#34; &lt;b&gt;bold&lt;/b&gt;" in page, name


def test_nothing_on_the_pages_needs_a_script(site: Site) -> None:
    for name, page in _pages(site, _real("cr02-rmu-pnet-prrt"), question="Q").items():
        root = _tree(page)
        scripts = root.find("script")
        # one script, the page's own file, deferred: a progressive enhancement only
        assert [s.attrs.get("src") for s in scripts] == ["/static/app.js"], name
        assert all(not "".join(s.text).strip() for s in scripts), name
        for element in root.all():
            handlers = [a for a in element.attrs if a.startswith("on")]
            assert not handlers and "style" not in element.attrs, (name, element.tag)
        # every criterion is in the page as sent, folded or not
        assert len(root.find("table", "criteria-table")) == len(root.find("details", "criteria"))
        # the ways back up are links within the page
        for link in root.find("a", "to-index"):
            assert link.attrs.get("href") == "#option-index"


def test_the_style_sheet_folds_the_criteria_on_a_phone_s_screen_only() -> None:
    css = (Path(__file__).parents[2] / "src/nelm/web/static/app.css").read_text("utf-8")
    unfold = re.search(
        r"@supports selector\(::details-content\) \{\s*"
        r"details\.fold-narrow > summary \{ display: none; \}\s*"
        r"details\.fold-narrow::details-content \{ display: block; content-visibility: visible; \}"
        r"\s*\}",
        css,
    )
    assert unfold is not None
    phone = re.search(r"@media screen and \(max-width: 40rem\) \{(.*?)\n\}", css, re.S)
    assert phone is not None
    assert (
        "details.fold-narrow:not([open])::details-content { content-visibility: hidden; }"
        in phone.group(1)
    )
    # folded nowhere else: not for print, not on a wider screen
    assert css.count("content-visibility: hidden") == 1


def test_the_case_page_s_list_of_all_missing_data_folds_like_the_criteria(site: Site) -> None:
    # cr02 states no grade, extent, imaging or laboratory value: more than the five
    # investigations of the first screen are missing, so the page lists them all below
    page = _pages(site, _real("cr02-rmu-pnet-prrt"))["case"]
    listed = _by_id(_tree(page))["missing-data"]
    fold = listed.parent
    assert fold is not None and fold.tag == "details" and "fold-narrow" in fold.classes
    assert "open" not in fold.attrs
    assert len(listed.find("li")) > 5


def test_the_investigations_beyond_the_first_five_are_found_where_the_page_says(
    site: Site,
) -> None:
    # the presentation page has no list of all missing data: its "and N more below the
    # options" pointed at nothing; it now leads to the case page's list
    pages = _pages(site, _real("cr02-rmu-pnet-prrt"))
    case = site.store.find_case("cr02-rmu-pnet-prrt")
    assert case is not None
    for name, page in pages.items():
        ids = _by_id(_tree(page))
        (link,) = ids["more-investigations"].find("a")
        target = str(link.attrs["href"])
        if name == "case":
            assert target == "#h-missing" and "h-missing" in ids
        else:
            assert target == f"/cases/{case.id}#h-missing" and "h-missing" not in ids
            assert 'id="h-missing"' in pages["case"]


def _prompt(card: Element) -> Element | None:
    prompts = [p for p in card.find("p", "prompt") if p.parent is card]
    return prompts[0] if prompts else None


def _labels(doc_option: dict[str, Any]) -> list[str]:
    return [field_label(p) for p in doc_option["missing"]]


THIN_AND_FULL: dict[str, Callable[[], dict[str, Any]]] = {
    "cr28-burke-midgut-tace": lambda: _real("cr28-burke-midgut-tace"),
    "sparse": lambda: json.loads((EXAMPLES / "sparse.json").read_text("utf-8")),
    "resectable-pnet": lambda: json.loads((EXAMPLES / "resectable-pnet.json").read_text("utf-8")),
}


@pytest.mark.parametrize("case_name", list(THIN_AND_FULL))
def test_a_thin_case_names_the_common_data_once_and_every_card_keeps_its_whole_list(
    site: Site, case_name: str
) -> None:
    # cr28 (Burke et al.; tests/realcases): the case as encoded states the age, the sex and
    # a midgut primary only, and the packaged example "sparse" little more, so most options
    # wait on missing data; resectable-pnet is a full case. The common data are worked out
    # here from the assessment document's own lists (assessment-v1 options[*].missing) by
    # the rule the page states: what more than half of the options waiting on data wait on.
    document = THIN_AND_FULL[case_name]()
    pages = _pages(site, document)
    case = site.store.find_case(str(document["case_id"]))
    assert case is not None
    assessment = site.store.latest_assessment(case.id, 1)
    assert assessment is not None
    doc_options = assessment.output["options"]
    waiting = {oid: _labels(o) for oid, o in doc_options.items() if o["missing"]}
    counts: dict[str, int] = {}
    for labels in waiting.values():
        for label in set(labels):
            counts[label] = counts.get(label, 0) + 1
    common = {label for label, n in counts.items() if 2 * n > len(waiting)}
    if case_name != "resectable-pnet":
        # a thin case: the grade's data are common (cr28 as encoded gives no grade at all)
        assert "Ki-67 index" in common or "Mitotic count" in common, case_name
    for name, page in pages.items():
        where = (case_name, name)
        root = _tree(page)
        ids = _by_id(root)
        block = ids.get("common-missing")
        if all(len(set(labels)) <= 3 for labels in waiting.values()):
            # every list short (three data or fewer): each card names its own, whole
            assert block is None and not any(k.startswith("missing-") for k in ids), where
        if case_name != "resectable-pnet":
            assert block is not None, where
        if block is not None:
            # named once, above the first card
            assert page.count('id="common-missing"') == 1, where
            assert page.index('id="common-missing"') < page.index("<article"), where
            named = [
                label
                for item in block.find("li")
                for label in item.find("strong")[0].inner_text().split(", ")
            ]
            assert sorted(named) == sorted(common), where
        for oid, labels in waiting.items():
            card = ids[f"opt-{oid}"]
            prompt = _prompt(card)
            assert prompt is not None and prompt.inner_text().startswith("Obtain "), where
            said = " ".join("".join(prompt.text).split())
            links = [a.attrs.get("href") for a in prompt.find("a")]
            # the card's whole list stays in the card: in its headline, or in its fold
            whole = ids.get(f"missing-{oid}")
            if whole is None:
                assert links == [], (where, oid)
                assert _named(said, r"^Obtain (.*) to decide\.$") == labels, (where, oid)
                continue
            fold = whole.parent
            assert fold is not None and fold.tag == "details", (where, oid)
            listed = whole.inner_text().split(": ", 1)[1].rstrip(".").split(", ")
            assert listed == labels, (where, oid)
            if links == ["#common-missing"]:
                # the common data are not repeated in the headline: only those it
                # does not wait on ("except …") and what else it waits on
                excepted = _named(said, r" except (.*?)(?:, and also | to decide)")
                assert set(excepted) == common - set(labels), (where, oid)
                own = _named(said, r"and also (.*), to decide\.$")
                assert own == [label for label in labels if label not in common], (where, oid)
            else:
                # "the same data as" a card above, which waits on the very same data
                assert len(links) == 1 and str(links[0]).startswith("#opt-"), (where, oid)
                other = str(links[0])[5:]
                assert set(waiting[other]) == set(labels), (where, oid)
                assert page.index(f'id="opt-{other}"') < page.index(f'id="opt-{oid}"')


def _named(text: str, pattern: str) -> list[str]:
    """The field labels a card's sentence names where ``pattern``'s group stands."""
    found = re.search(pattern, text)
    return found.group(1).split(", ") if found else []


def test_the_common_data_and_the_same_as_links_are_escaped() -> None:
    # field labels and option names come from the knowledge base, yet a page escapes all
    # it writes (docs/web.md: Jinja2 autoescaping on every page)
    from nelm.report.board import BoardView, OptionRow
    from nelm.web.page_support import _env

    evil = "<script>alert(1)</script>"
    options = [
        OptionRow(
            id=oid,
            name=f"{evil} {oid}",
            status="uncertain",
            intent="systemic_control",
            criteria=(),
            failing=(),
            missing=(evil, "Mitotic count", "<b>x</b>", "Ki-67 index", *own),
            cautions=(),
            short=f"<i>{oid}</i>",
        )
        for oid, own in (("a", ()), ("b", ()), ("c", ()), ("d", ("<u>d</u>",)), ("e", ("E",)))
    ]
    view = BoardView("c", None, "k", [], [], [], [], options)
    module = _env().get_template("_summary.html").module
    html = str(module.matrix(view, view.references, 1, False))  # type: ignore[attr-defined]
    assert "<script>" not in html and "<b>x</b>" not in html and "<i>a</i>" not in html
    assert "<u>d</u>" not in html and "&lt;u&gt;d&lt;/u&gt;" in html
    # a, b and c wait on the same four data: b's and c's cards name a (as the index does);
    # a, d and e refer to the common data, named above the cards
    assert html.count('href="#opt-a">&lt;i&gt;a&lt;/i&gt;</a>') == 3
    block = html[html.index('id="common-missing"') : html.index("<article")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block and "&lt;b&gt;x&lt;/b&gt;" in block


def test_the_carcinoid_crisis_caution_is_said_once_above_the_cards(site: Site) -> None:
    # cr28 (Burke et al.; tests/realcases): carcinoid crisis complicated TACE, but the case
    # as encoded does not say whether the tumour is functional, so 002 §3.3's caution for
    # "interventions directed at NETs" is shown as a condition to check, on every open
    # procedure's card; the page says it once, and each such card names it by number.
    document = _real("cr28-burke-midgut-tace")
    pages = _pages(site, document)
    case = site.store.find_case(str(document["case_id"]))
    assert case is not None
    assessment = site.store.latest_assessment(case.id, 1)
    assert assessment is not None
    doc_options = assessment.output["options"]
    start = "If the patient has a carcinoid syndrome"
    carrying = {
        oid
        for oid, o in doc_options.items()
        if o["status"] != "ineligible"
        and any(c["text"].startswith(start) for c in o["caution_details"])
    }
    assert {"tace", "thermal_ablation", "liver_resection"} <= carrying
    for name, page in pages.items():
        root = _tree(page)
        ids = _by_id(root)
        block = ids["common-cautions"]
        assert block.inner_text().count("octreotide prophylaxis") == 1, name
        assert root.inner_text().count("octreotide prophylaxis") == 1, name
        (item,) = [li for li in block.find("li") if li.inner_text().startswith(start)]
        number = item.attrs["id"].removeprefix("caution-")
        for oid in doc_options:
            card = ids[f"opt-{oid}"]
            links = [a for a in card.find("a") if a.attrs.get("href") == f"#caution-{number}"]
            assert len(links) == (1 if oid in carrying else 0), (name, oid)


@pytest.mark.parametrize(
    ("syndrome", "said"),
    [
        ("carcinoid", "with octreotide given perioperatively"),
        ("insulinoma", "the hypoglycaemia is controlled alongside every step"),
    ],
)
def test_the_plan_shows_its_precautions_beside_the_step_they_concern(
    site: Site, syndrome: str, said: str
) -> None:
    # The plan panel leaves each step's rationale out, so a precaution that belongs before or
    # alongside a step is shown with it: for a stated carcinoid syndrome, perioperative
    # octreotide before the first procedure (002 §3.3: "guidelines such as ENET and NANETs
    # generally recommend the use of perioperative octreotide prophylactically"); for an
    # insulinoma, glycaemic control alongside every step (Matej 2016). Notes that explain a
    # step (an SSA's hormone control) stay in the rationale of the full report.
    document = json.loads((EXAMPLES / "limited-ablation.json").read_text("utf-8"))
    document["primary"] = {**document["primary"], "functional_syndrome": syndrome}
    for name, page in _pages(site, document).items():
        plan = _by_id(_tree(page))["plan"]
        notes = [n.inner_text() for n in plan.find("div", "step-note")]
        assert len(notes) == 1 and said in notes[0], (syndrome, name)
