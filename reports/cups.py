"""Printing through CUPS: submit the archival summary to a print queue and wait until CUPS says the
job was printed (taken by the printer), failed, or is stuck.

Why the CUPS commands (``lp``, ``lpstat``, ``cancel`` from Debian's cups-client) and not QPrinter:
QPrinter paints the pages, hands them to CUPS and returns; it never says whether CUPS accepted
the job, let alone whether the printer took it, so "Sent to the printer" was said of jobs that a
stopped or missing printer never printed. ``lp`` answers with the job id once the scheduler has
the job (or with the scheduler's reason when it refuses it). The job's state is then read back
with an IPP Get-Job-Attributes through libcups (libcups2, which Qt's print support and lp already
use), called with ctypes: ``job-state`` completed means the backend delivered every page to the
printer; aborted, cancelled or stopped mean it did not. (``lpstat -l`` cannot tell: it lists a
completed and an aborted job alike, "Alerts: processing-to-stop-point".) ``lpstat -p`` says when the
queue is stopped, and ``cancel`` withdraws a job that cannot print. All of them use libcups' own
configuration ($CUPS_SERVER, ~/.cups/client.conf, /etc/cups/client.conf), as the print dialog
does, so the queue chosen there is the one printed to; the commands run with ``LC_ALL=C`` so their
answers can be read. (pycups would need a compiler and libcups' headers to install.)

What is sent is the PDF/A summary itself, on ``lp``'s standard input (no temporary file of
patient data): CUPS' filters render it for the printer at the printer's resolution. The job title
names the encounter number only: job titles are listed by ``lpstat`` to every user of the queue.

No Qt, no database: the window runs :func:`print_pdf` off the GUI thread and writes the audit rows.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from typing import Any

PRINT_TIMEOUT_S = 120.0
"""The longest wait for a job to be printed; after it the job is cancelled and reported as not taken."""
POLL_S = 0.25
COMMAND_TIMEOUT_S = 30.0
"""The longest a single lp/lpstat/cancel may take (libcups waits for an unreachable server)."""

_REQUEST_ID = re.compile(r"request id is (\S+)")


class PrintError(Exception):
    """The printer did not take the job; ``str()`` is the reason, in KneeCheck's words or CUPS'.
    ``job_id`` names the job when CUPS had one (it was cancelled if it could still print)."""

    def __init__(self, reason: str, job_id: str = "") -> None:
        super().__init__(reason)
        self.job_id = job_id


@dataclasses.dataclass(frozen=True)
class PrintedJob:
    printer: str
    job_id: str
    """CUPS' request id, e.g. ``office-42``."""
    status: str
    """What CUPS said at the end: "completed", with the printer's last message if it left one."""


JOB_STATES = {3: "pending", 4: "held", 5: "processing", 6: "stopped", 7: "cancelled", 8: "aborted",
              9: "completed"}  # IPP job-state (RFC 8011 5.3.7)


@dataclasses.dataclass(frozen=True)
class JobState:
    """One job as CUPS reports it (Get-Job-Attributes)."""

    job_id: str
    state: int
    """IPP job-state: 3 pending ... 9 completed (:data:`JOB_STATES`)."""
    reasons: tuple[str, ...] = ()
    """job-state-reasons, e.g. ``job-completed-successfully``."""
    message: str = ""
    """job-printer-state-message: the filter's or backend's last words ("Backend failed")."""

    @property
    def printed(self) -> bool:
        return self.state == 9

    @property
    def ended(self) -> bool:
        """Printed, cancelled or aborted: it will not change any more."""
        return self.state >= 7

    def reason(self) -> str:
        reasons = [r for r in self.reasons if r not in ("none", "processing-to-stop-point")]
        said = self.message or ", ".join(reasons)
        return f"{JOB_STATES.get(self.state, str(self.state))}{f': {said}' if said else ''}"


Query = Callable[[str, str], "JobState | None"]


