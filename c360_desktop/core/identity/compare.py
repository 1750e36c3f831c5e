"""Comparing two records field by field: each comparison gives a level, from agreement to disagreement.

Level 0 always means "cannot tell" (a value is missing on either side) and
carries no weight. The other levels' weights come from the model (m and u
probabilities estimated from the data), not from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio

from .. import parallel
from .nicknames import are_nicknames, is_known_name
from .roles import is_role_address
from .records import MatchRecords

MISSING = 0


@dataclass(frozen=True)
class Comparison:
    name: str
    label: str  # the field in words
    levels: tuple[str, ...]  # level labels, index = level; level 0 is "missing"
    strong_agreement: tuple[int, ...] = (1,)  # levels that count as the same value (term frequencies apply)
    against: tuple[int, ...] = ()  # levels that are evidence of two different people


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("first_name", "first name",
               ("missing", "same", "nickname", "similar spelling", "initial only", "different"), against=(5,)),
    Comparison("last_name", "last name", ("missing", "same", "similar spelling", "different")),
    Comparison("email", "email", ("missing", "same address", "same name before the @", "different")),
    Comparison("phone", "phone", ("missing", "same number", "same last 7 digits", "different")),
    Comparison("location", "postal code / city", ("missing", "same postal code", "same city", "different")),
    Comparison("address", "street address", ("missing", "same", "similar", "different")),
    Comparison("birth_date", "birth date",
               ("missing", "same", "one part differs or day/month swapped", "different"), against=(3,)),
    Comparison("company", "company", ("missing", "same", "different")),
)
INDEX = {c.name: i for i, c in enumerate(COMPARISONS)}
FIRST, LAST, EMAIL, PHONE, LOCATION, ADDRESS, BIRTH, COMPANY = range(len(COMPARISONS))


def compare_first(a: str, b: str) -> int:
    if not a or not b:
        return MISSING
    if a == b:
        return 1
    if gendered_forms(a, b):
        return 5
    if are_nicknames(a, b) or _short_form(a, b):
        return 2
    if len(a) <= 3 or len(b) <= 3:
        initials_a, initials_b = len(a) == 1 or _initials(a), len(b) == 1 or _initials(b)
        if initials_a and initials_b:
            return 5   # J and P, JM and JP: initials that differ
        if initials_a or initials_b:
            return 4 if a[0] == b[0] else 5
    if JaroWinkler.similarity(a, b) >= 0.9 or (len(a) > 3 and Levenshtein.distance(a, b) <= 1):
        return 3
    return 5


def _initials(name: str) -> bool:
    """``jm`` for Jean-Marc, ``jp``, ``tj``: two or three letters and no vowel are initials, not a name."""
    return 2 <= len(name) <= 3 and not any(ch in "aeiouy" for ch in name)


def different_people(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Two (folded first name, last name): clearly different first names, not explained by first and last
    name swapped in one tool. A nickname, an initial or a typo of the same first name is not different."""
    if a[0] == b[1] or a[1] == b[0]:
        return False
    return compare_first(a[0], b[0]) == 5


# A man's and a woman's form of one name: a couple, or a brother and sister, far more often than one person
# written two ways. Regular ones follow from their endings (``gendered_forms``); these do not.
_GENDERED_PAIRS = frozenset(frozenset(pair) for pair in (
    ("louis", "louise"), ("denis", "denise"), ("justin", "justine"), ("simon", "simone"), ("yvon", "yvonne"),
    ("alexander", "alexandra"), ("alexandre", "alexandra"), ("patrick", "patricia"), ("stephen", "stephanie"),
    ("steven", "stephanie"), ("stefan", "stefanie"), ("stefan", "stephanie"), ("stephan", "stephanie"), ("christopher", "christine"), ("christopher", "christina"), ("samuel", "samantha"),
    ("julius", "julia"), ("michael", "michelle"), ("michel", "michele"), ("francis", "frances"),
    ("nicolas", "nicole"), ("nicholas", "nicole"), ("frederick", "frederica"), ("edward", "edwina"),
    ("george", "georgina"), ("henry", "henrietta"), ("eugene", "eugenia"), ("claude", "claudia"),
    ("bernard", "bernadette"), ("jesse", "jessie"), ("christian", "christina"), ("christian", "christiane"),
    ("adrian", "adrienne"), ("mario", "maria"), ("antonio", "antonia"), ("francesco", "francesca"),
    ("paolo", "paola"), ("carlo", "carla"), ("giulio", "giulia"), ("roberto", "roberta"), ("fernando", "fernanda"),
    ("alessandro", "alessandra"), ("alejandro", "alejandra"), ("luis", "luisa"), ("jose", "josefa"),
))
_FEMININE_ENDINGS = ("a", "le", "ne", "ine", "ina", "ette", "ia")


