"""Role and household mailboxes: an address that belongs to a function or a family, not a person."""

from __future__ import annotations

import re
from functools import lru_cache

# Mailboxes of a role or a household rather than a person (RFC 2142 names and their everyday cousins).
ROLE_WORDS = {"info", "office", "admin", "contact", "hello", "sales", "support", "team", "family", "home", "mail",
              "billing", "accounts", "accounting", "orders", "shop", "store", "reception", "enquiries", "inquiries",
              "service", "help", "noreply", "webmaster", "postmaster", "hr", "jobs", "marketing", "bookings"}
ROLE_PARTS = ("family", "office", "household")  # also inside a word: larsenfamily@, smithoffice@
_LOCAL_WORDS = re.compile(r"[a-z]+")


@lru_cache(maxsize=262144)
def is_role_address(email: str) -> bool:
    local = email.split("@", 1)[0]
    words = _LOCAL_WORDS.findall(local)
    return (any(word in ROLE_WORDS for word in words) or any(part in local for part in ROLE_PARTS)
            or (local.startswith("the") and local.endswith("s")))
