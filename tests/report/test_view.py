"""One view of an assessment: every renderer shows the same rows in the same words."""

from __future__ import annotations

import json
import re
from pathlib import Path

from markupsafe import escape

from nelm.interop.cds_hooks import cards
from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.changes import input_changes
from nelm.report.html import render_html
from nelm.report.text import render_text
from nelm.report.view import (
    classification_rows,
    field_label,
    format_value,
    missing_data_groups,
    option_groups,
    outcome_label,
    plan_steps,
    todo_items,
)
from nelm.service import assess_mapping
from nelm.vocabulary import vocabulary
from tests.engine.cases import BASE

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "resectable-pnet.json"


def test_classification_rows_name_the_vocabularys_facts() -> None:
    # BASE: Ki-67 5 %, 1 mitosis/2 mm², well differentiated: WHO 2019 G2 (Ki-67 3–20 %);
    # two unilobar lesions: type I (004 §1); pancreas drains to the portal system (case-v1).
    rows = {r.key: r for r in classification_rows(assess_mapping(BASE, with_evidence=False))}
    assert rows["grade"].title == vocabulary().derived["grade"].label
    assert (rows["grade"].value, rows["liver_type"].value) == ("G2", "I")
    assert rows["portal_drainage"].value == "yes"


def test_an_open_grade_says_what_would_settle_it() -> None:
    case = {**BASE, "pathology": {"ki67_percent": 25}}  # no differentiation: G3 or NEC
    row = classification_rows(assess_mapping(case, with_evidence=False))[0]
    assert row.value == "G3 or NEC (not settled)"
    assert "Differentiation" in row.settle


def test_a_primary_outside_the_staging_tables_is_said_once_with_readable_sources() -> None:
    # 003 Tables 2 and 3 stage the pancreas only (docs/staging.md, "Other primaries"): a
    # gastric primary gets "no staging system", said once, its sources by author and year.
    case = {**BASE, "primary": {**BASE["primary"], "site": "stomach"}}
    rows = {r.key: r for r in classification_rows(assess_mapping(case, with_evidence=False))}
    for key in ("stage_enets", "stage_ajcc7"):
        row = rows[key]
        assert row.value == "no staging system in the sources for this primary"
        assert row.value not in row.explanation.lower()
        assert "pancreas only" in row.explanation and "stomach" in row.explanation
        shown = cite_plain(row.explanation, ReferenceList())
        assert "ENETS-TNM-2006" not in shown and "003" not in shown
        assert "Nigri 2018, Table" in shown


def test_option_groups_follow_the_intent_order_eligible_first() -> None:
    doc = assess_mapping(BASE, with_evidence=False)
    groups = option_groups(doc)
    order = vocabulary().intent_ids
    assert [g.intent for g in groups] == [i for i in order if i in {g.intent for g in groups}]
    rank = vocabulary().status_order
    for group in groups:
        ranks = [rank[o["status"]] for _, o in group.members]
        assert ranks == sorted(ranks)
    assert sum(len(g.members) for g in groups) == len(doc["options"])


def test_values_carry_their_units_and_unknown_stays_unknown() -> None:
    assert format_value("pathology.ki67_percent", 5.0) == "5%"
    assert format_value("liver.largest_lesion_cm", 2.5) == "2.5 cm"
    assert format_value("labs.platelets_per_ul", 200000) == "200,000 /µL"
    # an absent value in the words of every page (the board summary, the form)
    assert format_value("patient.fit_for_major_surgery", None) == "not known"
    assert format_value("patient.fit_for_major_surgery", False) == "no"
    assert outcome_label("os_5y_percent") == "5-year overall survival (%)"


def test_prior_treatments_are_named_as_the_case_page_names_them() -> None:
    shown = format_value("course.prior_treatments", ["tace", "prrt"])
    assert shown == (
        "Conventional transarterial chemoembolisation (cTACE), "
        "Peptide receptor radionuclide therapy (177Lu-DOTATATE)"
    )
    assert format_value("course.prior_treatments", []) == "none"
    assert format_value("extrahepatic.sites", ["distant_nodes"]) == "distant nodes"


def test_text_html_and_cards_show_the_same_plan_and_classification_words() -> None:
    doc = assess_mapping(json.loads(EXAMPLE.read_text("utf-8")))
    text = render_text(doc, width=200)
    html = render_html(doc)
    steps = plan_steps(doc)
    assert steps
    for step in steps:
        assert step["intent_title"] in text and step["intent_title"] in html
        for item in step["items"]:
            assert item["name"] in html
            assert item["name"].split(" (")[0][:30] in text
    for row in classification_rows(doc):
        assert row.title in text and row.title in html
    grade = classification_rows(doc)[0]
    line = cards._classification_line(doc, ReferenceList())
    assert line is not None and f"{grade.title} {grade.value}" in line


