"""A real HTTP server on 127.0.0.1 that receives webhooks (the `receiver` fixture).

def test_x(receiver):
    receiver.answer(500, 200)      # the next two requests get these, then 200s
    ...deliver_due()...
    [request] = receiver.requests  # method, path, headers, body as received
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self.redirect_to = ""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.requests.append(Received("POST", self.path, dict(self.headers.items()), body))
                time.sleep(owner.delay)
                status = owner.statuses.pop(0) if owner.statuses else 200
                self.send_response(status)
                if owner.redirect_to:
                    self.send_header("Location", owner.redirect_to)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks?source=suppliernet"

    def answer(self, *statuses: int) -> None:
        self.statuses = list(statuses)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
