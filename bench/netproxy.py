"""A TCP proxy between KneeCheck and a real PostgreSQL server, for `make bench` and the fault tests.

It lives in ``bench/`` because the benchmark must run without the test suite (no pytest, no
fixtures); the tests import it from here (``from bench.netproxy import NetProxy``). It imports
nothing of KneeCheck and only the standard library.

    with NetProxy(round_trip_ms=20) as proxy:           # 127.0.0.1:<ephemeral> -> 127.0.0.1:5432
        url = proxy.url("postgresql+psycopg://me@127.0.0.1:5432/test?sslmode=disable")
        ...
        proxy.reset_counts(); store.save_draft(...); print(proxy.round_trips)

The proxy runs an asyncio loop in a daemon thread; every method here may be called from any thread.

**Delay.** ``round_trip_ms`` is split evenly, half each way; or give ``up_ms`` (client to server)
and ``down_ms`` (server to client). Each chunk read from one side is written to the other side
``delay`` after it was read, in the order read: the delay is latency, not a throughput cap (many
chunks can be in flight at once). Connecting costs no extra delay (the TCP handshake is with the
proxy); the server's first bytes then come one round trip later, as they would.

**What is counted.** :attr:`round_trips` counts, over every connection, *client bursts that got a
reply*: per connection, the count goes up by one when the server sends bytes after the client has
sent bytes since the server last sent. That is the number of times a client had to wait for the
server, i.e. how many times the round-trip time is paid; bytes the client sends that are never
answered (a Terminate at close) are not counted, and many queries sent before the first reply
(pipelining) count once. Opening a connection counts its start-up exchanges (at least one: the
startup packet and authentication; two with an SSL or GSS negotiation first). :attr:`messages`
counts the PostgreSQL protocol messages the clients sent, by type byte (``"Q"`` simple query,
``"P"`` parse, ``"B"`` bind, ``"E"`` execute, ``"S"`` sync, ``"X"`` terminate; ``"startup"``);
:attr:`connections` the connections accepted. :meth:`reset_counts` zeroes all three.

**Faults** (for the reliability suite), each until :meth:`heal` unless said otherwise:

- :meth:`cut`: reset every open connection now (both sides, RST); new connections still work.
- :meth:`refuse`: every new connection is reset as soon as it is accepted; open ones go on.
- :meth:`drop_reply_at_commit`: the next ``times`` COMMITs (a simple Query, or a Parse, or a Bind
  of a statement parsed earlier, whose SQL contains the word COMMIT) are forwarded to the server;
  the server's reply is dropped and the connection is then reset on both sides. The server has
  committed; the client cannot know. :attr:`commits_dropped` counts them; ``skip`` lets that many
  COMMITs through first (:attr:`commits_seen` counts every COMMIT, to find the one to drop).
- :meth:`blackhole`: nothing is forwarded in either direction and the sockets stay open, as when
  packets are dropped; what was sent meanwhile is held and delivered after :meth:`heal` (as TCP
  retransmission would). New connections are accepted but get no bytes either. Note: the proxy's
  own kernel still acknowledges what the client sends, so a client's TCP keepalives and
  ``tcp_user_timeout`` do not fire; the client sees a server that stopped answering, and only
  its own timeouts (connect_timeout covers the start-up; a client-side deadline otherwise) end the
  wait.
- :meth:`heal`: all of the above off; held bytes flow again.

Only plain (non-TLS) connections can be looked into; ask for ``sslmode=disable`` (``url()`` does).
"""

from __future__ import annotations

import asyncio
import re
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

_COMMIT = re.compile(rb"\bCOMMIT\b", re.IGNORECASE)
_SSL_REQUEST, _GSS_REQUEST, _CANCEL_REQUEST = 80877103, 80877104, 80877102
_CHUNK = 1 << 16
_COMMIT_REPLY_WAIT_S = 10.0


