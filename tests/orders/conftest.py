"""Order fixtures: the app served over real HTTP, for buyers that race each other."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request is only noise here
        pass


@pytest.fixture
def live_server(app):
    """The session's app (same database as the test) on 127.0.0.1 at a free port, one thread
    per request. Yields its base URL; stopped before the tables are emptied."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
