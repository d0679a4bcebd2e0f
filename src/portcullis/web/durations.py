"""How every page words a span of time: the two largest units that matter (“3 d 4 h”, “12 s”)."""

from __future__ import annotations


def duration_text(seconds: float) -> str:
    """Word a span of seconds in its two largest units; a negative span reads as none."""
    whole = max(round(seconds), 0)
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"
