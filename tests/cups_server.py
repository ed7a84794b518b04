"""A private CUPS scheduler for the printing tests: its own cupsd on its own socket in a temporary
folder, with a cups-pdf queue whose PDFs land in that folder too. Nothing of the system's CUPS is
changed: the system cupsd (if any) keeps running, /etc/cups is only read.

How it is made private:

- ``cupsd -f -c cupsd.conf -s cups-files.conf``: both files written here; ServerRoot, RequestRoot,
  TempDir, CacheDir, StateDir and the logs are subfolders of the temporary folder; ``Listen`` is a
  socket in it (no TCP port, no browsing, no web interface); ``Printcap`` is in the folder too, so
  /run/cups/printcap is not written. Clients reach it with ``CUPS_SERVER=<socket>``.
- The folder is 0755: cupsd runs filters as user ``lp``, who must reach the spooled files and
  TempDir (cupsd itself sets the modes of the subfolders it owns).
- cups-pdf reads its configuration from /etc/cups/cups-pdf.conf, a path compiled in (Debian's says
  ``Out ${HOME}/PDF``: the job owner's home). Its PPD cannot move the output either: cups-pdf takes
  ``Out`` from a PPD default, but libcups cuts a PPD default at the first "/". So cupsd is started
  in a mount namespace of its own (``unshare --mount``) where a private cups-pdf.conf is bind-mounted
  over that path: cups-pdf (a child of that cupsd) writes its PDFs, spool, log and temporary files
  into the temporary folder, and no other process sees the mount; /etc/cups is not changed.
- The cups-pdf backend is mode 0700, owned by root: cupsd runs such a backend as root, and only a
  cupsd started by root can (the mount namespace needs root too). Elsewhere the test is skipped
  with the reason (a failure under CI=true).

Use :func:`cups_server` as a context manager; it stops cupsd and removes the folder on the way out,
also when the test failed. :func:`pointed_at` points this process at it (the CUPS commands through
$CUPS_SERVER, Qt's print support through libcups' ``cupsSetServer``); a child process needs only
``CUPS_SERVER`` in its environment (libcups reads it when first used).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

QUEUE = "kneecheck-pdf"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
TOOLS = ("cupsd", "lpadmin", "lp", "lpstat", "cancel", "gs", "unshare", "mount")


@dataclasses.dataclass(frozen=True)
class CupsServer:
    root: Path
    socket: Path
    queue: str
    output: Path
    """Where cups-pdf writes the PDFs of the queue."""
    env: dict[str, str]
    """os.environ with CUPS_SERVER pointing at this scheduler (for lp, lpstat and the app)."""

    def log(self) -> str:
        """The scheduler's error log (debug level), for a failing test's message."""
        try:
            return (self.root / "log" / "error_log").read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    def printed(self) -> list[Path]:
        return sorted(self.output.glob("*.pdf"))


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def require_cups() -> None:
    """Skip with the reason when cupsd, the CUPS commands or cups-pdf are missing, or this is not
    root (the cups-pdf backend runs only under a root cupsd); under CI=true that is a failure."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists()]
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists() or not CUPS_PDF_CONF.exists():
        missing.append("cups-pdf")
    if missing:
        _unavailable(f"{', '.join(missing)} not installed (make test installs cups, cups-client and "
                     "printer-driver-cups-pdf on Debian)")
    if os.geteuid() != 0:
        _unavailable("the cups-pdf backend runs only under a cupsd started by root")
    tried = subprocess.run([_tool("unshare"), "--mount", "--propagation", "private", "sh", "-c",
                            f"mount --bind {CUPS_PDF_CONF} {CUPS_PDF_CONF}"], capture_output=True, text=True,
                           timeout=30, check=False)
    if tried.returncode != 0:
        _unavailable("cups-pdf's configuration cannot be made private here (no mount namespace: "
                     f"{tried.stderr.strip() or tried.returncode})")


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def _private_cups_pdf_conf(root: Path) -> Path:
    """cups-pdf's settings for this scheduler: every file it writes stays in ``root``."""
    folders = {"Out": root / "pdf", "Spool": root / "cups-pdf-spool", "Log": root / "log",
               "GSTmp": root / "tmp", "AnonDirName": root / "pdf"}
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    conf = root / "cups-pdf.conf"
    conf.write_text("".join(f"{key} {value}\n" for key, value in folders.items())
                    + "Grp lp\nLogType 7\nLabel 1\nUserUMask 0077\n")
    return conf


