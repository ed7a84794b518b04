"""The parent's side of the crash tests' child protocol.

A child script (tests/crash_child.py, tests/autosave_child.py) imports KneeCheck once, prints
"loaded", then for each "go ..." line on its stdin forks a worker, prints "pid N" and, when the
worker is ready, "ready"; when the worker dies it prints "exited STATUS" (or "worker failed ...").
Forking keeps each kill round to milliseconds instead of a full interpreter start.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import IO


def serve_forks(work: Callable[[list[str]], object]) -> None:
    """The child's side: after the caller's imports, fork one worker per "go ARGS..." line on stdin.

    ``work`` gets the words after "go" and runs until it is killed; a worker that stops on its own
    reports "worker failed" and exits 3, which the parent treats as a test failure.
    """
    print("loaded", flush=True)
    for line in sys.stdin:
        command, *words = line.split()
        assert command == "go", line
        pid = os.fork()
        if pid == 0:
            try:
                work(words)
            except BaseException as exc:
                print(f"worker failed: {type(exc).__name__}: {exc}", flush=True)
            finally:
                os._exit(3)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exited {os.waitstatus_to_exitcode(status)}", flush=True)


class ForkingChild:
    def __init__(self, argv: list[str], name: str, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self._line() == "loaded"

    def _line(self) -> str:
        stdout: IO[str] | None = self.proc.stdout
        assert stdout is not None
        line = stdout.readline().strip()
        assert line, f"the {self.name} ended unexpectedly"
        return line

    def start_worker(self, command: str) -> int:
        """Send ``go ...`` and return the worker's pid once it says it is ready."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        pid, ready = None, False
        while pid is None or not ready:
            line = self._line()
            assert not line.startswith(("worker failed", "exited")), line
            if line.startswith("pid "):
                pid = int(line.split()[1])
            else:
                assert line == "ready", line
                ready = True
        return pid

    def wait_killed(self) -> None:
        line = self._line()
        assert not line.startswith("worker failed"), line
        assert line == f"exited {-signal.SIGKILL}", line

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
