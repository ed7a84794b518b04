"""Delivering an HL7 v2 message over MLLP and reading its ACK: the one network client KneeCheck has.

Used by ``send`` on the command line and by the window's "Send to record system". python-hl7's
MLLP framing is used as it is; its connection, send and receive are replaced by ones with a single
deadline that send the whole message and read a whole ACK. No database and no Qt here: the caller
writes the audit rows (before sending, and after the answer).
"""

from __future__ import annotations

import socket
import time
from typing import Any

from reports.hl7 import Ack

_ACK_LIMIT = 1 << 20  # an ACK is a few hundred bytes; a megabyte without an end block is not one


class RemoteError(Exception):
    """The receiver failed: refused, no ACK in time, closed early, not reachable (exit status 1).

    ``str()`` is the reason as audited (KneeCheck's own words); ``remote_text`` is what the
    receiver said (MSA-3 or ERR), shown to the user but kept out of the audit trail, since a
    receiver may quote patient data back."""

    def __init__(self, reason: str, remote_text: str = "") -> None:
        super().__init__(reason)
        self.remote_text = remote_text


def deliver(host: str, port: int, message: str, control_id: str, timeout: float) -> Ack:
    """Send ``message`` and return its accepting ACK; any failure is a :class:`RemoteError`."""
    from reports.hl7 import Hl7Error, parse_ack

    deadline = time.monotonic() + timeout
    try:
        client = _client_class()(host, port, deadline)
    except TimeoutError:
        raise RemoteError(f"no connection within {timeout:g} s") from None
    except ConnectionRefusedError:
        raise RemoteError("connection refused (nothing is listening there)") from None
    except socket.gaierror:
        raise RemoteError("the host name could not be resolved") from None
    except OSError as exc:
        raise RemoteError(f"could not connect ({exc.strerror or type(exc).__name__})") from None
    with client:
        try:
            raw = client.send_message(message)
        except TimeoutError:
            raise RemoteError(f"no ACK within {timeout:g} s") from None
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            raw = None
        except OSError as exc:
            raise RemoteError(f"the connection failed ({exc.strerror or type(exc).__name__})") from None
    if raw is None:
        raise RemoteError("the receiver closed the connection before it acknowledged the message")
    try:
        ack = parse_ack(raw)
    except Hl7Error as exc:
        raise RemoteError(f"the answer is not a usable ACK: {exc}") from None
    if ack.control_id != control_id:
        raise RemoteError(f"the ACK is for another message (MSA-2 does not name control id {control_id})")
    if not ack.accepted:
        raise RemoteError(f"refused ({ack.code})", ack.text)
    return ack


def _client_class() -> Any:
    from hl7.client import MLLPClient

    class Client(MLLPClient):  # type: ignore[misc]
        """python-hl7's MLLP client with a time limit and a whole ACK.

        Its framing (``send_message``: <VT> message <FS><CR>, UTF-8) is used as it is. Its
        constructor connects with no time limit and its ``send`` makes one ``socket.send`` (which
        may send only part of a 60 kB message) and returns one ``recv`` (part of an ACK, or b""
        when the peer closed): both are replaced here.
        """

        def __init__(self, host: str, port: int, deadline: float) -> None:
            self.deadline = deadline
            self.encoding = "utf-8"
            self.socket = socket.create_connection((host, port), timeout=self._left())

        def _left(self) -> float:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("deadline")
            return left

        def send(self, data: bytes) -> bytes | None:
            self.socket.settimeout(self._left())
            self.socket.sendall(data)
            return self._read_block()

        def _read_block(self) -> bytes | None:
            """The message inside the first MLLP block the peer sends; None if it closes first."""
            buffer = b""
            while b"\x1c\x0d" not in buffer:
                if len(buffer) > _ACK_LIMIT:
                    raise TimeoutError("no end block")
                self.socket.settimeout(self._left())
                chunk = self.socket.recv(4096)
                if not chunk:
                    return None
                buffer += chunk
            block = buffer.split(b"\x1c\x0d", 1)[0]
            start = block.find(b"\x0b")
            return block[start + 1:] if start >= 0 else block

    return Client

