"""How sign-in resists guessing: the one place the throttle's numbers live.

Plain data and arithmetic, no database: :mod:`models.accounts` stores each name's failure count
and times and asks :func:`wait_seconds` how long the next attempt must wait.

The numbers (:data:`POLICY`) and why:

- ``free_failures = 3``: three mistyped passwords in a row are normal (caps lock, a new keyboard);
  they cost nothing but the hash check.
- then a doubling delay, ``first_delay`` 1 s, 2 s, 4 s ... capped at ``max_delay`` 60 s: a
  clinician who mistypes again waits seconds, not minutes, while a guesser drops from ~10 tries a
  second to fewer than one a minute.
- ``lockout_failures = 10`` failures in a row lock the name for ``lockout`` 15 minutes; the count
  is kept when the lock-out ends, so every further failure locks it again for 15 minutes: about
  100 guesses a day per name, with an audit row for each. An administrator's unlock, or the right
  password once allowed, sets the count back to zero.

The same rule applies to every name tried, whether or not it is an account, so guessing names is
no cheaper than guessing passwords and the answer never tells whether an account exists.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int
    first_delay: dt.timedelta
    max_delay: dt.timedelta
    lockout_failures: int
    lockout: dt.timedelta

    def delay_after(self, failures: int) -> dt.timedelta:
        """How long after the last of ``failures`` failures in a row the next attempt is checked
        (the lock-out is :meth:`locks_out`, not this)."""
        if failures < self.free_failures:
            return dt.timedelta(0)
        doublings = min(failures - self.free_failures, 30)  # 2**30 s is far past any cap
        return min(self.first_delay * (2 ** doublings), self.max_delay)

    def locks_out(self, failures: int) -> bool:
        return failures >= self.lockout_failures


POLICY = ThrottlePolicy(
    free_failures=3,
    first_delay=dt.timedelta(seconds=1),
    max_delay=dt.timedelta(seconds=60),
    lockout_failures=10,
    lockout=dt.timedelta(minutes=15),
)


def wait_seconds(failures: int, last_failure: dt.datetime | None, locked_until: dt.datetime | None,
                 now: dt.datetime, policy: ThrottlePolicy = POLICY) -> int:
    """Whole seconds (rounded up) until a name with this record may try again; 0: now."""
    until = None
    if locked_until is not None:
        until = locked_until
    if last_failure is not None and failures:
        delayed = last_failure + policy.delay_after(failures)
        until = delayed if until is None else max(until, delayed)
    if until is None or until <= now:
        return 0
    return max(1, math.ceil((until - now).total_seconds()))
