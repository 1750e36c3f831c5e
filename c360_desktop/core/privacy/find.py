"""Finding the person behind a data-subject request: every candidate profile for what they gave.

A request may match several profiles (a shared mailbox, a namesake, a person matching did not join),
so every candidate is listed with what matched; the owner decides. Values are plaintext: callers mask
them with the redaction policy.
"""

from __future__ import annotations

from ..errors import C360Error
from ..profiles.profile import profiles_by_email, profiles_by_phone
from ..profiles.search import search_profiles

_SUMMARY = "id, display_name, primary_email, primary_phone, sources, record_count"


class FindError(C360Error):
    pass


def find_candidates(conn, *, email: str | None = None, phone: str | None = None, name: str | None = None,
                    region: str = "US") -> list[dict]:
    """Candidate profiles, each with ``matched_on`` (email, phone, name), by profile id."""
    if not any(given and given.strip() for given in (email, phone, name)):
        raise FindError("Give an email, a phone number or a name to look for.")
    matched: dict[int, list[str]] = {}
    lookups = (("email", email, lambda: profiles_by_email(conn, email)),
               ("phone", phone, lambda: profiles_by_phone(conn, phone, region)),
               ("name", name, lambda: search_profiles(conn, name, region=region).profile_ids))
    for what, given, lookup in lookups:
        if given and given.strip():
            for profile_id in lookup():
                matched.setdefault(profile_id, []).append(what)
    return [_candidate(conn, profile_id, matched[profile_id]) for profile_id in sorted(matched)]


def _candidate(conn, profile_id: int, matched_on: list[str]) -> dict:
    row = conn.execute(f"SELECT {_SUMMARY} FROM profiles WHERE id = ?", (profile_id,)).fetchone()
    keys = ("profile_id", "display_name", "primary_email", "primary_phone", "sources", "record_count")
    return {**dict(zip(keys, row)), "matched_on": matched_on}


def namesake_count(conn, profile_id: int, region: str = "US") -> int:
    """How many other profiles Find a person lists for this profile's name: namesakes, or the same person in
    records matching did not join. Only the count: the caller says where to look, not who they are."""
    row = conn.execute("SELECT display_name FROM profiles WHERE id = ?", (profile_id,)).fetchone()
    if row is None or not (row[0] or "").strip():
        return 0
    return len(set(search_profiles(conn, row[0], region=region).profile_ids) - {profile_id})
