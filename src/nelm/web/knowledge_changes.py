"""Which stored cases would conclude differently under the knowledge base now installed.

For every case, the latest stored assessment of its current version is compared with a
fresh assessment under the current knowledge base, option by option. A case whose stored
assessment was made with the current knowledge base is unchanged by definition; a case
never assessed has no stored conclusion to change. Nothing is written: the listing can be
run before a board meeting as often as wanted.
"""

from __future__ import annotations

from dataclasses import dataclass

from nelm.report.changes import StatusChange, status_changes
from nelm.service import assess_mapping
from nelm.store import Store
from nelm.web.cases import knowledge_version

__all__ = ["CaseKnowledgeChange", "knowledge_changes"]


@dataclass(frozen=True, slots=True)
class CaseKnowledgeChange:
    case_pk: int
    case_id: str
    label: str | None
    version: int
    stored_knowledge: str
    changes: tuple[StatusChange, ...]


def knowledge_changes(store: Store) -> tuple[str, list[CaseKnowledgeChange]]:
    """The current knowledge version, and each stored case whose statuses would change."""
    current = knowledge_version()
    found = []
    for case in store.list_cases():
        stored = store.latest_assessment(case.id, case.current_version)
        if stored is None or stored.knowledge_version == current:
            continue
        changes = status_changes(stored.output, assess_mapping(case.document))
        if changes:
            found.append(
                CaseKnowledgeChange(
                    case.id,
                    case.case_id,
                    case.label,
                    case.current_version,
                    stored.knowledge_version,
                    tuple(changes),
                )
            )
    return current, found
