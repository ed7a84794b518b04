"""The HL7 v2 names and addresses a workstation setting or a command-line option may hold: checked
here, below the report layer, so that the settings (models/settings.py), the command line and the
message builder (reports/hl7.py) apply one rule. Plain functions: no Qt, no hl7apy.
"""

from __future__ import annotations

import os
import re

# What an identifier (facility, application, assigning authority) may hold: no separators, no escapes.
IDENTIFIER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,18}[A-Za-z0-9])?")
IDENTIFIER_RULE = "1-20 letters, digits, spaces, '.', '_' or '-', starting and ending with a letter or digit"
DEFAULT_FACILITY = "KNEECHECK"  # the sending facility (and MRN assigning authority) when none is set
FACILITY_ENV = "KNEECHECK_FACILITY"
DESTINATION_RULE = "HOST:PORT (e.g. 127.0.0.1:2575 or [::1]:2575; port 1-65535)"


def identifier_problem(label: str, value: str) -> str | None:
    """Why ``value`` is not a facility, application or assigning-authority name, or None."""
    if IDENTIFIER.fullmatch(value):
        return None
    return f"{label}: {value!r} is not allowed; use {IDENTIFIER_RULE}"


def split_destination(text: str) -> tuple[str, int] | None:
    """An MLLP destination ``HOST:PORT`` (``[IPv6]:PORT`` too) as (host, port), or None."""
    host, sep, port = text.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536 \
            or any(ch.isspace() or ch in "/@[]" for ch in host) or len(host) > 253:
        return None
    return host, int(port)


def facility_default() -> str:
    """The sending facility when none is given: ``$KNEECHECK_FACILITY`` if it is a valid name, else
    :data:`DEFAULT_FACILITY`. The command line and the window use the same default."""
    value = os.environ.get(FACILITY_ENV, "")
    return value if value and IDENTIFIER.fullmatch(value) else DEFAULT_FACILITY
