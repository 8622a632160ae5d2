"""The knowledge base: clinical rules as data, each with its source."""

from nelm.knowledge.loader import DERIVED_FACTS, KNOWLEDGE_RELEASE, load_knowledge
from nelm.knowledge.model import KnowledgeBase, OptionSpec

__all__ = ["DERIVED_FACTS", "KNOWLEDGE_RELEASE", "KnowledgeBase", "OptionSpec", "load_knowledge"]
