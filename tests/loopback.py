"""A stand-in for the OpenAI and Cerebras APIs on 127.0.0.1, for the end-to-end tests.

``LoopbackServer`` listens on a free port of 127.0.0.1, records the method, path, headers
and JSON body of every request, and answers the way both SDKs expect:

- ``POST /v1/chat/completions``: a chat completion, or an SSE stream of chunks when the body
  says ``"stream": true`` (ending in ``data: [DONE]``);
- ``POST /v1/completions``: a text completion (streamed the same way);
- ``POST /v1/embeddings``: one three-number embedding per input, as OpenAI answers (Cerebras
  has no such endpoint: a test serving as Cerebras checks none arrives);
- ``GET /v1/tcp_warming``: ``{}`` (the Cerebras SDK sends it when a client is built);
- anything else: a 404 with an OpenAI-style error body. The request is still recorded, so a
  test can show the path that was wrong (``/v1/v1/...``, ``/v1chat/...``).

Replies are deterministic: the assistant's text is ``"echo: "`` plus the last user message
(or the prompt), and token counts are word counts, so a program's output does not depend on
the model it asked for. ``tests/test_e2e_programs.py`` checks these shapes against the
installed SDKs' response types.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"
CREATED = 1_700_000_000
REQUEST_ID = "req_loopback"
WARMING_PATH = "/v1/tcp_warming"


@dataclass(frozen=True)
class Request:
    """One request as it arrived. Header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON; the raw text when it is not JSON; None when empty

    @property
    def is_warming(self) -> bool:
        return self.path == WARMING_PATH


def _usage(prompt: str, completion: str) -> dict[str, int]:
    prompt_tokens, completion_tokens = len(prompt.split()), len(completion.split())
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _prompt_text(body: dict[str, Any]) -> str:
    """The last user message of a chat request, or the prompt of a text completion."""
    if "messages" in body:
        for message in reversed(body.get("messages") or []):
            if isinstance(message, dict) and message.get("role") == "user":
                content = message.get("content")
                if isinstance(content, list):  # content parts
                    return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
                return str(content)
        return ""
    prompt = body.get("prompt", "")
    return " ".join(map(str, prompt)) if isinstance(prompt, list) else str(prompt)


def reply_text(body: dict[str, Any]) -> str:
    return "echo: " + _prompt_text(body)


def chat_completion(body: dict[str, Any]) -> dict[str, Any]:
    text = reply_text(body)
    return {
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "created": CREATED,
        "model": str(body.get("model", "")),
        "system_fingerprint": "fp_loopback",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(_prompt_text(body), text),
    }


def chat_chunks(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The chunks of a streamed chat completion: the role, one chunk per word, the finish;
    and a usage chunk with no choices when ``stream_options.include_usage`` asks for it."""
    text = reply_text(body)
    words = text.split(" ")
    pieces = [word if i == 0 else " " + word for i, word in enumerate(words)]
    head = {
        "id": "chatcmpl-loopback",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": str(body.get("model", "")),
        "system_fingerprint": "fp_loopback",
    }
    deltas: list[tuple[dict[str, Any], str | None]] = [({"role": "assistant", "content": ""}, None)]
    deltas += [({"content": piece}, None) for piece in pieces]
    deltas.append(({}, "stop"))
    chunks = [
        {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        for delta, finish in deltas
    ]
    if (body.get("stream_options") or {}).get("include_usage"):
        chunks.append({**head, "choices": [], "usage": _usage(_prompt_text(body), text)})
    return chunks


def text_completion(body: dict[str, Any]) -> dict[str, Any]:
    text = reply_text(body)
    return {
        "id": "cmpl-loopback",
        "object": "text_completion",
        "created": CREATED,
        "model": str(body.get("model", "")),
        "system_fingerprint": "fp_loopback",
        "choices": [{"index": 0, "text": text, "finish_reason": "stop", "logprobs": None}],
        "usage": _usage(_prompt_text(body), text),
    }


def text_chunks(body: dict[str, Any]) -> list[dict[str, Any]]:
    """A streamed text completion, as one chunk: the openai ``Completion`` type requires a
    ``finish_reason`` in every chunk, so word-by-word chunks would not validate strictly."""
    done = text_completion(body)
    return [{k: v for k, v in done.items() if k != "usage"}]


def embeddings(body: dict[str, Any]) -> dict[str, Any]:
    texts = body.get("input", "")
    texts = texts if isinstance(texts, list) else [texts]
    words = sum(len(str(text).split()) for text in texts)
    return {
        "object": "list",
        "data": [
            {"object": "embedding", "index": i, "embedding": [0.0, 0.5, 1.0]}
            for i in range(len(texts))
        ],
        "model": str(body.get("model", "")),
        "usage": {"prompt_tokens": words, "total_tokens": words},
    }


def sse(events: list[dict[str, Any]]) -> bytes:
    lines = [f"data: {json.dumps(event)}\n\n" for event in events]
    lines.append("data: [DONE]\n\n")
    return "".join(lines).encode()


def not_found(path: str) -> dict[str, Any]:
    return {
        "error": {
            "message": f"loopback server: no route for {path}",
            "type": "invalid_request_error",
            "param": None,
            "code": "not_found",
        }
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as both SDKs' httpx clients expect
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log on stderr

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: Any = None
        if raw:
            text = raw.decode("utf-8", errors="replace")
            try:
                body = json.loads(text)
            except ValueError:
                body = text
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        path = self.path
        self.server.record(Request(self.command, path, headers, body))

        route = path.split("?", 1)[0]
        payload = body if isinstance(body, dict) else {}
        stream = bool(payload.get("stream"))
        if self.command == "GET" and route == WARMING_PATH:
            self._send(200, "application/json", b"{}")
        elif self.server.rate_limited and self.command == "POST":
            # As both APIs answer past a rate limit: 429 with an error object.
            error = {"error": {"message": "rate limit exceeded", "type": "rate_limit_exceeded"}}
            self._send(429, "application/json", json.dumps(error).encode())
        elif self.command == "POST" and route == "/v1/chat/completions":
            if stream:
                self._send(200, "text/event-stream", sse(chat_chunks(payload)))
            else:
                self._send(200, "application/json", json.dumps(chat_completion(payload)).encode())
        elif self.command == "POST" and route == "/v1/completions":
            if stream:
                self._send(200, "text/event-stream", sse(text_chunks(payload)))
            else:
                self._send(200, "application/json", json.dumps(text_completion(payload)).encode())
        elif self.command == "POST" and route == "/v1/embeddings":
            self._send(200, "application/json", json.dumps(embeddings(payload)).encode())
        else:
            self._send(404, "application/json", json.dumps(not_found(path)).encode())

    def _send(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", REQUEST_ID)
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, rate_limited: bool = False) -> None:
        super().__init__((HOST, 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[Request] = []
        self.rate_limited = rate_limited

    def record(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)


class LoopbackServer:
    """``with LoopbackServer() as server:`` serves on ``server.url`` until the block ends;
    ``rate_limited=True`` answers every API request with 429, as past a rate limit."""

    def __init__(self, rate_limited: bool = False) -> None:
        self._server = _Server(rate_limited)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The origin, without a path: ``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def take(self) -> list[Request]:
        """The requests recorded so far, oldest first; the record starts again empty."""
        with self._server.lock:
            taken, self._server.requests = self._server.requests, []
        return taken
