"""Benchmarks that run against a real server (`python -m bench.<name> --help`)."""