def _write_config(root: Path, socket: Path) -> tuple[Path, Path]:
    for sub in ("etc", "spool", "spool/tmp", "cache", "state", "log"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    cupsd_conf = root / "etc" / "cupsd.conf"
    cupsd_conf.write_text(f"""LogLevel debug
Listen {socket}
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultAuthType None
DefaultShared No
PreserveJobHistory Yes
PreserveJobFiles No
JobRetryLimit 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""")
    files_conf = root / "etc" / "cups-files.conf"
    files_conf.write_text(f"""ServerRoot {root / 'etc'}
RequestRoot {root / 'spool'}
TempDir {root / 'spool' / 'tmp'}
CacheDir {root / 'cache'}
StateDir {root / 'state'}
ErrorLog {root / 'log' / 'error_log'}
AccessLog {root / 'log' / 'access_log'}
PageLog {root / 'log' / 'page_log'}
Printcap {root / 'etc' / 'printcap'}
FileDevice Yes
User lp
Group lp
SystemGroup root
Sandboxing Relaxed
""")
    return cupsd_conf, files_conf


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=30, check=False)


@contextlib.contextmanager
def cups_server() -> Iterator[CupsServer]:
    """Start a private cupsd with the cups-pdf queue :data:`QUEUE`; stop it and remove its folder after."""
    require_cups()
    root = Path(tempfile.mkdtemp(prefix="kc-cups-", dir="/tmp" if Path("/tmp").is_dir() else None))
    process: subprocess.Popen[bytes] | None = None
    try:
        root.chmod(0o755)  # the filters run as lp and read the spool below it
        socket = root / "cups.sock"
        cupsd_conf, files_conf = _write_config(root, socket)
        conf = _private_cups_pdf_conf(root)
        env = dict(os.environ, CUPS_SERVER=str(socket), LC_ALL="C", LANG="C")
        env.pop("CUPS_USER", None)
        env.pop("PRINTER", None)
        env.pop("LPDEST", None)
        # cups-pdf reads /etc/cups/cups-pdf.conf, compiled in: cupsd runs in a mount namespace of its
        # own where that path shows the private file (a bind mount no other process sees).
        start = (f"mount --bind {shlex.quote(str(conf))} {CUPS_PDF_CONF} && "
                 f"exec {shlex.quote(_tool('cupsd'))} -f -c {shlex.quote(str(cupsd_conf))} -s {shlex.quote(str(files_conf))}")
        process = subprocess.Popen([_tool("unshare"), "--mount", "--propagation", "private", "sh", "-c", start],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        server = CupsServer(root, socket, QUEUE, root / "pdf", env)
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"cupsd stopped at start ({process.returncode}): {stderr}\n{server.log()}")
            if socket.exists() and "scheduler is running" in _run([_tool("lpstat"), "-r"], env).stdout:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"cupsd did not answer within 20 s\n{server.log()}")
            time.sleep(0.1)
        added = _run([_tool("lpadmin"), "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD),
                      "-o", "printer-error-policy=abort-job"], env)
        if added.returncode != 0:
            raise RuntimeError(f"lpadmin failed: {added.stderr}\n{server.log()}")
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        if process is not None and process.stderr is not None:
            process.stderr.close()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def pointed_at(server: CupsServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process uses ``server``: the CUPS commands through $CUPS_SERVER, and Qt's print support
    (libcups in this process, which read $CUPS_SERVER once, when it was first used) through
    ``cupsSetServer``; both are put back after."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("cups") or "libcups.so.2"
    try:
        libcups = ctypes.CDLL(name)
    except OSError as exc:
        _unavailable(f"libcups cannot be loaded ({exc})")
    monkeypatch.setenv("CUPS_SERVER", str(server.socket))
    for variable in ("PRINTER", "LPDEST", "CUPS_USER"):
        monkeypatch.delenv(variable, raising=False)
    libcups.cupsSetServer(str(server.socket).encode())
    try:
        yield
    finally:
        libcups.cupsSetServer(None)  # back to the default (the environment, client.conf)
        monkeypatch.delenv("CUPS_SERVER", raising=False)
