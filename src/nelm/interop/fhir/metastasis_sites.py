"""Sites of distant metastasis recorded as Observations, as German oncology records do.

The MII oncology module (Medizininformatik-Initiative, Kerndatensatz-Modul Onkologie,
profile "Fernmetastasen") records each site of distant metastasis as an Observation coded
SNOMED CT 385421009 *Site of distant metastasis*, valued with a code of the oBDS list
(CodeSystem mii-cs-onko-fernmetastasen) or the SNOMED CT body structure that the module's
ConceptMap mii-cm-onko-fernmetastasen-sct gives for it, and linked to its cancer by
``focus``. HEP is a liver metastasis; PUL, OSS, LYM (distant lymph nodes: the list is of
distant sites) and PER are the case-v1 extrahepatic sites of the same name; BRA, MAR,
PLE, ADR, SKI and OTH are extrahepatic disease elsewhere (``other``). GEN (generalised
metastasis) names no site and is only noted. An Observation whose focus is a cancer that
is not neuroendocrine never gets here (nelm.interop.fhir.observations).
"""

from __future__ import annotations

from nelm.interop.fhir.collect import Source
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.dates import When
from nelm.interop.fhir.systems import MII_METASTASIS_SITES, SNOMED, Code, codings, label
from nelm.interop.fhir.validate import Entry

__all__ = ["DISTANT_METASTASIS_SITE", "read_distant_metastasis"]

DISTANT_METASTASIS_SITE: Code = (SNOMED, "385421009")

# oBDS code → (its SNOMED CT body structure in mii-cm-onko-fernmetastasen-sct, the site).
_SITES: dict[str, tuple[str, str]] = {
    "HEP": ("258334004", "liver"),
    "PUL": ("258332000", "lung"),
    "OSS": ("258333005", "bone"),
    "LYM": ("258336002", "distant_nodes"),
    "PER": ("258338001", "peritoneum"),
    "BRA": ("313367003", "other"),
    "MAR": ("14016003", "other"),
    "PLE": ("258337006", "other"),
    "ADR": ("258339009", "other"),
    "SKI": ("258340006", "other"),
    "OTH": ("258348004", "other"),
}
_BY_CODE: dict[Code, str] = {
    **{(MII_METASTASIS_SITES, obds): site for obds, (_, site) in _SITES.items()},
    **{(SNOMED, snomed): site for snomed, site in _SITES.values()},
}


def read_distant_metastasis(ctx: Context, entry: Entry, when: When | None) -> None:
    """Where the Observation places a distant metastasis: the liver, or an extrahepatic site."""
    found = {
        (code, _BY_CODE[code])
        for code in codings(entry.resource.get("valueCodeableConcept"))
        if code in _BY_CODE
    }
    if len({site for _, site in found}) != 1:
        ctx.notes.add(
            "not used: a site of distant metastasis that names no single site nelm reads "
            "(oBDS PUL, OSS, HEP, BRA, LYM, MAR, PLE, PER, ADR, SKI, OTH; GEN names none)",
            entry.ref,
        )
        return
    code, site = sorted(found)[0]
    source = Source(entry.ref, entry.path, f"SNOMED CT 385421009, {label(code)}")
    if site == "liver":
        ctx.liver_metastases.append((source, when))
        return
    ctx.add("extrahepatic.sites", site, source)
    ctx.add("extrahepatic.present", True, source)