def test_a_field_named_by_label_and_path_reads_once() -> None:
    # The plausibility message names the field by label and path (docs/plausibility.md);
    # a report shows the label once.
    from nelm.report.view import in_words

    text = "Platelets (labs.platelets_per_ul) 210 /µL; labs.hemoglobin_g_dl must be …"
    assert in_words(text) == "Platelets 210 /µL; Haemoglobin must be …"
    assert in_words("Age (labs.platelets_per_ul)") == "Age (Platelets)"


def test_the_plan_names_each_option_before_what_it_waits_on() -> None:
    # A thin case leaves most criteria open; a board scans the plan by option name, so each
    # option starts its own line and its open criteria follow it, never precede it.
    thin = {
        "schema_version": 1,
        "case_id": "thin",
        "primary": {"site": "small_intestine"},
        "pathology": {"ki67_percent": 8},
        "liver": {"bilobar": True},
    }
    doc = assess_mapping(thin, with_evidence=False)
    html = render_html(doc)
    text = render_text(doc, width=200)
    waiting = [i for s in plan_steps(doc) for i in s["items"] if i["conditions"]]
    assert waiting
    for item in waiting:
        name, first = item["name"], item["conditions"][0]
        # ... and links to the option's criteria further down.
        assert f'<a href="#option-{item["id"]}">' in html
        assert f'id="option-{item["id"]}"' in html
        at = html.index(str(escape(name)))
        # (the first words only: the report writes a seed's number as its authors and year)
        assert html.index(str(escape("if " + first[:30])), at) > at
        line = next(ln for ln in text.splitlines() if name[:30] in ln)
        assert "if " not in line.split(name[:30])[0]


def test_a_narrowed_liver_type_is_shown_as_the_types_still_possible() -> None:
    # Both lobes involved without the pattern: complex (II) or diffuse (III), not simple
    # (I) (001 Figure 1; 004 §1). Every renderer says so rather than "unknown".
    thin = {"schema_version": 1, "case_id": "t", "liver": {"bilobar": True}}
    doc = assess_mapping(thin, with_evidence=False)
    assert doc["classification"]["liver_type_possible"] == ["II", "III"]
    rows = {r.key: r for r in classification_rows(doc)}
    assert rows["liver_type"].value == "II or III (not settled)"
    assert "II or III (not settled)" in render_text(doc, width=200)
    # Nothing narrowed: not known, not "I or II or III".
    bare = assess_mapping({"schema_version": 1, "case_id": "b"}, with_evidence=False)
    assert {r.key: r for r in classification_rows(bare)}["liver_type"].value == "not known"


def test_an_empty_case_reads_not_known_in_every_classification_row() -> None:
    """The rows say "not known", as the board summary and the form do; the JSON keeps its
    nulls and its "unknown" results (docs/contract/assessment-v1.md)."""
    bare = assess_mapping({"schema_version": 1, "case_id": "b"}, with_evidence=False)
    rows = {r.key: r.value for r in classification_rows(bare)}
    for key in ("differentiation", "liver_type", "portal_drainage", "burden_band"):
        assert rows[key] == "not known", key
        assert bare["classification"][key] is None, key
    # no primary site: whether ENETS or AJCC stages it is open (staging.stage_line)
    assert [v for k, v in rows.items() if k.startswith("stage_")] == [
        "not known (primary site not given)"
    ] * 2
    text = render_text(bare, width=200)
    assert re.search(r"Differentiation +not known", text)
    assert not re.search(r"Differentiation +unknown", text)
    results = {c["result"] for o in bare["options"].values() for c in o["criteria"]}
    assert "unknown" in results


def test_the_inputs_name_the_timeline_treatments_and_what_the_timeline_gave() -> None:
    """docs/case-v1-additions.md, The timeline: a progression within an SSA line is
    progression on an SSA; a latest finding of progression gives 0 months of stable disease
    and a progressing course; the lines are the prior treatments."""
    doc = {
        "case_id": "tl",
        "timeline": {
            "as_of": "2021-01-01",
            "treatments": [
                {"treatment": "ssa", "start": "2020-01-01", "progression": "2020-07-01"}
            ],
            "scans": [{"date": "2020-07-01", "finding": "progression"}],
        },
    }
    page = render_html(assess_mapping(doc, with_evidence=False))
    ssa = vocabulary().option["ssa"].name
    assert f"<td>{escape(ssa)}</td>" in page
    for label, value in (
        ("Gives: Progressed on a somatostatin analogue", "yes"),
        ("Gives: Months of stable disease", "0 months"),
        ("Gives: Disease course", "progressing"),
    ):
        assert f"<td>{label}</td><td>{value}</td>" in page, label


