"""Printing through CUPS: submit the archival summary to a print queue and wait until CUPS says the
job was printed (taken by the printer), failed, or is stuck.

Why the CUPS commands (``lp``, ``lpstat``, ``cancel`` from Debian's cups-client) and not QPrinter:
QPrinter paints the pages, hands them to CUPS and returns; it never says whether CUPS accepted
the job, let alone whether the printer took it, so "Sent to the printer" was said of jobs that a
stopped or missing printer never printed. ``lp`` answers with the job id once the scheduler has
the job (or with the scheduler's reason when it refuses it), and ``lpstat`` reads the job's state
back: completed (the backend delivered every page to the printer), aborted, cancelled, or still
pending. They use libcups' own configuration (``CUPS_SERVER``, ``~/.cups/client.conf``,
/etc/cups/client.conf), as the print dialog does, so the queue chosen there is the one printed to.
They run with ``LC_ALL=C`` so their answers can be read. (pycups would need a compiler and
libcups' headers to install; speaking IPP directly would mean writing an IPP client.)

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

PRINT_TIMEOUT_S = 120.0
"""The longest wait for a job to be printed; after it the job is cancelled and reported as not taken."""
POLL_S = 0.25
COMMAND_TIMEOUT_S = 30.0
"""The longest a single lp/lpstat/cancel may take (libcups waits for an unreachable server)."""

_REQUEST_ID = re.compile(r"request id is (\S+)")
_DONE = ("job-completed-successfully", "job-completed-with-warnings")


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
    """What CUPS said at the end (job-state-reasons), e.g. ``job-completed-successfully``."""


@dataclasses.dataclass(frozen=True)
class JobState:
    """One job as ``lpstat -l`` lists it."""

    job_id: str
    completed: bool
    """Listed among the completed jobs (completed, aborted or cancelled: see ``alerts``)."""
    alerts: tuple[str, ...]
    status: str
    """The printer's or filter's last message about the job ("Backend failed"), possibly empty."""

    @property
    def printed(self) -> bool:
        return self.completed and any(alert in _DONE for alert in self.alerts)


def print_pdf(printer: str, pdf: bytes, *, title: str, copies: int = 1,
              options: Sequence[tuple[str, str]] = (), page_ranges: str = "",
              timeout: float | None = None, run: Callable[..., subprocess.CompletedProcess[str]] | None = None,
              ) -> PrintedJob:
    """Submit ``pdf`` to the CUPS queue ``printer`` and wait until it is printed.

    Returns once CUPS reports the job completed; raises :class:`PrintError` when CUPS refuses the
    job, aborts or cancels it, the queue is stopped, or it has not printed within ``timeout``
    seconds (then it is cancelled, so that it cannot come out later unannounced)."""
    if not printer:
        raise PrintError("no printer was chosen")
    run = run or _run
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
    while True:
        state = job_state(printer, job_id, run)
        if state is not None and state.completed:
            if state.printed:
                return PrintedJob(printer, job_id, ", ".join(state.alerts))
            raise PrintError(_failure(state), job_id)
        stopped = printer_stopped(printer, run)
        if stopped is not None:
            _cancel(job_id, run)
            raise PrintError(f"the printer is stopped ({stopped}); the job was cancelled", job_id)
        if time.monotonic() >= deadline:
            _cancel(job_id, run)
            where = f" ({state.status or ', '.join(state.alerts)})" if state and (state.status or state.alerts) else ""
            raise PrintError(f"it was not printed within {wait:g} s{where}; the job was cancelled", job_id)
        time.sleep(POLL_S)


def parse_request_id(lp_output: str) -> str:
    """The job id in lp's answer ("request id is office-42 (1 file(s))"), or ""."""
    found = _REQUEST_ID.search(lp_output)
    return found.group(1) if found else ""


def parse_jobs(lpstat_output: str, completed: bool) -> dict[str, JobState]:
    """The jobs in ``lpstat -l -o`` output: a line per job (id first) and indented detail lines."""
    jobs: dict[str, JobState] = {}
    current, status = "", ""
    alerts: tuple[str, ...] = ()
    for line in [*lpstat_output.splitlines(), "-"]:  # the last line only ends the last job
        if line[:1].strip():
            if current:
                jobs[current] = JobState(current, completed, alerts, status)
            current, alerts, status = (line.split() or [""])[0], (), ""
            continue
        text = line.strip()
        if text.startswith("Alerts:"):
            alerts = tuple(text[len("Alerts:"):].split())
        elif text.startswith("Status:"):
            status = text[len("Status:"):].strip()
    return jobs


def job_state(printer: str, job_id: str, run: Callable[..., subprocess.CompletedProcess[str]] | None = None,
              ) -> JobState | None:
    """The state of ``job_id`` on ``printer``; None when CUPS does not list it (yet)."""
    run = run or _run
    for which, completed in (("completed", True), ("not-completed", False)):
        listed = run(["lpstat", "-l", "-W", which, "-o", printer])
        if listed.returncode != 0:
            raise PrintError(_said(listed, "lpstat") or "CUPS did not list the job")
        found = parse_jobs(listed.stdout, completed).get(job_id)
        if found is not None:
            return found
    return None


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


def _failure(state: JobState) -> str:
    alerts = [a for a in state.alerts if a not in ("none", "processing-to-stop-point")]
    words = state.status or ", ".join(alerts) or "the job ended without being printed"
    return f"{words} (CUPS job {state.job_id})"


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
