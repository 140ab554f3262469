"""The role table's world (tests/role_table.py) for the role matrix."""

from tests.role_table import world  # noqa: F401  (a fixture)
