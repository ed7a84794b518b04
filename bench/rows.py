"""One row of the `make bench` table (bench/__main__.py prints them; bench/writers.py makes some)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    figure: str
    value: str
    target: str
    reference: str
    ok: bool | None
    """None: a figure shown for information, with no target"""
