"""Treatment codes: which procedure (CPT, SNOMED CT, project codes) and medication (ATC,
project codes) codes mean which earlier treatment of the case.

Part of the mapping tables of :mod:`nelm.interop.fhir.codes`.
"""

from __future__ import annotations

from nelm.interop.fhir.systems import (
    ATC,
    CPT,
    NELM_MEDICATION,
    NELM_PROCEDURE,
    SNOMED,
    Code,
)

PROCEDURES: dict[Code, tuple[str, bool | str]] = {
    # CPT 48150/48152 pancreatectomy, proximal subtotal with total duodenectomy … (Whipple-
    # type), with / without pancreatojejunostomy; 48153/48154 the pylorus-sparing variants.
    **dict.fromkeys(
        [
            (CPT, "48150"),
            (CPT, "48152"),
            (CPT, "48153"),
            (CPT, "48154"),
            (NELM_PROCEDURE, "pancreaticoduodenectomy"),
        ],
        ("anatomy.prior_whipple", True),
    ),
    # CPT 47120 partial lobectomy, 47122 trisegmentectomy, 47125 total left lobectomy,
    # 47130 total right lobectomy (hepatectomy, resection of liver).
    **dict.fromkeys(
        [
            (CPT, "47120"),
            (CPT, "47122"),
            (CPT, "47125"),
            (CPT, "47130"),
            (NELM_PROCEDURE, "liver-resection"),
        ],
        ("course.prior_treatments", "liver_resection"),
    ),
    # CPT 47370 laparoscopic, 47380 open, 47382 percutaneous radiofrequency ablation of
    # liver tumour(s). Cryoablation (47371/47381/47383) is not radiofrequency/microwave.
    **dict.fromkeys(
        [(CPT, "47370"), (CPT, "47380"), (CPT, "47382"), (NELM_PROCEDURE, "thermal-ablation")],
        ("course.prior_treatments", "thermal_ablation"),
    ),
    # SNOMED CT 441525007 Percutaneous transluminal chemoembolisation of artery.
    (SNOMED, "441525007"): ("course.prior_treatments", "tace"),
    (NELM_PROCEDURE, "tace"): ("course.prior_treatments", "tace"),
    (NELM_PROCEDURE, "deb-tace"): ("course.prior_treatments", "deb_tace"),
    (NELM_PROCEDURE, "tae"): ("course.prior_treatments", "tae"),
    # CPT 79445 radiopharmaceutical therapy by intra-arterial particulate administration
    # (90Y microspheres).
    (CPT, "79445"): ("course.prior_treatments", "tare"),
    (NELM_PROCEDURE, "tare"): ("course.prior_treatments", "tare"),
    (NELM_PROCEDURE, "prrt"): ("course.prior_treatments", "prrt"),
}

# The primary tumour was removed (the timeline's primary_resection): no standard code that
# says so whatever the organ could be checked, so only the project code is read.
PRIMARY_RESECTION: Code = (NELM_PROCEDURE, "primary-resection")

# Codes recognised as too broad to map (noted, not an error).
AMBIGUOUS_PROCEDURES: frozenset[Code] = frozenset(
    {
        (CPT, "37243"),  # vascular embolisation for tumour: bland, chemo- or radio-embolisation
        (CPT, "79101"),  # intravenous radiopharmaceutical therapy: PRRT or another agent
    }
)

MEDICATIONS: dict[Code, str] = {
    (ATC, "H01CB02"): "ssa",  # octreotide
    (ATC, "H01CB03"): "ssa",  # lanreotide
    (ATC, "L01EG02"): "everolimus",  # everolimus (antineoplastic; L01XE10 before 2022)
    (ATC, "L01XE10"): "everolimus",
    (ATC, "L01EX01"): "sunitinib",  # sunitinib (L01XE04 before 2022)
    (ATC, "L01XE04"): "sunitinib",
    (ATC, "L01EX07"): "cabozantinib",  # cabozantinib (L01XE26 before 2022)
    (ATC, "L01XE26"): "cabozantinib",
    (ATC, "V10XX04"): "prrt",  # lutetium (177Lu) oxodotreotide
    (NELM_MEDICATION, "octreotide"): "ssa",
    (NELM_MEDICATION, "lanreotide"): "ssa",
    (NELM_MEDICATION, "everolimus"): "everolimus",
    (NELM_MEDICATION, "sunitinib"): "sunitinib",
    (NELM_MEDICATION, "surufatinib"): "surufatinib",
    (NELM_MEDICATION, "cabozantinib"): "cabozantinib",
    (NELM_MEDICATION, "lutetium-177-dotatate"): "prrt",
}