def print_pdf(printer: str, pdf: bytes, *, title: str, copies: int = 1,
              options: Sequence[tuple[str, str]] = (), page_ranges: str = "",
              timeout: float | None = None, run: Callable[..., subprocess.CompletedProcess[str]] | None = None,
              query: Query | None = None) -> PrintedJob:
    """Submit ``pdf`` to the CUPS queue ``printer`` and wait until it is printed.

    Returns once CUPS reports the job completed; raises :class:`PrintError` when CUPS refuses the
    job, aborts or cancels it, the queue is stopped, or it has not printed within ``timeout``
    seconds (then it is cancelled, so that it cannot come out later unannounced)."""
    if not printer:
        raise PrintError("no printer was chosen")
    run, query = run or _run, query or job_state
    wait = PRINT_TIMEOUT_S if timeout is None else timeout
    args = ["lp", "-d", printer, "-t", title, "-n", str(max(1, copies))]
    for name, value in options:
        args += ["-o", f"{name}={value}"]
    if page_ranges:
        args += ["-P", page_ranges]
    submitted = run([*args, "-"], pdf)
    job_id = parse_request_id(submitted.stdout)
    if submitted.returncode != 0 or not job_id:
        raise PrintError(_said(submitted, "lp") or "CUPS did not give the job an id")
    deadline = time.monotonic() + wait
    seen = False
    while True:
        try:
            state = query(printer, job_id)
        except PrintError as exc:  # CUPS cannot be asked: withdraw the job rather than leave it unwatched
            _cancel(job_id, run)
            raise PrintError(f"{exc}; the job was cancelled", job_id) from None
        if state is None and seen:
            raise PrintError(f"CUPS no longer lists job {job_id}: it may or may not have printed", job_id)
        seen = seen or state is not None
        if state is not None and state.printed:
            return PrintedJob(printer, job_id, state.reason())
        if state is not None and state.ended:
            raise PrintError(f"CUPS job {job_id} {state.reason()}", job_id)
        if state is not None and state.state == 6:
            _cancel(job_id, run)
            raise PrintError(f"CUPS stopped the job ({state.reason()}); the job was cancelled", job_id)
        try:
            stopped = printer_stopped(printer, run)
        except PrintError as exc:  # lpstat failed or timed out: withdraw the job, never leave it unwatched
            _cancel(job_id, run)
            raise PrintError(f"{exc}; the job was cancelled", job_id) from None
        if stopped is not None:
            _cancel(job_id, run)
            raise PrintError(f"the printer is stopped ({stopped}); the job was cancelled", job_id)
        if time.monotonic() >= deadline:
            _cancel(job_id, run)
            where = f" ({state.reason()})" if state is not None else ""
            raise PrintError(f"it was not printed within {wait:g} s{where}; the job was cancelled", job_id)
        time.sleep(POLL_S)


def parse_request_id(lp_output: str) -> str:
    """The job id in lp's answer ("request id is office-42 (1 file(s))"), or ""."""
    found = _REQUEST_ID.search(lp_output)
    return found.group(1) if found else ""


def job_state(printer: str, job_id: str) -> JobState | None:
    """The state of ``job_id`` (``printer-N``), asked of CUPS with Get-Job-Attributes through
    libcups; None when CUPS does not know the job (yet). Raises :class:`PrintError` when CUPS
    cannot be asked."""
    import ctypes

    number = job_id.rsplit("-", 1)[-1]
    if not number.isdigit():
        raise PrintError(f"CUPS gave the job an id KneeCheck cannot read ({job_id})")
    lib = _libcups()
    lib.cupsSetServer(None)  # libcups keeps its server per thread: read $CUPS_SERVER / client.conf again
    request = lib.ippNewRequest(0x0009)  # Get-Job-Attributes
    lib.ippAddString(request, 0x01, 0x45, b"printer-uri", None,
                     f"ipp://localhost/printers/{printer.split('/')[0]}".encode())  # operation group, uri
    lib.ippAddInteger(request, 0x01, 0x21, b"job-id", int(number))  # integer
    lib.ippAddString(request, 0x01, 0x42, b"requesting-user-name", None, lib.cupsUser())  # name
    response = lib.cupsDoRequest(None, request, b"/")  # frees the request
    status = lib.cupsLastError()
    try:
        if status == 0x0406:  # client-error-not-found
            return None
        if not response or status >= 0x0400:
            said = (lib.cupsLastErrorString() or b"").decode("utf-8", "replace")
            raise PrintError(f"CUPS did not say how the job is doing ({said or hex(status)})")

        def strings(name: bytes) -> tuple[str, ...]:
            attribute = lib.ippFindAttribute(response, name, 0)  # any value tag
            if not attribute:
                return ()
            return tuple((lib.ippGetString(attribute, i, None) or b"").decode("utf-8", "replace")
                         for i in range(lib.ippGetCount(attribute)))

        state_attribute = lib.ippFindAttribute(response, b"job-state", 0x23)  # enum
        if not state_attribute:
            return None
        message = strings(b"job-printer-state-message")
        return JobState(job_id, int(lib.ippGetInteger(state_attribute, 0)), strings(b"job-state-reasons"),
                        message[0] if message else "")
    finally:
        if response:
            lib.ippDelete(ctypes.c_void_p(response))


