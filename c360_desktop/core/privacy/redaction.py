"""Masking personal values for display: ``s•••@e•••.com``, ``•••• 0101``.

The masked form keeps just enough to recognise a value one already knows
(first letters, top-level domain, last digits) and nothing to learn a new one.
"""

from __future__ import annotations

MASK = "•••"


def mask_email(value: str | None) -> str:
    if not value:
        return ""
    local, at, domain = value.partition("@")
    if not at:
        return mask_text(value)
    name, dot, tld = domain.rpartition(".")
    masked_domain = f"{name[:1]}{MASK}.{tld}" if dot else f"{domain[:1]}{MASK}"
    return f"{local[:1]}{MASK}@{masked_domain}"


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = [ch for ch in value if ch.isdigit()]
    return f"•••• {''.join(digits[-4:])}" if len(digits) > 6 else "••••"


def mask_text(value: str | None) -> str:
    """Generic: the first character, then a mask (addresses, birth dates, notes)."""
    if not value:
        return ""
    return f"{value.strip()[:1]}{MASK}"
