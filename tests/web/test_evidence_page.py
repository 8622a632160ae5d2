"""The evidence page as a board reads it: the patient's own subgroup first, populations
and designs in words, the comparator arms of the trials, a table with every plot, and no
survival curve drawn from a subgroup's figures. Expected rows come from the evidence
records (the seed and place of each is cited beside it)."""

from __future__ import annotations

import re

from nelm.evidence import analyses
from tests.web.conftest import Site
from tests.web.test_pages import logged_in, new_case


def _table(page: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert match, table_id
    return match.group(0)


def _page(site: Site, option: str, **fields: str) -> str:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id=f"ev-{option}", **fields)
    response = client.get(f"/cases/{pk}/evidence/{option}")
    assert response.status_code == 200
    return response.text


def test_patient_subgroup_from_the_primary_site() -> None:
    assert analyses.patient_subgroup("pancreas") == ("pnet",)
    assert set(analyses.patient_subgroup("small_intestine")) == {"si_net", "midgut_net"}
    assert analyses.patient_subgroup(None) == ()
    assert analyses.patient_subgroup("lung") == ()


def test_a_pancreatic_patient_sees_the_pancreatic_arms_first(site: Site) -> None:
    page = _page(site, "tace", **{"primary.site": "pancreas"})
    own = _table(page, "records-subgroup")
    # Seed 000 Table 2: Ruszniewski 1993, islet-cell (pancreatic) tumours treated by TACE.
    assert "Ruszniewski 1993" in own and "pancreatic NET" in own
    # Seed 000 Table 2: Maire 2012 treated midgut NET: not this patient's subgroup.
    assert "Maire 2012" not in own and "Maire 2012" in _table(page, "records")
    assert page.index('id="records-subgroup"') < page.index('id="records"')
    assert ">pnet<" not in page and ">retrospective<" not in page  # codes never shown


def test_a_small_intestinal_patient_sees_the_midgut_arms_first(site: Site) -> None:
    page = _page(site, "tace", **{"primary.site": "small_intestine"})
    own = _table(page, "records-subgroup")
    # Seed 000 Table 2 (Maire 2012, midgut NET); seed 001 Supplementary Table 1
    # (Hur 2013, small-intestinal NET).
    assert "Maire 2012" in own and "Hur 2013" in own
    assert "Ruszniewski 1993" not in own


def test_the_comparator_arms_of_the_trials_are_shown(site: Site) -> None:
    page = _page(site, "prrt", **{"primary.site": "small_intestine"})
    comparators = _table(page, "comparators")
    # Seed 000 §4 [84] and seed 002 §2.3: NETTER-1's control arm, long-acting octreotide,
    # median PFS 8.4 (seed 000) and 8.5 months (seed 002).
    assert "octreotide LAR (control)" in comparators and "8.4" in comparators
    assert "8.5" in comparators and "randomised trial" in comparators
    ids = {r.id for r in analyses.comparator_arms("everolimus")}
    # Seed 003 §Targeted therapies [107]: the RADIANT-3 placebo arm.
    assert "yao-2011-placebo@003-text" in ids


def test_every_plot_has_its_table_a_placeholder_and_resolved_sources(site: Site) -> None:
    page = _page(site, "tace", **{"primary.site": "pancreas"})
    assert page.count('class="plot-frame"') == page.count("<img ")
    assert page.count('class="plot-frame"') == page.count('class="scroll plot-table"')
    assert 'data-wait="Drawing the plot…"' in page
    # Seed 000 Table 2 is Ngongoni & Visser 2022 (sources.yaml); the page ends with the list.
    assert "Ngongoni 2022, Table 2" in page and 'id="reference-list"' in page
    assert "seed 000, Table 2" not in page  # the old internal source text


