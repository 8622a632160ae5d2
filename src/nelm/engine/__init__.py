"""The decision engine: derived facts, three-valued criteria, option status and the plan."""

from nelm.engine.assess import Assessment, assess
from nelm.engine.logic import Truth

__all__ = ["Assessment", "Truth", "assess"]