def gendered_forms(a: str, b: str) -> bool:
    """Paul/Paula, Daniel/Danielle, Joseph/Josephine, Mario/Maria, Michael/Michelle: a man's and a woman's
    form of one name. By their endings only when both are names the nickname table knows: Mari/Maria is a
    dropped letter more often than two people, and Ann/Anna (both women's, known as one name) are not."""
    if frozenset((a, b)) in _GENDERED_PAIRS:
        return True
    if not (is_known_name(a) and is_known_name(b)) or are_nicknames(a, b):
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) >= 3 and long.startswith(short) and long[len(short):] in _FEMININE_ENDINGS:
        return True
    return len(a) == len(b) >= 4 and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"o", "a"}


def _short_form(a: str, b: str) -> bool:
    """Fran/Francesca, Seba/Sebastian: one name is the first three or more letters of the other."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 3 and long.startswith(short)


LAST_DIFFERS = 3


def compare_last(a: str, b: str) -> int:
    if not a or not b:
        return MISSING
    if a == b:
        return 1
    # Particles ("van der", "de") are compared apart: "van der Berg" and "van der Meer" share only those.
    core_a, core_b = _without_particles(a) or a, _without_particles(b) or b
    if core_a == core_b or JaroWinkler.similarity(core_a, core_b) >= 0.92 or (
            len(core_a) > 4 and Levenshtein.distance(core_a, core_b) <= 1):
        return 2
    # double-barrelled: "García López" / "García" (one written in part), not "Martínez Pujol" / "Martínez Ruiz"
    # (sisters or cousins: the second surnames differ)
    words_a, words_b = core_a.split(), core_b.split()
    if len(words_a) + len(words_b) > 2 and set(words_a) & set(words_b) and (
            set(words_a) <= set(words_b) or set(words_b) <= set(words_a)):
        return 2
    return LAST_DIFFERS


def _without_particles(name: str) -> str:
    return " ".join(word for word in name.split() if word not in SURNAME_PARTICLES)


SURNAME_PARTICLES = frozenset(("de", "da", "di", "del", "della", "dei", "van", "von", "der", "den", "ter", "ten", "te",
                               "la", "le", "du", "des", "dos", "das", "do", "af", "av", "zu", "y", "e", "bin", "ibn",
                               "al", "el", "st"))


def compare_emails(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if not a or not b:
        return MISSING
    if set(a) & set(b):
        return 1
    locals_a = {e.split("@", 1)[0] for e in a if not is_role_address(e)}
    for email in b:
        local, _, domain = email.partition("@")
        if local in locals_a and len(local) >= 4 and not is_role_address(email):
            return 2
        for other in a:
            other_local, _, other_domain = other.partition("@")
            if domain == other_domain and _one_letter_typo(local, other_local):
                return 2
    return 3


def _one_letter_typo(a: str, b: str) -> bool:
    """A letter wrong, missing, extra, or two swapped (``willima`` for ``william``). Another digit is not a
    typo: ``anna.svensson85`` and ``anna.svensson86`` are how two namesakes get addresses at one provider."""
    return len(a) >= 5 and OSA.distance(a, b) <= 1 and [c for c in a if c.isdigit()] == [c for c in b if c.isdigit()]


def compare_phones(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if not a or not b:
        return MISSING
    if set(a) & set(b):
        return 1
    tails = {p[-7:] for p in a}
    return 2 if any(p[-7:] in tails for p in b) else 3


def compare_location(postal_a: str, postal_b: str, city_a: str, city_b: str) -> int:
    if postal_a and postal_b:
        if postal_a == postal_b:
            return 1
        if city_a and city_a == city_b:
            return 2
        return 3
    if city_a and city_b:
        return 2 if city_a == city_b else 3
    return MISSING


def compare_address(a: str, b: str) -> int:
    """Same street address, a similar one (abbreviations, a flat number more or less), or different. Another
    house number is another house, however alike the rest: 141 and 174 Main St are neighbours at best."""
    if not a or not b:
        return MISSING
    if a == b:
        return 1
    number_a, number_b = _house_number(a), _house_number(b)
    if number_a and number_b and number_a != number_b:
        return 3
    return 2 if token_set_ratio(a, b) >= 90 else 3


# Words that put a flat's or a floor's number after them, not the house's: "unit 5 141 main st".
_UNIT_WORDS = frozenset(("apt", "apartment", "unit", "flat", "ste", "suite", "fl", "floor", "room", "rm", "bldg",
                         "building", "po", "box", "whg", "etage", "app", "appt", "bus"))


def _house_number(address: str) -> str:
    """The house's number: the first token with a digit that no unit word comes before."""
    previous = ""
    for token in address.split():
        if any(ch.isdigit() for ch in token) and previous not in _UNIT_WORDS:
            return token
        previous = token
    return ""


