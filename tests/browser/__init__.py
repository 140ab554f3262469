"""Browser tests: a real Chromium drives the shop served by a live server on a demo database."""