def test_the_text_reports_lists_wrap_under_their_first_word() -> None:
    # A numbered to-do list whose continuation lines start at the margin hides the numbers:
    # every wrapped line of an item is indented past its number, and item 10 lines up with 9.
    thin = {"case_id": "thin", "primary": {"site": "small_intestine"}}
    doc = assess_mapping(thin, with_evidence=False)
    lines = render_text(doc, width=60).splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("To do: investigations"))
    todo = []
    for ln in lines[start + 1 :]:
        if not ln.startswith(" "):
            break
        todo.append(ln)
    numbered = [ln for ln in todo if ln.lstrip()[:1].isdigit() and ". " in ln[:7]]
    assert len(numbered) >= 2 and len(todo) > len(numbered)  # items wrapped at 60 columns
    indent = len(numbered[0]) - len(numbered[0].lstrip()) + len(numbered[0].lstrip().split()[0]) + 1
    for ln in todo:
        if ln not in numbered:
            assert len(ln) - len(ln.lstrip()) == indent, ln
    # render_text's promise: long lines wrap, nothing is cut, section titles included (a
    # note printed in full under an earlier option is named by its first words, "…", and
    # where it is in full: an abbreviation with its pointer, not a cut line)
    narrow = re.sub(r"…\s+\(in\s+full\s+under", "", render_text(doc, width=40))
    assert "…" not in narrow


def test_an_option_s_open_criteria_are_counted_only_beyond_one_more() -> None:
    from nelm.report.view import _shown_conditions

    four = [f"criterion {i}" for i in range(4)]
    assert _shown_conditions(four) == four  # never "1 more open criteria"
    five = [*four, "criterion 4"]
    assert _shown_conditions(five) == [*four[:3], "2 more open criteria (see the option)"]


def test_an_option_s_if_starts_with_what_sets_it_apart_from_its_step() -> None:
    # A thin case: resectability, the remnant and the grade's mitoses not given. The
    # curative step offers a one-stage and a staged hepatectomy, which share most criteria;
    # the staged one's "if" must show its reason to stage (001 "Staged resections for
    # extensive disease", 003 "Potentially curative surgery": a remnant < 30 % or bilobar
    # type II disease), not hide it behind the count of the criteria both share.
    from nelm.knowledge.loader import load_knowledge

    case = {
        "schema_version": 1,
        "case_id": "thin-staged",
        "patient": {"age_years": 45},
        "primary": {"site": "small_intestine", "resected": True},
        "pathology": {"ki67_percent": 1, "differentiation": "well"},
        "extrahepatic": {"present": False},
    }
    staged = load_knowledge().options["staged_resection"]
    reason = next(c.text for c in staged.criteria if c.id.endswith(".needs_staging"))
    doc = assess_mapping(case, with_evidence=False)
    steps = plan_steps(doc)
    item = next(i for s in steps for i in s["items"] if i["id"] == "staged_resection")
    assert reason in item["conditions"]
    # ... and in every step of several options, the shown criteria that fewer siblings
    # share come first (the step's own condition, while unknown, stays first of all)
    for step in steps:
        raw = step.get("conditions") or {}
        for it in step["items"]:
            others = [set(raw.get(o) or ()) for o in step["options"] if o != it["id"]]
            shown = [c for c in it["conditions"] if c in raw.get(it["id"], ())]
            if not others or len(shown) < 2:
                continue
            shared = [sum(c in other for other in others) for c in shown]
            starts = 1 if all(raw.get(o, [None])[0] == shown[0] for o in step["options"]) else 0
            assert shared[starts:] == sorted(shared[starts:]), (it["id"], shown)


