"""`scorecard serve`: the built site over HTTP on 127.0.0.1, for people who prefer a server to file://.

Loopback only: a preview is never reachable from another machine. Only files inside the site folder are
served (a link a publisher left in the site that leads elsewhere answers 404).
"""
from __future__ import annotations

import errno
import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import ScorecardError

HOST = "127.0.0.1"
SITE_MARKER = ".scorecard-site"  # build.py writes it first into every site


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files of one folder; nothing outside it, no request log on the terminal."""

    def send_head(self) -> Any:
        root = Path(self.directory).resolve()
        if not Path(self.translate_path(self.path)).resolve().is_relative_to(root):
            self.send_error(404, "File not found")
            return None
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a rebuild shows at the next reload
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # the base class names it `format`
        pass


def preview_server(site: Path, port: int) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1:port (0: a free port) for the site built in `site`."""
    site = Path(site)
    if not site.is_dir():
        raise ScorecardError("no site here; run 'scorecard build' first (or give --out the folder it built)", site)
    if not (site / SITE_MARKER).is_file():
        raise ScorecardError(f"not a site built by scorecard (no {SITE_MARKER}); give --out the folder"
                             " 'scorecard build' made", site)
    handler = partial(SiteHandler, directory=os.fspath(site.resolve()))
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ScorecardError(f"port {port} on {HOST} is in use; choose another with --port (0: any free"
                                 " one)") from None
        raise ScorecardError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    server.daemon_threads = True
    return server
