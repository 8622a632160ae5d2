"""Settings for the whole test suite.

Property tests are seeded: the ``nelm`` Hypothesis profile derandomises every ``@given``
test (the examples follow from the test itself, the same on every run and every machine)
and keeps no example database, so a failure on CI is a failure on a laptop. To explore with
fresh random examples, run with ``NELM_HYPOTHESIS_PROFILE=explore``.
"""

from __future__ import annotations

import os

from hypothesis import settings

# No deadline: speed is measured by the benchmark scripts, not by timed tests, and one
# example taking 261 ms on a busy machine is not a fault (a property test failed so).
settings.register_profile("nelm", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", derandomize=False, database=None, deadline=None)
settings.load_profile(os.environ.get("NELM_HYPOTHESIS_PROFILE", "nelm"))