def compare_birth(a: str, b: str) -> int:
    if not a or not b:
        return MISSING
    if a.startswith("--") or b.startswith("--"):   # a birthday without its year: day and month only
        return 2 if a[-5:] == b[-5:] else 3
    if a == b:
        return 1
    ya, ma, da = a[:4], a[5:7], a[8:10]
    yb, mb, db = b[:4], b[5:7], b[8:10]
    if (ya, ma, da) == (yb, db, mb) or sum(x != y for x, y in ((ya, yb), (ma, mb), (da, db))) == 1:
        return 2
    return 3


def birth_level(records: MatchRecords, i: int, j: int) -> int:
    """Birth dates, and Jr./Sr. in the names: a father and his son share a name, never a birth date."""
    a, b = records.generation[i], records.generation[j]
    if a and b and a != b:
        return 3
    return compare_birth(records.birth[i], records.birth[j])


def compare_company(a: str, b: str) -> int:
    if not a or not b:
        return MISSING
    return 1 if a == b or JaroWinkler.similarity(a, b) >= 0.93 else 2


def compare_names(first_a: str, last_a: str, first_b: str, last_b: str) -> tuple[int, int]:
    """First- and last-name levels, allowing for the two being swapped in one tool ("Jones, Tommy"), and for a
    tool that only had a surname and stored it as the first name."""
    if first_b and not last_b and last_a and compare_last(last_a, first_b) in (1, 2):
        return MISSING, compare_last(last_a, first_b)
    if first_a and not last_a and last_b and compare_last(last_b, first_a) in (1, 2):
        return MISSING, compare_last(last_b, first_a)
    straight = compare_first(first_a, first_b), compare_last(last_a, last_b)
    if first_a and last_a and first_b and last_b and straight[0] == 5:
        # a's first name field against b's last, and a's last against b's first, read either way round: "Smith
        # M" is Marcus Smith with his initial, "Smith K" Keisha Smith
        for swapped in ((compare_first(first_a, last_b.split(" ", 1)[0]), compare_last(last_a, first_b)),
                        (compare_first(last_a.split(" ", 1)[0], first_b), compare_last(first_a, last_b))):
            if swapped[0] in (1, 2, 3, 4) and swapped[1] in (1, 2):
                return swapped
    return straight


def compare(records: MatchRecords, i: int, j: int) -> tuple[int, ...]:
    """The level of every comparison for records at positions i and j."""
    first_level, last_level = compare_names(records.first[i], records.last[i], records.first[j], records.last[j])
    return (
        first_level,
        last_level,
        compare_emails(records.emails[i], records.emails[j]),
        compare_phones(records.phones[i], records.phones[j]),
        compare_location(records.postal[i], records.postal[j], records.city[i], records.city[j]),
        compare_address(records.address[i], records.address[j]),
        birth_level(records, i, j),
        compare_company(records.company[i], records.company[j]),
    )


# ---------------------------------------------------------------------------- many pairs at once

PARALLEL_MIN_PAIRS = 40_000


def _compare_slice(shared: tuple, bounds: tuple[int, int]) -> bytes:
    records, pairs = shared
    out = bytearray()
    for i, j in pairs[bounds[0]:bounds[1]]:
        out.extend(compare(records, i, j))
    return bytes(out)


def compare_all(records: MatchRecords, pairs: list[tuple[int, int]], progress=None, cancelled=None) -> np.ndarray:
    """Levels of every pair as an (n, comparisons) int8 array; on a multi-core machine, in parallel."""
    width = len(COMPARISONS)
    step = 20_000
    chunks = [(k, min(k + step, len(pairs))) for k in range(0, len(pairs), step)]
    # Only forked workers, which share the records as they are: a fork-server worker must be sent them all,
    # which cost about what it saved (100,000 records: 1.14 s in two against 0.75 s in one process).
    worth_it = len(pairs) >= PARALLEL_MIN_PAIRS and parallel.start_method() == "fork"
    parts = _collect(parallel.ordered_map(_compare_slice, chunks, shared=(records, pairs), worth_it=worth_it), chunks,
                     progress, cancelled)
    return np.frombuffer(b"".join(parts), dtype=np.int8).reshape(-1, width).copy()


def _collect(results, chunks, progress, cancelled) -> list[bytes]:
    parts = []
    for (_, end), part in zip(chunks, results):
        if cancelled and cancelled():
            raise InterruptedError
        parts.append(part)
        if progress:
            progress(end)
    return parts
