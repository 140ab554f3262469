"""One set of hypothesis settings for every suite, loaded by tests/conftest.py before any test
module is imported; a test sets only its own budget (max_examples, stateful_step_count).

- "suite" (the default): the same examples on every run, so a failure in CI fails the same way on
  a laptop; no deadline (a shared 2-core machine and a database per example make timings say
  nothing); no example database, so a run writes nothing into the checkout; the health checks
  that only say "this test is slow" or "this test uses a function-scoped fixture" (on purpose:
  the app and its emptied tables) are off; hypothesis's caches in the temporary folder.
- "explore": new random examples on every run, for digging by hand (with more examples where a
  test reads them from the environment, e.g. HARDENING_EXAMPLES=200):
  HYPOTHESIS_PROFILE=explore .venv/bin/pytest tests/hardening
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

SUITE = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
settings.register_profile("suite", SUITE)
settings.register_profile("explore", SUITE, derandomize=False)


def load() -> str:
    """Load the profile HYPOTHESIS_PROFILE names ("suite" unless told); returns its name. The
    suite keeps hypothesis's own caches in the temporary folder, not in .hypothesis/."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "suite")
    settings.load_profile(name)
    if name == "suite" and "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
        set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "storefront-hypothesis")
    return name
