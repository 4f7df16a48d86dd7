"""One wall-clock deadline for a whole download: connecting, TLS, every header byte and the body.

httpx's timeouts count the wait for each read, so a server that sends one header byte every few seconds
never trips them. Here every socket operation gets at most the time left before the deadline, through
httpcore's public network-backend interface, so nothing a server does can hold a fetch past it.
"""
from __future__ import annotations

import ssl
import time
import urllib.request
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

SocketOption = Any  # httpcore's SOCKET_OPTION union, not exported


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _left(self, timeout: float | None) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the download's deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, self._left(timeout))
        return DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, deadline: float, backend: httpcore.NetworkBackend | None = None) -> None:
        self._deadline = deadline
        self._backend = backend or httpcore.SyncBackend()

    def _left(self, timeout: float | None) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the download's deadline passed")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[SocketOption] | None = None) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(host, port, self._left(timeout), local_address, socket_options)
        return DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[SocketOption] | None = None) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(path, self._left(timeout), socket_options)
        return DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def deadline_transport(url: httpx.URL, deadline: float) -> httpx.HTTPTransport:
    """An httpx transport (through the environment's proxy for `url`, as httpx would use) whose every
    socket operation ends by `deadline` (a time.monotonic() value)."""
    proxy = None
    if not urllib.request.proxy_bypass(url.host):
        proxy = urllib.request.getproxies().get(url.scheme)
    transport = httpx.HTTPTransport(proxy=proxy)
    # httpx has no public way to pass a network backend; its pool (httpcore's) holds the one it uses.
    pool = transport._pool
    pool._network_backend = DeadlineBackend(deadline, pool._network_backend)
    return transport
