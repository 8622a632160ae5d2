"""Condition codes for the liver-reserve and vascular findings of ``anatomy``: hepatic
encephalopathy, ascites, portal vein thrombosis and biliary obstruction.

A current Condition with one of these codes sets its field to true. Nothing in a record
sets one to false: a problem list without ascites does not say there is none.

ICD-10-CM titles from the CDC tabular list of 1 April 2026 (FY2026; as redistributed in
GitHub StefanoTrv/simple_icd_10_CM package-files/simple_icd_10_CM/data/
icd10c-tabular-April-1-2026.xml, commit 4a7d11a5):

* K76.82 "Hepatic encephalopathy" (since FY2023; includes hepatic encephalopathy NOS and
  without coma, portal-systemic encephalopathy). Its Excludes1 sends hepatic failure
  *with coma* to K72.01 "Acute and subacute hepatic failure with coma", K72.11 "Chronic
  hepatic failure with coma", K72.91 "Hepatic failure, unspecified with coma" (includes
  hepatic coma NOS) and K70.41 "Alcoholic hepatic failure with coma": each is hepatic
  encephalopathy at its gravest. The "without coma" codes (K72.00, K72.10, K72.90,
  K70.40) are hepatic failure without it and are not read.
* R18 "Ascites": R18.0 "Malignant ascites", R18.8 "Other ascites" (ascites NOS). R18's
  Excludes1 names the codes that carry ascites inside a liver disease: K70.11 "Alcoholic
  hepatitis with ascites", K70.31 "Alcoholic cirrhosis of liver with ascites", K71.51
  "Toxic liver disease with chronic active hepatitis with ascites".
* I81 "Portal vein thrombosis" (includes portal (vein) obstruction).
* K83.1 "Obstruction of bile duct" (occlusion, stenosis, stricture of bile duct without
  cholelithiasis).

R18, I81 and K83.1 have the same meaning in WHO ICD-10 and ICD-10-GM. The WHO category
K72 "Hepatic failure, not elsewhere classified" holds hepatic failure with and without
encephalopathy, so a WHO or GM K72 code is not read as encephalopathy, except ICD-10-GM's
own K72.7-! "Hepatische Enzephalopathie und Coma hepaticum", graded by the West Haven
criteria: K72.71! to K72.74! "Hepatische Enzephalopathie Grad 1" to "Grad 4" (as quoted
by the German Society for Medical Controlling's coding query DGfM FoKA Anfrage 0331,
2020: "K72.73! (= Hepatische Enzephalopathie Grad 3)", and in German Wikipedia's
classification box of "Hepatische Enzephalopathie"). WHO ICD-10 has no K72.7.

SNOMED CT 389026000 "Ascites (disorder)" and 17920008 "Portal vein thrombosis
(disorder)" as listed in the Belgian eHealth value set be-vs-diagnostic-imaging-indication
(GitHub hl7-be/referral input/fsh/valuesets/terminology/BeVSDiagnosticImagingIndication.fsh,
commit 26f112cd). SNOMED CT 13920009 "Hepatic encephalopathy" as coded by HL7's Adverse
Event Clinical Research implementation guide (GitHub HL7/fhir-ae-research-ig,
input/fsh/examples.fsh: the Condition AEHepaticFailureUseCase7complication, "hepatic
failure complicated by encephalopathy"). No concept id for bile-duct obstruction was found
in a citable source, so SNOMED CT codes for it are not read.
"""

from __future__ import annotations

from nelm.interop.fhir.systems import ICD10, ICD10_CM, ICD10_GM

ENCEPHALOPATHY = "anatomy.hepatic_encephalopathy"
ASCITES = "anatomy.ascites"
PORTAL_VEIN = "anatomy.portal_vein_thrombosis"
BILIARY = "anatomy.biliary_obstruction"

# Codes that exist only in ICD-10-CM (WHO and GM K70.4, K72.x and K76.8 are not split so).
_CM_ONLY: dict[str, str] = {
    "K76.82": ENCEPHALOPATHY,
    "K72.01": ENCEPHALOPATHY,
    "K72.11": ENCEPHALOPATHY,
    "K72.91": ENCEPHALOPATHY,
    "K70.41": ENCEPHALOPATHY,
    "K70.11": ASCITES,
    "K70.31": ASCITES,
    "K71.51": ASCITES,
}
# Categories with one meaning in WHO ICD-10, ICD-10-CM and ICD-10-GM.
_ALL_ICD10 = (("R18", ASCITES), ("I81", PORTAL_VEIN), ("K83.1", BILIARY))

SNOMED_FINDINGS: dict[str, str] = {
    "389026000": ASCITES,  # Ascites (disorder)
    "17920008": PORTAL_VEIN,  # Portal vein thrombosis (disorder)
    "13920009": ENCEPHALOPATHY,  # Hepatic encephalopathy (HL7 AE research IG example)
}


def finding_field(system: str, code: str) -> str | None:
    """The anatomy field that a normalised ICD-10 code sets to true, or None."""
    if system == ICD10_CM and code in _CM_ONLY:
        return _CM_ONLY[code]
    if system == ICD10_GM and code.startswith("K72.7"):
        return ENCEPHALOPATHY  # GM's K72.7-!: hepatic encephalopathy, West Haven grade 1-4
    for prefix, field in _ALL_ICD10:
        if code.startswith(prefix):
            return field
    return None


def hepatic_failure_unsaid(system: str, code: str) -> bool:
    """A WHO ICD-10 or ICD-10-GM K72 code: hepatic failure, with or without encephalopathy."""
    return system in (ICD10, ICD10_GM) and code.startswith("K72")
