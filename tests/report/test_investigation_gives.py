"""The to-do list names what each investigation examines after "gives": a yes/no field's
label is the finding it records ("Carcinoid heart disease"), which after "Transthoracic
echocardiography — gives" read as if the echo caused it. 003 (Potentially curative
surgery) asks for the "absence of right cardiac dysfunction": the echo examines right
heart function, looking for carcinoid heart disease."""

from __future__ import annotations

from markupsafe import escape

from nelm.case.fields import FIELD_BY_PATH, Kind
from nelm.knowledge import load_knowledge
from nelm.report.gives import GIVES
from nelm.report.html import render_html
from nelm.report.text import render_text
from nelm.service import assess_mapping
from tests.engine.published_cases import PUBLISHED_CASES

# A lung typical carcinoid with carcinoid syndrome (Hindawi 2017, published_cases.py): the
# report states nothing of the heart, so the echocardiography is on the to-do list.
LUNG = next(
    p.case
    for p in PUBLISHED_CASES
    if p.name == "lung-typical-carcinoid-liver-recurrence-with-syndrome"
)
ECHO = "Transthoracic echocardiography"
GIVEN = "gives Right heart function (carcinoid heart disease)."


def test_the_text_report_says_what_the_echo_examines() -> None:
    text = " ".join(render_text(assess_mapping(LUNG, with_evidence=False), width=100).split())
    assert f"{ECHO} — {GIVEN}" in text
    assert "gives Carcinoid heart disease" not in text


def test_the_printed_report_says_it_too() -> None:
    page = render_html(assess_mapping(LUNG, with_evidence=False))
    assert f"<li><strong>{ECHO}</strong> — {escape(GIVEN)}" in page
    assert "gives Carcinoid heart disease" not in page


def test_the_assessment_document_keeps_its_own_words() -> None:
    doc = assess_mapping(LUNG, with_evidence=False)
    (echo,) = [i for i in doc["investigations"] if i["id"] == "echocardiography"]
    assert echo["fields"] == ["patient.carcinoid_heart_disease"]
    assert "Right heart function" not in str(doc)


def test_every_yes_no_field_an_investigation_gives_is_named_by_what_it_examines() -> None:
    given = {f for inv in load_knowledge().investigations for f in inv.fields}
    findings = {f for f in given if FIELD_BY_PATH[f].kind is Kind.BOOLEAN}
    # a yes/no label is a finding; the few that already name a history are listed here
    history = {
        "anatomy.prior_whipple",  # "Prior pancreaticoduodenectomy"
        "course.recurrence_after_liver_resection",  # "Liver recurrence after hepatectomy"
        "liver.burden_symptoms",  # "Symptoms attributed to the liver tumour burden"
        "pathology.sstr_ihc_positive",  # "SSTR expression on immunohistochemistry"
    }
    assert sorted(findings - history - set(GIVES)) == []
    assert sorted(set(GIVES) - given) == []