def test_a_subgroup_survival_is_named_not_drawn(site: Site) -> None:
    page = _page(site, "tae", **{"primary.site": "pancreas"})
    # Seed 004 §3.2: Zener 2019's survival rates are for well to moderately
    # differentiated patients only.
    section = page[page.index('id="surv-os"') :]
    table = section[: section.index("</section>")]
    assert "Not drawn, the figures describe only a subgroup" in table
    assert "Zener 2019" in table.split("Not drawn")[1]
    assert "Zener 2019" not in table.split("Not drawn")[0]


def test_the_pooled_questions_are_asked_again_in_the_patients_subgroup(site: Site) -> None:
    from nelm.evidence.records import records_for

    page = _page(site, "prrt", **{"primary.site": "pancreas"})
    table = _table(page, "pooled-subgroup")
    row = re.search(
        r"Median progression-free survival after PRRT, pancreatic NET</th><td[^>]*>(\d+)</td>",
        table,
    )
    assert row, table
    # Every PRRT arm of pancreatic NET that reports a median PFS and its size, except
    # Partelli 2018 (000 ref 85: "resectable or potentially resectable pancreatic
    # neuroendocrine neoplasms", not a NELM series) and van Vliet 2015 (004 §4: the 69
    # months go with the "9 patients [who] underwent surgical resection").
    arms = {
        r.study_key
        for r in records_for(modality="prrt", outcome="median_pfs_months")
        if r.population == "pnet"
        and r.n
        and not {"not_nelm_cohort", "subgroup_outcome"} & set(r.flags)
    }
    assert int(row.group(1)) == len(arms) >= 2
    assert "small-intestinal NET" not in table


def test_a_study_arm_s_note_runs_under_it_and_the_headings_are_short(site: Site) -> None:
    """A note in the last of 17 columns made each PRRT row hundreds of pixels tall: it is a
    row of its own under its arm, as wide as the table; outcome headings are short, the
    full outcome name their tooltip and, on a phone, each cell's label."""
    page = _page(site, "prrt", **{"primary.site": "pancreas"})
    table = _table(page, "records")
    columns = re.search(r"<thead>.*?</thead>", table, re.S)
    assert columns
    width = columns.group(0).count("<th ")
    assert '<abbr title="median overall survival (months)">Median OS (mo)</abbr>' in table
    assert 'data-label="median overall survival (months)"' in table
    # Seed 000 Table 4: Bodei 2011, "OS nr (not reached)", is noted in the records.
    notes = re.findall(r'<tr class="arm-note[^"]*"><td colspan="(\d+)">(.*?)</td></tr>', table)
    assert any("not reached" in text for _, text in notes)
    assert {int(span) for span, _ in notes} == {width}
    body = table.split("</thead>", 1)[1]
    rows = re.findall(r"<tr(?: class=\"own-subgroup\")?><th.*?</tr>", body, re.S)
    assert rows and all(row.count("<td") == width - 1 for row in rows)


def test_the_values_of_the_plot_show_what_was_pooled(site: Site) -> None:
    """Ngongoni 2022 Table 2 prints 13 % 5-year survival for Pitt 2008's 51 TAE patients:
    the plot pools 7 of 51 (13.7 %), so the table beside it shows both, not 13 alone."""
    page = _page(site, "tae")
    row = re.search(r"<tr><th scope=\"row\">Pitt 2008[^<]*</th>.*?</tr>", page, re.S)
    assert row, "Pitt 2008"
    assert "7/51 = 13.7 %" in page


def test_the_transplant_page_quotes_the_ranges_the_reviews_give(site: Site) -> None:
    page = _page(site, "liver_transplant_milan")
    # Seed 000 §2.2 ("to 67–97% in recent studies"), 001 §Liver transplantation ("5-year OS
    # ranging from 30% to almost 100%") and 004 §3.1 ("47%-71%"), beside Mazzaferro's arm.
    statements = re.search(r'<ul class="statements" id="statements">.*?</ul>', page, re.S)
    assert statements
    for words in ("67–97%", "30% to almost 100%", "47%-71%"):
        assert words in statements.group(0)