_LIBCUPS: Any = None


def _libcups() -> Any:
    """libcups2 with the signatures used here; :class:`PrintError` when it is not installed."""
    global _LIBCUPS
    if _LIBCUPS is not None:
        return _LIBCUPS
    import ctypes
    import ctypes.util

    try:
        lib = ctypes.CDLL(ctypes.util.find_library("cups") or "libcups.so.2")
    except OSError:
        raise PrintError("the CUPS library is not installed (Debian: libcups2)") from None
    p, c, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for name, result, args in (
            ("cupsSetServer", None, [c]), ("cupsUser", c, []), ("ippNewRequest", p, [i]),
            ("ippAddString", p, [p, i, i, c, c, c]), ("ippAddInteger", p, [p, i, i, c, i]),
            ("cupsDoRequest", p, [p, p, c]), ("cupsLastError", i, []), ("cupsLastErrorString", c, []),
            ("ippFindAttribute", p, [p, c, i]), ("ippGetCount", i, [p]), ("ippGetInteger", i, [p, i]),
            ("ippGetString", c, [p, i, p]), ("ippDelete", None, [p])):
        function = getattr(lib, name)
        function.restype, function.argtypes = result, args
    _LIBCUPS = lib
    return lib


def printer_stopped(printer: str, run: Callable[..., subprocess.CompletedProcess[str]] | None = None) -> str | None:
    """Why ``printer`` is stopped (disabled, paused), or None when it prints."""
    run = run or _run
    shown = run(["lpstat", "-p", printer])
    if shown.returncode != 0:
        raise PrintError(_said(shown, "lpstat") or "CUPS did not show the printer")
    first, _, rest = shown.stdout.partition("\n")
    if " disabled" not in first:
        return None
    reason = next((line.strip() for line in rest.splitlines() if line.strip()), "")
    return reason.rstrip(".") or "disabled"


def _cancel(job_id: str, run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    try:
        run(["cancel", job_id])
    except PrintError:
        pass  # the reason already given says why it was not printed


def _said(done: subprocess.CompletedProcess[str], command: str) -> str:
    """What a CUPS command said on failure, without its "lp: " prefix."""
    text = " ".join((done.stderr or "").split()) or " ".join((done.stdout or "").split())
    return (text[len(command) + 2:] if text.startswith(f"{command}: ") else text).rstrip(".")


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LC_ALL="C", LANG="C")
    env.pop("LANGUAGE", None)
    try:
        done = subprocess.run(args, input=data, capture_output=True, env=env, timeout=COMMAND_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise PrintError(f"the CUPS command {args[0]} is not installed (Debian: cups-client)") from None
    except subprocess.TimeoutExpired:
        raise PrintError(f"the print server did not answer within {COMMAND_TIMEOUT_S:g} s") from None
    except OSError as exc:
        raise PrintError(f"{args[0]} could not be run ({exc.strerror or type(exc).__name__})") from None
    return subprocess.CompletedProcess(args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))
