"""Scripts that run the shop for real on this machine: ``python -m scripts.<name>``."""