def test_a_chemotherapy_without_study_arms_still_says_what_the_seeds_give(site: Site) -> None:
    # Seed 003 §Medical therapy: "Response rates of 42—-67% have been obtained combining
    # cisplatin and eto- poside [103]".
    page = _page(site, "platinum_etoposide")
    assert "No study arm of this option is recorded" in page
    assert "42–67%" in page


def test_the_prrt_median_shows_the_range_its_review_states(site: Site) -> None:
    page = _page(site, "prrt")
    # 000 §4: "median OS ranging from 14–36 months (Table 4)".
    assert "median OS ranging from 14–36 months (Table 4)" in page


def test_a_100_percent_study_shows_what_it_is_modelled_as(site: Site) -> None:
    resection = _page(site, "liver_resection")
    # 001 Table 1, Frilling 2009: 100% of 23, modelled by metafor's escalc as 23.5/24.
    assert "23/23 = 100.0 %, modelled as 23.5/24 = 97.9 % †" in resection


def test_the_prrt_page_says_why_no_overall_survival_curve_is_drawn(site: Site) -> None:
    page = _page(site, "prrt")
    # 000 Table 4: Kaemmerer 2021's 1st row (after primary-tumour resection, median OS 134
    # months) is the only PRRT arm with two OS figures, and its other part is set aside.
    section = page[page.index('id="surv-os"') :]
    section = section[: section.index("</section>")]
    assert "whose other part is set aside" in section
    assert "Kaemmerer 2021 · PT resection" in section
    assert "No other arm of this treatment can be drawn." in section
    # Without a curve, no figure: its image would be an empty frame (the plot answers 404).
    assert "<img" not in section
    assert "No curve is drawn" in section


def test_a_median_not_reached_reads_not_reached_not_missing(site: Site) -> None:
    # 000 Table 4: Strosberg 2017 (NETTER-1, 111 GI NET), median PFS and OS "nr".
    page = _page(site, "prrt")
    table = _table(page, "records")
    row = re.search(r"<tr><th scope=\"row\">Strosberg 2017<span.*?</tr>", table, re.S)
    assert row, table
    cell = re.search(r'data-label="median overall survival \(months\)">([^<]*)</td>', row.group(0))
    assert cell and cell.group(1) == "not reached"
    # 000 Table 4: Kwekkeboom 2008, median OS 46 months, printed as 46, not 46.0.
    kwekkeboom = re.search(r"<tr><th scope=\"row\">Kwekkeboom 2008<span.*?</tr>", table, re.S)
    assert kwekkeboom and ">46</td>" in kwekkeboom.group(0)
    assert ">46.0</td>" not in kwekkeboom.group(0)


def test_each_forest_plot_names_the_records_it_does_not_pool(site: Site) -> None:
    # 003 §Potentially curative surgery: Bonney et al. report a 5-year survival of 70 %
    # after synchronous resection without a patient count, so it cannot be pooled; the
    # plot's subtitle says "1 record excluded", and the page says which and why.
    page = _page(site, "simultaneous_resection")
    section = page[page.index('id="forest-os_5y_percent"') :]
    section = section[: section.index("</section>")]
    details = re.search(r'<details class="not-pooled">.*?</details>', section, re.S)
    assert details, section
    assert "Not in this pool: 1 record, and why" in details.group(0)
    assert "Bonney n.d. · synchronous pancreatic and liver resection" in details.group(0)
    assert "number of patients not reported" in details.group(0)


def test_a_caution_names_the_reviews_without_the_word_seed(site: Site) -> None:
    # Dong 2011: 001 Supplementary Table 1 prints 123 patients, 000 Table 2 prints 50.
    page = _page(site, "tace")
    cautions = page[page.index('class="pool-cautions"') :]
    cautions = cautions[: cautions.index("</div>")]
    assert re.search(r"n = 123 as <a [^>]*>Machairas 2021</a>, Supplementary Table 1", cautions)
    assert "seed <a" not in cautions
    assert "Cautions — 5-year overall survival after TACE" in cautions


