"""Protecting persons in published figures (council reports, advisory board).

A count of 1 to 4 in a published table could identify a person ("the one
applicant from X whose case was rejected"), so such counts are suppressed and
shown as "< 5". Zero is shown: it says nothing about anybody. Figures derived
from a suppressed count (a share, a median of fewer than 5 durations) are
suppressed with it.
"""

from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Published:
    value: float | int | None  # None: suppressed
    suppressed: bool

    def __str__(self):
        return f"< {THRESHOLD}" if self.suppressed else str(self.value)


def count(value: int) -> Published:
    if 0 < value < THRESHOLD:
        return Published(None, True)
    return Published(value, False)


def derived(value, based_on: int) -> Published:
    """A share, mean or median computed from ``based_on`` records."""
    if based_on < THRESHOLD:
        return Published(None, True)
    return Published(value, False)
