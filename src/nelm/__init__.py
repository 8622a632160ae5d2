"""nelm: clinical decision support for neuroendocrine liver metastases.

Decision support for clinicians, not a decision: every conclusion carries its criteria,
their values and their sources, and missing data is never read as normal.
"""

__version__ = "0.1.0"
