"""The audit log: who changed certificates, prices, stock counts, roles and listings, and how."""
