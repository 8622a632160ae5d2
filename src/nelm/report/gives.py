"""What an investigation of the to-do list gives, in words that follow "gives".

A yes/no field is labelled as the finding it records ("Carcinoid heart disease", "Primary
resected"): after "Transthoracic echocardiography — gives" such a label reads as if the
investigation caused the finding. Here each such field is named by what is examined, the
finding in parentheses where it says what is looked for ("Right heart function (carcinoid
heart disease)": 003, Potentially curative surgery, asks for the "absence of right cardiac
dysfunction"). A field whose label already names a measure (Ki-67 index, Bilirubin, Liver
distribution) keeps its label. Display words only: the assessment document is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["GIVES", "gives_label"]

GIVES: dict[str, str] = {
    # liver MRI
    "liver.synchronous": "Timing of the liver metastases (synchronous with the primary)",
    "liver.near_hilum_or_major_vessels": "Relation of the lesions to the hilum and major vessels",
    "liver.subcapsular": "Subcapsular position of a target lesion",
    "anatomy.portal_vein_thrombosis": "Portal vein patency (thrombosis or occlusion)",
    "anatomy.biliary_obstruction": "Bile ducts (obstruction)",
    "anatomy.ascites": "Presence of ascites",
    "liver.bilobar": "Involvement of both lobes (pattern not stated)",
    # the primary's local extent
    "primary.extends_beyond_pancreas": "Extension of the primary beyond the pancreas",
    "primary.invades_duodenum_or_bile_duct": "Invasion of the duodenum or bile duct",
    "primary.invades_adjacent_organs": "Invasion of adjacent organs",
    "primary.invades_celiac_axis_or_sma": "Involvement of the celiac axis or SMA",
    "primary.invades_other_large_vessels": "Invasion of other large vessels",
    # functional imaging
    "imaging.sstr_positive": "Somatostatin-receptor expression on imaging",
    "imaging.fdg_positive": "FDG uptake",
    "extrahepatic.present": "Presence of extrahepatic disease",
    "extrahepatic.stable": "Course of the extrahepatic disease (stable or not)",
    # pathology
    "pathology.ki67_source": "Tissue the Ki-67 was measured on",
    # echocardiography
    "patient.carcinoid_heart_disease": "Right heart function (carcinoid heart disease)",
    # laboratory panel (with the clinical signs of liver failure)
    "anatomy.hepatic_encephalopathy": "Signs of hepatic encephalopathy",
    # surgical review
    "patient.fit_for_major_surgery": "Fitness for major surgery",
    "extrahepatic.resectable": "Resectability of the extrahepatic disease",
    "liver.surgical_assessment": "Resectability of the liver disease (surgical assessment)",
    "primary.surgical_assessment": "Resectability of the primary (surgical assessment)",
    "primary.unresectable_reason": "Reason the primary cannot be removed",
    # angiography
    "anatomy.gi_shunting_uncorrectable": "Hepatic-arterial flow to the gut (correctable or not)",
    # history
    "primary.resected": "Resection of the primary",
    "primary.node_positive": "Regional node status",
    "primary.syndrome_refractory": "Response of the syndrome to medical therapy",
    "anatomy.biliary_enteric_anastomosis": "Prior bilio-enteric anastomosis",
    "course.progressed_on_ssa": "Progression on a somatostatin analogue",
    "patient.pregnant": "Pregnancy status",
}
"""A field's words after "gives", where its label reads as a finding."""


def gives_label(path: str, label: Callable[[str], str]) -> str:
    """The words for ``path`` in "… — gives …": :data:`GIVES`, else its ``label``."""
    return GIVES.get(path) or label(path)