def test_two_versions_name_their_timeline_changes_in_words() -> None:
    # a timeline as docs/case-v1-additions.md "The timeline" writes it
    before = {"timeline": {"as_of": "2026-06-01"}}
    after = {
        "timeline": {
            "as_of": "2026-12-01",
            "treatments": [
                {
                    "treatment": "ssa",
                    "start": "2019-06-01",
                    "stop": "2020-01-10",
                    "best_response": "stable_disease",
                    "progression": "2020-01-05",
                }
            ],
            "scans": [{"date": "2020-01-05", "finding": "progression"}],
        }
    }
    changes = {
        c.label: (c.before, c.after)
        for c in input_changes(before, after, label=field_label, show=format_value)
    }
    ssa = vocabulary().option["ssa"].name
    assert changes == {
        "Timeline: as of": ("2026-06-01", "2026-12-01"),
        "Timeline: treatment lines": (
            "not known",
            f"{ssa} from 2019-06-01 to 2020-01-10, best response stable disease, "
            "progression 2020-01-05",
        ),
        "Timeline: scans": ("not known", "2020-01-05 progression"),
    }


def test_a_results_date_and_the_records_warnings_are_named_in_words() -> None:
    # docs/case-v1-additions.md: measured_on (the date of a result) and record_warnings
    # are no fields of the patient; a comparison of two versions names them in words, and
    # one removed is "none", not "not known" (they say nothing of the patient).
    said = "The FHIR record “r.json” read for 2026-12-01: DECEASED: the record says so."
    before = {
        "labs": {"creatinine_mg_dl": 0.9},
        "measured_on": {"labs.creatinine_mg_dl": "2026-11-02"},
        "record_warnings": [said],
    }
    after = {"labs": {"creatinine_mg_dl": 1.1}}
    changes = {
        c.label: (c.before, c.after)
        for c in input_changes(before, after, label=field_label, show=format_value)
    }
    assert changes == {
        "Creatinine": ("0.9 mg/dL", "1.1 mg/dL"),
        "Date of the result: Creatinine": ("2026-11-02", "none"),
        "What the record said": (said, "none"),
    }


def test_ticked_choices_in_another_order_are_no_change() -> None:
    # A form sends ticked boxes in its own order; "vhl, men1" and "men1, vhl" say the same
    # of the patient, so no change is listed and an unchanged edit stores no version.
    from nelm.report.changes import same_case

    before = {"case_id": "o", "patient": {"hereditary_syndromes": ["vhl", "men1"]}}
    after = {"case_id": "o", "patient": {"hereditary_syndromes": ["men1", "vhl"]}}
    assert input_changes(before, after, label=field_label, show=format_value) == []
    assert same_case(before, after)
    assert not same_case(before, {"case_id": "o", "patient": {"hereditary_syndromes": ["vhl"]}})


def test_the_to_do_list_names_each_option_once_grouped_by_what_the_result_could_do() -> None:
    thin = {"case_id": "thin", "primary": {"site": "small_intestine"}}
    doc = assess_mapping(thin, with_evidence=False)
    items = todo_items(doc)
    assert items
    for item in items:
        summary = item["summary"]
        for oid in item["could_change"]:
            name = doc["options"][oid]["name"]
            assert summary.count(name) == 1, (item["name"], name)
        # one phrase per effect, never one parenthesis per option
        assert "(could become" not in summary
        effects = {tuple(item["could_become"].get(o, ())) for o in item["could_change"]}
        if ("ineligible",) in effects:
            assert summary.count("could rule out: ") == 1
        if ("eligible", "ineligible") in effects:
            assert summary.count("could settle either way: ") == 1


def test_fields_deciding_the_same_options_are_listed_together() -> None:
    thin = {"case_id": "thin", "primary": {"site": "small_intestine"}}
    doc = assess_mapping(thin, with_evidence=False)
    groups = missing_data_groups(doc)
    decides = {field_label(m["field"]): m["decides"] for m in doc["missing_data"]}
    # every field once, with exactly the options it decides
    assert sorted(label for labels, _ in groups for label in labels) == sorted(decides)
    for labels, names in groups:
        for label in labels:
            assert names == [doc["options"][o]["name"] for o in decides[label]]
    # and no two groups decide the same options
    assert len({tuple(names) for _, names in groups}) == len(groups)
    assert len(groups) < len(decides)  # the grade's three fields, at least, go together
    # with no to-do list (a stored assessment without one) the report lists them so
    text = render_text({**doc, "investigations": []}, width=100)
    assert "Ki-67 index, Mitotic count, Differentiation decide " in text


def test_the_printable_report_names_options_without_their_ids() -> None:
    # A reader sees clinical names only (as in the text report); the id stays in the
    # page's anchors, for the plan's links.
    import re

    doc = assess_mapping(BASE, with_evidence=False)
    page = render_html(doc)
    visible = re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1])
    for oid in doc["options"]:
        assert f"[{oid}]" not in visible
        assert f'id="option-{oid}"' in page
