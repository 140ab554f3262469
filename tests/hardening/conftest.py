"""The role table's world (producers, showrooms, an order, a sale, one user per kind of
visitor) is the hardening tests' world too."""

from tests.role_table import world  # noqa: F401 (a fixture)
