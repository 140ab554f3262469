"""Stock: locations, levels and the movement ledger. See services.py, the only writer."""