def test_the_extraction_s_flags_are_said_in_words_never_as_codes(site: Site) -> None:
    """001 Table 1 prints Sahara 2019's OS columns as a repeat of its DFS columns (flag
    os_probably_dfs, docs/evidence-extraction.md); 000 Table 4's Partelli 2018 is a series
    of resectable pancreatic tumours, not of liver metastases (flag not_nelm_cohort). The
    page says so in a sentence under the arm; no flag's code is shown anywhere."""
    from nelm.evidence.flag_words import FLAG_WORDS
    from nelm.evidence.records import FLAGS

    codes = re.compile(r"\b(?:" + "|".join(FLAGS) + r")\b")
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="ev-flags")
    for option, arm, flag in (
        ("liver_resection", "Sahara 2019", "os_probably_dfs"),
        ("prrt", "Partelli 2018 · PRRT first", "not_nelm_cohort"),
    ):
        page = client.get(f"/cases/{pk}/evidence/{option}").text
        row = re.search(
            rf'<tr><th scope="row">{re.escape(arm)}<span.*?</tr>\s*<tr class="arm-note">(.*?)</tr>',
            page,
            re.S,
        )
        assert row, arm
        assert f"<li>{FLAG_WORDS[flag]}</li>" in row.group(1).replace("&#39;", "'")
        text = re.sub(r"<[^>]+>", " ", page)  # what a reader sees, open or folded
        assert not codes.search(text), codes.search(text)
        # nor a population's or an outcome's code (000 Table 4: Carlsen 2019, "GEP NEN
        # G3", not pooled with G1-G2 NET), nor the API's hint to ask for that population
        assert "nen_g3" not in text and "orr_percent" not in text
        assert "ask for population" not in text


def test_a_figure_no_statistic_uses_is_marked_in_its_cell(site: Site) -> None:
    # 001 Table 1, Sahara 2019: 5-year OS and 5-year DFS are both printed as 43.7; the OS
    # figures repeat the DFS ones and are set aside (docs/evidence-extraction.md,
    # os_probably_dfs). The OS cell says so; the DFS cell, which is used, does not.
    page = _page(site, "liver_resection")
    row = re.search(r'<tr><th scope="row">Sahara 2019<span.*?</tr>', page, re.S)
    assert row
    cells = dict(re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row.group(0), re.S))
    assert cells["5-year overall survival (%)"] == '43.7 <span class="set-aside">(set aside)</span>'
    assert cells["5-year disease-free survival (%)"] == "43.7"


def test_a_nec_patient_reads_whose_figures_they_are_first(site: Site) -> None:
    # 000 Table 1: of the primary's resection the one NEC arm is Feng 2019 (50 patients,
    # median OS 12 months); the rest are series of well-differentiated NET (000 §1: a
    # pancreatic NEC's median OS 11.3 months against 35.9 for a G3 NET).
    client, csrf = logged_in(site)
    nec = {"pathology.differentiation": "poor", "pathology.ki67_percent": "60"}
    pk = new_case(client, csrf, case_id="ev-nec", **nec)
    page = client.get(f"/cases/{pk}/evidence/primary_tumor_resection").text
    note = re.search(r'<p class="alert" id="grade-note">(.*?)</p>', page, re.S)
    assert note, "no grade note"
    text = re.sub(r"<[^>]+>", "", note.group(1))
    assert text.startswith("This case is a NEC")
    assert "Feng 2019 · PT resected (NEC, 50 patients, median OS 12 months" in text
    well = new_case(client, csrf, case_id="ev-g2", **{"pathology.ki67_percent": "5"})
    assert 'id="grade-note"' not in client.get(f"/cases/{well}/evidence/liver_resection").text
