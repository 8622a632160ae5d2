"""Whole cohorts: the knowledge base compiled to dataframe expressions.

- ``columns``   the cohort file's columns, and how a cell becomes a case-document value
- ``validate``  the case document's rules over whole columns; the rejects table
- ``derive``    grade, liver type and portal drainage as column expressions
- ``compile``   conditions → nullable-boolean expressions (Kleene logic); statuses, reasons
- ``pipeline``  one chunk through validation and evaluation (every engine runs it)
- ``reference`` the per-case interpreter row by row: the oracle the compiler is tested on
- ``io``        chunked reading of CSV/Parquet; outputs written whole or not at all
- ``runner``    ``nelm batch``: the polars and reference engines
- ``spark``     the Spark engine (``mapInArrow`` over the same compiled expressions)
- ``synth``     synthetic cohorts

polars (and pyspark) are imported by these modules, never by ``nelm`` at start-up.
"""