class _ClientParser:
    """Splits the client's byte stream into PostgreSQL protocol messages (frontend side)."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.startup = True  # untyped start-up packets come first
        self.opaque = False  # TLS or something unknown: stop looking
        self.commit_statements: set[bytes] = set()

    def feed(self, data: bytes) -> list[tuple[str, bool]]:
        """(message type, is a COMMIT) for every complete message in ``data``."""
        if self.opaque:
            return []
        self.buffer += data
        out: list[tuple[str, bool]] = []
        while True:
            if self.startup:
                if len(self.buffer) < 8:
                    return out
                length, code = struct.unpack("!II", self.buffer[:8])
                if length < 8 or length > 10_000:
                    self.opaque = True  # a TLS ClientHello, say
                    return out
                if len(self.buffer) < length:
                    return out
                del self.buffer[:length]
                out.append(("startup", False))
                if code not in (_SSL_REQUEST, _GSS_REQUEST, _CANCEL_REQUEST):
                    self.startup = False
                continue
            if len(self.buffer) < 5:
                return out
            kind = chr(self.buffer[0])
            (length,) = struct.unpack("!I", self.buffer[1:5])
            if length < 4:
                self.opaque = True
                return out
            if len(self.buffer) < 1 + length:
                return out
            body = bytes(self.buffer[5:1 + length])
            del self.buffer[:1 + length]
            out.append((kind, self._is_commit(kind, body)))

    def _is_commit(self, kind: str, body: bytes) -> bool:
        if kind == "Q":
            return bool(_COMMIT.search(body))
        if kind == "P":
            name, _, rest = body.partition(b"\0")
            query = rest.partition(b"\0")[0]
            if _COMMIT.search(query):
                self.commit_statements.add(name)
                return True
            self.commit_statements.discard(name)
            return False
        if kind == "B":
            _portal, _, rest = body.partition(b"\0")
            statement = rest.partition(b"\0")[0]
            return statement != b"" and statement in self.commit_statements
        return False


@dataclass(eq=False)
class _Connection:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter | None = None
    client_sent: bool = False  # the client sent bytes since the server last did
    commit_sent: bool = False  # a COMMIT went up and its reply is to be dropped
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    parser: _ClientParser = field(default_factory=_ClientParser)
    closed: bool = False


class NetProxy:
    """127.0.0.1:<ephemeral port> forwarding to ``target``; see the module's text."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432), *, round_trip_ms: float = 0.0,
                 up_ms: float | None = None, down_ms: float | None = None) -> None:
        self.target = target
        self.host = "127.0.0.1"
        self.port = 0
        self._up_s = self._down_s = 0.0
        self.set_delay(round_trip_ms=round_trip_ms, up_ms=up_ms, down_ms=down_ms)
        self._lock = threading.Lock()
        self._round_trips = 0
        self._connections = 0
        self._messages: Counter[str] = Counter()
        self._commits_dropped = 0
        self._drop_commits = 0  # how many COMMIT replies still to drop; -1: every one
        self._skip_commits = 0  # COMMITs to let through before dropping
        self._commits_seen = 0
        self._refusing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._flowing: asyncio.Event | None = None
        self._open: set[_Connection] = set()

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> NetProxy:
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._listen())
            except BaseException as exc:  # handed to start()
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.close()

        self._thread = threading.Thread(target=run, name=f"netproxy->{self.target[1]}", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> NetProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, base: str) -> str:
        """``base`` (a PostgreSQL URL naming the target) pointed at the proxy, TLS off."""
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        parts = urlsplit(base)
        user = parts.netloc.rpartition("@")[0]
        netloc = (f"{user}@" if user else "") + f"{self.host}:{self.port}"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        query.setdefault("sslmode", "disable")
        query.setdefault("gssencmode", "disable")
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), parts.fragment))

    # --- settings and counts -----------------------------------------------------------------------

    def set_delay(self, *, round_trip_ms: float = 0.0, up_ms: float | None = None, down_ms: float | None = None) -> None:
        """Half of ``round_trip_ms`` each way, unless ``up_ms``/``down_ms`` say otherwise."""
        self._up_s = (round_trip_ms / 2 if up_ms is None else up_ms) / 1000.0
        self._down_s = (round_trip_ms / 2 if down_ms is None else down_ms) / 1000.0

    @property
    def round_trips(self) -> int:
        with self._lock:
            return self._round_trips

    @property
    def connections(self) -> int:
        with self._lock:
            return self._connections

    @property
    def messages(self) -> Counter[str]:
        with self._lock:
            return Counter(self._messages)

    @property
    def commits_dropped(self) -> int:
        with self._lock:
            return self._commits_dropped

    @property
    def open_connections(self) -> int:
        return len(self._open)

    def reset_counts(self) -> None:
        with self._lock:
            self._round_trips = self._connections = self._commits_seen = 0
            self._messages.clear()

    # --- faults --------------------------------------------------------------------------------------

    def cut(self) -> None:
        """Reset every open connection now."""
        self._call(self._cut_all)

    def refuse(self) -> None:
        """Reset every new connection as soon as it is accepted, until :meth:`heal`."""
        self._refusing = True

    def drop_reply_at_commit(self, times: int | None = 1, *, skip: int = 0) -> None:
        """Forward the next ``times`` COMMITs (None: every one until :meth:`heal`), drop their replies
        and reset those connections; the first ``skip`` COMMITs from now on pass untouched."""
        with self._lock:
            self._drop_commits = -1 if times is None else max(0, int(times))
            self._skip_commits = max(0, int(skip))

    @property
    def commits_seen(self) -> int:
        """COMMITs the clients sent (since the start or :meth:`reset_counts`)."""
        with self._lock:
            return self._commits_seen

    def blackhole(self) -> None:
        """Stop forwarding in both directions, keeping every socket open, until :meth:`heal`."""
        self._call(lambda: self._flowing.clear() if self._flowing else None)

    def heal(self) -> None:
        self._refusing = False
        with self._lock:
            self._drop_commits = 0
        self._call(lambda: self._flowing.set() if self._flowing else None)

    # --- the loop ---------------------------------------------------------------------------------------

    def _call(self, fn: Any) -> None:
        """Run ``fn`` on the proxy's loop and wait for it."""
        if self._loop is None or self._thread is None:
            raise RuntimeError("the proxy is not running")
        done = threading.Event()

        def run() -> None:
            try:
                fn()
            finally:
                done.set()

        self._loop.call_soon_threadsafe(run)
        done.wait(10)

    async def _listen(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        self._cut_all()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Connection(client=writer)
        if self._refusing:
            _reset(writer)
            return
        with self._lock:
            self._connections += 1
        try:
            up_reader, server = await asyncio.open_connection(*self.target)
        except OSError:
            _reset(writer)
            return
        _nodelay(writer)
        _nodelay(server)
        conn.server = server
        self._open.add(conn)
        up: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        down: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        conn.tasks = [asyncio.ensure_future(coro) for coro in (
            self._read(conn, reader, up, upward=True), self._write(conn, server, up),
            self._read(conn, up_reader, down, upward=False), self._write(conn, writer, down))]
        try:
            await asyncio.gather(*conn.tasks, return_exceptions=True)
        except asyncio.CancelledError:  # the proxy is stopping
            self._close(conn, reset=True)
            return
        self._close(conn, reset=False)

    async def _read(self, conn: _Connection, reader: asyncio.StreamReader,
                    queue: asyncio.Queue[tuple[float, bytes]], *, upward: bool) -> None:
        try:
            while True:
                data = await reader.read(_CHUNK)
                now = time.monotonic()
                if not data:
                    await queue.put((now, b""))
                    return
                if upward:
                    self._client_bytes(conn, data)
                    await queue.put((now + self._up_s, data))
                elif self._server_bytes(conn):
                    await queue.put((now + self._down_s, data))
                else:  # the reply to a COMMIT being dropped: reset both sides, tell nobody
                    self._close(conn, reset=True)
                    return
        except (OSError, asyncio.IncompleteReadError):
            self._close(conn, reset=True)

    def _client_bytes(self, conn: _Connection, data: bytes) -> None:
        found = conn.parser.feed(data)
        armed = False
        with self._lock:
            conn.client_sent = True
            for kind, is_commit in found:
                self._messages[kind] += 1
                self._commits_seen += is_commit
                if is_commit and self._skip_commits > 0 and self._drop_commits != 0:
                    self._skip_commits -= 1
                elif is_commit and self._drop_commits != 0 and not conn.commit_sent:
                    conn.commit_sent = armed = True
                    if self._drop_commits > 0:
                        self._drop_commits -= 1
        if armed:  # should the server never answer, the connection is reset all the same
            assert self._loop is not None
            self._loop.call_later(_COMMIT_REPLY_WAIT_S, self._close, conn, True)

    def _server_bytes(self, conn: _Connection) -> bool:
        """Count a reply; False when this data answers a COMMIT whose reply is dropped."""
        with self._lock:
            if conn.commit_sent:
                self._commits_dropped += 1
                return False
            if conn.client_sent:
                self._round_trips += 1
                conn.client_sent = False
        return True

    async def _write(self, conn: _Connection, writer: asyncio.StreamWriter,
                     queue: asyncio.Queue[tuple[float, bytes]]) -> None:
        assert self._flowing is not None
        try:
            while True:
                due, data = await queue.get()
                await self._flowing.wait()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                    await self._flowing.wait()
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (OSError, RuntimeError):
            self._close(conn, reset=True)

    def _cut_all(self) -> None:
        for conn in list(self._open):
            self._close(conn, reset=True)

    def _close(self, conn: _Connection, reset: bool) -> None:
        if conn.closed:
            return
        conn.closed = True
        self._open.discard(conn)
        for writer in (conn.client, conn.server):
            if writer is not None:
                _reset(writer) if reset else writer.close()
        for task in conn.tasks:
            if task is not asyncio.current_task():
                task.cancel()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with an RST (SO_LINGER 0), as a cut link or a refusing host is seen."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


def _nodelay(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
