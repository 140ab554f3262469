"""Users, roles and the access rules."""
