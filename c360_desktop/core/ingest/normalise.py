"""Normalising one cell at a time; the raw value is always kept beside the result.

Each normaliser returns a ``Normalised``: the clean value (or ``None`` when the
cell cannot be understood), a matching key for identity resolution, a quality
flag (``ok``, ``repaired`` for a fix whose intent was unambiguous, ``invalid``)
and a short reason that names the problem without repeating the value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import ftfy
from anyascii import anyascii
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from nameparser import HumanName
from phonenumbers import PhoneNumberType

OK, REPAIRED, INVALID = "ok", "repaired", "invalid"
# Raised whenever a normaliser makes something else of a cell than before: rows imported under an older
# version are read again when their file comes back, instead of being "unchanged" (see ImportPlan.reading).
NORMALISATION_VERSION = 5


@dataclass(frozen=True)
class Normalised:
    """Normalisers are cached (names, towns, amounts and answers repeat from row to row): a result is shared,
    so nobody changes one, its ``detail`` included."""

    value: str | None
    key: str | None = None
    quality: str = OK
    reason: str = ""
    detail: dict = field(default_factory=dict)


EMPTY = Normalised(None)


_ASCII_NON_WORD = re.compile(r"[\W_]+", re.ASCII)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation to spaces, whitespace collapsed: a matching key."""
    if text.isascii():
        return _ASCII_NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l").replace("đ", "d")
    cleaned = re.sub(r"[^\w]+", " ", stripped.lower())
    return " ".join(cleaned.replace("_", " ").split())


_LATIN_END = 0x24F   # the last code point of the Latin Extended-B block


def in_latin_letters(text: str) -> str:
    """A name in another script written in Latin letters (Ольга -> Olga, Νίκος -> Nikos), so that it compares
    with the same name as another tool wrote it; Latin text is returned unchanged (``fold`` takes accents off)."""
    if text.isascii() or not any(ch.isalpha() and ord(ch) > _LATIN_END for ch in text):
        return text
    return anyascii(text).replace("'", "")


# A UTF-8 lead byte read as Windows-1252 or Latin-1 (Â…ô), then a continuation byte read the same way: how
# "Björn" looks once a tool stored UTF-8 as if it were 1252 ("BjÃ¶rn"). Real names hardly ever hold such a pair.
_MOJIBAKE_PAIR = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                            "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
                            "\u203a\u20ac\u2122]")


def clean_text(raw: str) -> str:
    """Strip whitespace and the leading apostrophe spreadsheets and tools put before numbers and formula-like
    text (``'02134``, ``'+1 415…``, ``'=A1``) to keep them text. Before a letter the apostrophe is part of the
    word: Dutch ``'t Hart``, ``'s-Hertogenbosch``. A value a tool garbled by storing UTF-8 as Windows-1252
    (``BjÃ¶rn``) is repaired with ftfy, which leaves text alone unless the repair is unambiguous; the raw cell
    keeps what the file said."""
    text = raw.strip()
    if text.startswith("'") and len(text) > 1 and not text.endswith("'") and not text[1].isalpha():
        text = text[1:].strip()
    if not text.isascii() and _MOJIBAKE_PAIR.search(text):
        text = ftfy.fix_encoding(text)
    return text


# ---------------------------------------------------------------------------- email

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
# Plain ASCII addresses that email-validator always accepts unchanged; anything else goes through it.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
)


@lru_cache(maxsize=65536)
def normalise_email(raw: str) -> Normalised:
    text = clean_text(raw)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip("<>\"' ")
    if not text:
        return EMPTY
    lowered = text.lower()
    if _is_plain_email(lowered):
        return Normalised(lowered, canonical_email(lowered), OK if lowered == text else REPAIRED)
    if _is_plain_email(_letters_as_ascii(text, lowered)):
        return Normalised(lowered, canonical_email(lowered))   # as validated_email gives it
    return validated_email(text)


def _is_plain_email(lowered: str | None) -> bool:
    return lowered is not None and len(lowered) <= 254 and lowered.find("@") <= 64 \
        and _PLAIN_EMAIL.fullmatch(lowered) is not None


def _letters_as_ascii(text: str, lowered: str) -> str | None:
    """An internationalised address (``zoë@example.com``) whose only non-ASCII characters are letters of its
    local part, in NFC before and after lower-casing, with each such letter replaced by ``a`` (None for any
    other): email-validator accepts those unchanged (tested against it), so the plain pattern can decide."""
    local, _, domain = lowered.partition("@")
    if lowered.isascii() or not domain.isascii() or "--" in domain or len(lowered.encode()) > 254 \
            or len(local.encode()) > 64:   # "--": a punycode label (xn--), which email-validator decodes
        return None
    if not (unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", lowered)):
        return None
    replaced = "".join(ch if ch.isascii() else "a" if ch.isalpha() else "\0" for ch in lowered)
    return None if "\0" in replaced else replaced


def validated_email(text: str) -> Normalised:
    """An address through email-validator (syntax only, internationalised allowed), lower-cased."""
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return Normalised(None, None, INVALID, "not a valid email address")
    value = result.local_part.lower() + "@" + result.domain.lower()
    return Normalised(value, canonical_email(value), OK if value == text.lower() else REPAIRED)


def canonical_email(email: str) -> str:
    """Matching key: plus-tags removed; Gmail also ignores dots and has two domains."""
    local, _, domain = email.partition("@")
    local = local.split("+", 1)[0] or local
    if domain in GMAIL_DOMAINS:
        return local.replace(".", "") + "@gmail.com"
    return local + "@" + domain


# ---------------------------------------------------------------------------- phone

_SCIENTIFIC = re.compile(r"^\+?(\d)[.,](\d+)[eE]\+?(\d+)$")
_TRAILING_ZERO_DECIMAL = re.compile(r"^\+?\d{6,}\.0+$")
_PHONE_LABEL = re.compile(r"^(phone|tel|telephone|mobile|cell|home|work|fax|office)\s*[:.]\s*", re.I)
PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "landline",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline_or_mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
    phonenumbers.PhoneNumberType.VOIP: "voip",
}


def _repair_excel_number(text: str) -> tuple[str, str, str]:
    """Undo what Excel does to phone numbers typed as numbers: returns (text, quality, reason)."""
    if _TRAILING_ZERO_DECIMAL.match(text):
        return text.split(".")[0], REPAIRED, "spreadsheet decimal removed"
    match = _SCIENTIFIC.match(text)
    if match:
        head, tail, exponent = match.group(1), match.group(2), int(match.group(3))
        if len(tail) > exponent:
            return text, INVALID, "not a phone number"
        if len(tail) < exponent:
            return text, INVALID, "spreadsheet scientific notation lost the last digits"
        return head + tail, REPAIRED, "spreadsheet scientific notation expanded"
    return text, OK, ""


NANP_REGIONS = {"US", "CA", "PR", "VI", "GU", "AS", "MP", "AG", "AI", "BB", "BM", "BS", "DM", "DO", "GD", "JM", "KN",
                "KY", "LC", "MS", "SX", "TC", "TT", "VC", "VG"}
# A North American number written the usual ways; its E.164 form is certain without the full parser.
_NANP = re.compile(r"(\+?1[\s.\-]*)?\(?([2-9]\d{2})\)?[\s.\-]*([2-9]\d{2})[\s.\-]*(\d{4})")


@lru_cache(maxsize=65536)
def normalise_phone(raw: str, region: str = "US", declared_type: str = "") -> Normalised:
    text = _PHONE_LABEL.sub("", clean_text(raw))
    if not text:
        return EMPTY
    text, quality, reason = _repair_excel_number(text)
    if quality == INVALID:
        return Normalised(None, None, INVALID, reason)
    nanp = _NANP.fullmatch(text)
    if nanp and (nanp.group(1) and "+" in nanp.group(1) or (region or "US").upper() in NANP_REGIONS):
        e164 = "+1" + nanp.group(2) + nanp.group(3) + nanp.group(4)
        return Normalised(e164, e164, quality, reason, {"type": declared_type} if declared_type else {})
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = re.sub(r"\D", "", text)
    if len(digits) < 6:
        return Normalised(None, None, INVALID, "too few digits for a phone number")
    try:
        number = phonenumbers.parse(text, (region or "US").upper())
    except phonenumbers.NumberParseException:
        return Normalised(None, None, INVALID, "not a phone number")
    if not phonenumbers.is_possible_number(number):
        number = _with_lost_plus(text)
        if number is None:
            return Normalised(None, None, INVALID, "not a possible phone number for its country")
        quality, reason = REPAIRED, "the leading + was lost (a spreadsheet kept the number as a number)"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    detail = {}
    if number.extension:
        detail["extension"] = number.extension
    if declared_type:
        detail["type"] = declared_type
    return Normalised(e164, e164, quality, reason, detail)


def _with_lost_plus(text: str) -> phonenumbers.PhoneNumber | None:
    """``447457791536``: an international mobile number whose ``+`` a spreadsheet dropped (it stored the cell as a
    number). Taken as such only when it is no possible number of the region but a valid mobile one with the ``+``:
    a home number typed with a digit too many (``41555501012``) reads as a foreign landline, never as a mobile."""
    if not text.isdigit() or not 8 <= len(text) <= 15:
        return None
    try:
        number = phonenumbers.parse("+" + text, None)
    except phonenumbers.NumberParseException:
        return None
    mobile = phonenumbers.number_type(number) in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return number if mobile and phonenumbers.is_valid_number(number) else None


_LABELLED_PHONES = re.compile(r"(phone|tel|mobile|cell|home|work|business|fax|office)\s*:\s*", re.I)
_LABEL_TYPES = {"mobile": "mobile", "cell": "mobile", "home": "home", "work": "work", "business": "work",
                "office": "work", "fax": "fax"}


def split_labelled_phones(cell: str) -> list[tuple[str, str]]:
    """``Phone:(512) 555-0100 Mobile:(512) 555-0193`` (QuickBooks) -> [("", …), ("mobile", …)]."""
    parts = _LABELLED_PHONES.split(cell)
    if len(parts) < 5:  # fewer than two labels: one number, leave it whole
        return [("", cell)]
    pairs = []
    for label, text in zip(parts[1::2], parts[2::2]):
        if text.strip():
            pairs.append((_LABEL_TYPES.get(label.lower(), ""), text.strip()))
    return pairs


def phone_type(e164: str) -> str:
    """Mobile, landline … from the numbering plan; computed when needed (it costs the full parser)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return ""
    return PHONE_TYPES.get(phonenumbers.number_type(number), "")


# ---------------------------------------------------------------------------- names

_NAME_NOISE = re.compile(r"\s+")


def clean_name(raw: str) -> str:
    text = _NAME_NOISE.sub(" ", clean_text(raw)).strip(" ,;")
    if text.isupper() or text.islower():
        text = " ".join(part[:1].upper() + part[1:].lower() if part.isalpha() else part for part in text.split(" "))
    return text


# Legal forms that end a company's name (folded, dots and spaces out): "Saffron Foods UG", "Acme, Inc.",
# "Whitfield & Co". Xero and QuickBooks put a company in the contact's name when there is no person.
LEGAL_FORMS = frozenset((
    "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "plc", "pllc", "pc",
    "gmbh", "ug", "ag", "kg", "ohg", "gbr", "ev", "eg", "sarl", "sas", "sasu", "eurl", "sa", "srl", "spa", "snc",
    "bv", "nv", "vof", "oy", "oyj", "ab", "aps", "asa", "kft", "sro", "spzoo", "pty", "ptyltd", "cic", "lda",
))


@lru_cache(maxsize=65536)
def is_company_name(raw: str) -> bool:
    """A name that ends with a legal form (``UG``, ``Ltd.``, ``S.A.``, ``GmbH & Co. KG``): a company, not a
    person to split into first and last names."""
    words = fold(raw).split()
    for n in (1, 2, 3):
        tail = words[-n:]
        if len(words) <= n or "".join(tail) not in LEGAL_FORMS:
            continue
        if n > 1 and all(len(word) == 1 for word in tail) and not _DOTTED_LETTERS.search(raw):
            continue   # "Mary Jane P C": initials, not "P.C."
        if n == 1 and tail[0] in _ALSO_SURNAMES and not (_WRITTEN_AS_FORM.search(raw) or _CAPITAL_FORM.search(raw)):
            continue
        return True
    return False


# Legal forms that are names too (Maria de Sá, Jennifer Co, Kim Lp): a company only when written as one, "& Co",
# "Co.", or in capitals after a name ("Björn AB", "Smith LP").
_ALSO_SURNAMES = frozenset(("sa", "co", "ab", "eg", "spa", "ag", "lp", "pc", "ev", "oy"))
_WRITTEN_AS_FORM = re.compile(r"(?:&|\band)\s*co\.?\s*$|\b(?:co|spa|oy)\.\s*$", re.IGNORECASE)
_CAPITAL_FORM = re.compile(r"\b(?:SA|AB|EG|AG|SpA|LP|PC|EV|OY|Oy)\s*$")
_DOTTED_LETTERS = re.compile(r"\w\.\s*\w\.?\s*(?:\w\.?\s*)?$")


@lru_cache(maxsize=65536)
def split_full_name(raw: str) -> dict[str, str]:
    """Parts of a full name with nameparser ("Smith, Ann" and "Dr. Ann B. Smith Jr." both work)."""
    name = HumanName(clean_name(raw))
    parts = {
        "name_prefix": name.title,
        "first_name": name.first,
        "middle_name": name.middle,
        "last_name": name.last,
        "name_suffix": name.suffix,
    }
    return {key: value for key, value in parts.items() if value}


@lru_cache(maxsize=65536)
def normalise_name(raw: str) -> Normalised:
    text = clean_name(raw)
    if not text:
        return EMPTY
    return Normalised(text, fold(text) or None)


# ---------------------------------------------------------------------------- addresses

STREET_ABBREVIATIONS = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr", "lane": "ln",
    "court": "ct", "place": "pl", "square": "sq", "terrace": "ter", "highway": "hwy", "parkway": "pkwy",
    "apartment": "apt", "suite": "ste", "floor": "fl", "north": "n", "south": "s", "east": "e", "west": "w",
    "strasse": "str", "straße": "str", "rue": "r", "number": "no",
}


@lru_cache(maxsize=65536)
def normalise_address(raw: str) -> Normalised:
    text = " ".join(clean_text(raw).split())
    if not text:
        return EMPTY
    words = fold(text).split()
    key = " ".join(STREET_ABBREVIATIONS.get(word, word) for word in words)
    return Normalised(text, key or None)


US_LIKE = {"US", "PR", "VI", "GU"}


# Countries whose five-digit postcodes can start with 0 (Barcelona 08001, Dresden 01067, Rome 00184): a
# spreadsheet that took one for a number wrote four digits.
ZERO_LEADING_FIVE_DIGITS = frozenset(("ES", "FR", "DE", "IT", "FI", "MX"))
UNKNOWN_COUNTRY = "ZZ"   # a country was written but is not recognised: its postcodes are left as written


@lru_cache(maxsize=65536)
def normalise_postal(raw: str, country: str = "") -> Normalised:
    text = " ".join(clean_text(raw).upper().split())
    if not text:
        return EMPTY
    if country in US_LIKE or (not country and re.fullmatch(r"\d{3,5}(-\d{4})?", text)):
        if re.fullmatch(r"\d{3,4}(-\d{4})?", text):
            head, _, tail = text.partition("-")
            fixed = head.zfill(5) + ("-" + tail if tail else "")
            return Normalised(fixed, fixed[:5], REPAIRED, "leading zero restored")
        if re.fullmatch(r"\d{5}(-\d{4})?", text):
            return Normalised(text, text[:5])
        if re.fullmatch(r"\d{9}", text):
            return Normalised(text[:5] + "-" + text[5:], text[:5], REPAIRED, "ZIP+4 hyphen restored")
    if country in ZERO_LEADING_FIVE_DIGITS and re.fullmatch(r"\d{4}", text):
        return Normalised("0" + text, "0" + text, REPAIRED, "leading zero restored")
    return Normalised(text, text.replace(" ", "").replace("-", ""))


COUNTRY_NAMES = {
    "united states": "US", "united states of america": "US", "usa": "US", "u s a": "US", "us": "US", "america": "US",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "gb": "GB", "canada": "CA", "australia": "AU", "new zealand": "NZ", "ireland": "IE", "germany": "DE",
    "deutschland": "DE", "france": "FR", "spain": "ES", "espana": "ES", "italy": "IT", "italia": "IT",
    "netherlands": "NL", "the netherlands": "NL", "nederland": "NL", "belgium": "BE", "belgique": "BE",
    "belgie": "BE", "austria": "AT", "osterreich": "AT", "switzerland": "CH", "schweiz": "CH", "suisse": "CH",
    "portugal": "PT", "sweden": "SE", "sverige": "SE", "norway": "NO", "norge": "NO", "denmark": "DK",
    "danmark": "DK", "finland": "FI", "suomi": "FI", "poland": "PL", "polska": "PL", "mexico": "MX",
    "brazil": "BR", "brasil": "BR", "india": "IN", "japan": "JP", "singapore": "SG", "south africa": "ZA",
    "svizzera": "CH", "suiza": "CH", "luxembourg": "LU", "luxemburg": "LU", "liechtenstein": "LI",
    "oesterreich": "AT", "autriche": "AT", "belgien": "BE", "belgio": "BE", "belgica": "BE",
    "allemagne": "DE", "alemania": "DE", "germania": "DE", "francia": "FR", "frankreich": "FR", "spanien": "ES",
    "espagne": "ES", "spagna": "ES", "italien": "IT", "italie": "IT", "niederlande": "NL", "pays bas": "NL",
    "paises bajos": "NL", "olanda": "NL", "holland": "NL", "reino unido": "GB", "royaume uni": "GB",
    "regno unito": "GB", "vereinigtes konigreich": "GB", "estados unidos": "US", "etats unis": "US",
    "stati uniti": "US", "vereinigte staaten": "US", "irlanda": "IE", "irlande": "IE", "irland": "IE",
    "portogallo": "PT", "polonia": "PL", "pologne": "PL", "polen": "PL", "suecia": "SE", "suede": "SE",
    "schweden": "SE", "svezia": "SE", "dinamarca": "DK", "danemark": "DK", "danimarca": "DK", "danmark": "DK",
    "norvegia": "NO", "norvege": "NO", "norwegen": "NO", "noruega": "NO", "finlande": "FI", "finnland": "FI",
    "finlandia": "FI", "greece": "GR", "grecia": "GR", "grece": "GR", "griechenland": "GR", "czechia": "CZ",
    "czech republic": "CZ", "hungary": "HU", "romania": "RO", "monaco": "MC", "andorra": "AD", "malta": "MT",
    "cyprus": "CY", "iceland": "IS", "croatia": "HR", "slovenia": "SI", "slovakia": "SK", "turkey": "TR",
    "israel": "IL", "china": "CN", "hong kong": "HK", "south korea": "KR", "argentina": "AR", "chile": "CL",
    "colombia": "CO", "peru": "PE", "uruguay": "UY", "australie": "AU", "australien": "AU",
    "kanada": "CA", "messico": "MX", "mexique": "MX", "mexiko": "MX",
}


@lru_cache(maxsize=65536)
def country_code(raw: str) -> str:
    """ISO 3166 alpha-2 code for a country name or code, or "" when unknown."""
    text = fold(raw)
    if not text:
        return ""
    if len(text) == 2 and text.isalpha():
        return "GB" if text == "uk" else text.upper()
    return COUNTRY_NAMES.get(text, "")


@lru_cache(maxsize=1024)
def normalise_country(raw: str) -> Normalised:
    """A country as its ISO code when known (the key), else as written."""
    code = country_code(raw)
    return Normalised(code or clean_text(raw), code or None)


_SCIENTIFIC_ID = re.compile(r"^(\d)(?:[.,](\d+))?[eE]\+?(\d+)$")
# What tools write where a row has no id of theirs: WooCommerce gives every guest order customer id 0, others
# -1, "guest", "null" or "#N/A". As an id it would make all those buyers one customer.
_NO_ID = re.compile(r"^(?:0+(?:[.,]0+)?|-1|-|—|guest|null|none|nil|n/?a|#n/?a|undefined|nan)$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def normalise_id(raw: str) -> Normalised:
    """A tool's id. A long numeric id that a spreadsheet turned into scientific notation (``7.39105E+12``,
    or ``1.234567890123457e+17`` from a number cell) has lost digits: it would make different customers one
    record, so it is no id at all and the row is keyed by its email or details instead. Expanded where the
    notation kept every digit. A placeholder (``0`` for a guest, ``null``) is no id either."""
    text = clean_text(raw)
    if _NO_ID.match(text):
        return EMPTY
    match = _SCIENTIFIC_ID.match(text)
    if match:
        digits, exponent = match.group(1) + (match.group(2) or ""), int(match.group(3))
        if len(digits) - 1 == exponent:
            return Normalised(digits, digits, REPAIRED, "spreadsheet scientific notation expanded")
        if len(digits) - 1 < exponent:
            return Normalised(None, None, INVALID, "a spreadsheet's scientific notation lost digits of the id; "
                                                   "the row is keyed by its email or details instead")
    return normalise_text(raw, keyed=True)


# What CRMs and order forms put in the company field of a private customer: Salesforce's "Smith Household"
# accounts, "Individual", "Self-employed". Shared by every such customer, it would back namesakes as a company.
_NO_COMPANY = frozenset(("individual", "individuals", "household", "private", "privat", "privatperson",
                         "privatkunde", "particulier", "particular", "self", "self employed", "freelance",
                         "freelancer", "none", "n a", "na", "unknown", "customer", "consumer", "personal", "home"))
_HOUSEHOLD = re.compile(r"^(?:the )?[\w' -]+ (?:household|family|familie|famille)$")


@lru_cache(maxsize=65536)
def normalise_company(raw: str) -> Normalised:
    """A company's name, or nothing for what a private customer's company field holds (see ``_NO_COMPANY``)."""
    result = normalise_text(raw)
    folded = fold(result.value or "")
    if folded in _NO_COMPANY or _HOUSEHOLD.match(folded):
        return EMPTY
    return result


@lru_cache(maxsize=65536)
def normalise_text(raw: str, keyed: bool = False) -> Normalised:
    """Any other text, trimmed; ``keyed`` (a tool's id) also gets a lower-cased key."""
    text = clean_text(raw)
    return Normalised(text, text.lower() if keyed else None) if text else EMPTY


# ---------------------------------------------------------------------------- money and numbers

_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "kr": "SEK", "chf": "CHF"}
_CURRENCY_CODE = re.compile(r"\b([A-Z]{3})\b")


@lru_cache(maxsize=65536)
def normalise_money(raw: str, decimal_comma: bool = False) -> Normalised:
    """Exact decimal amount (as text) with the currency when the cell names one."""
    text = clean_text(raw)
    if not text:
        return EMPTY
    code = _CURRENCY_CODE.search(text.upper())
    currency = code.group(1) if code else ""
    for symbol, iso in _CURRENCY_SYMBOLS.items():
        if symbol in text.lower():
            currency = currency or iso
    negative = text.startswith("(") and text.endswith(")") or "-" in text
    digits = re.sub(r"[^\d.,]", "", text)
    if not digits or not any(ch.isdigit() for ch in digits):
        return Normalised(None, None, INVALID, "not an amount")
    digits = _decimal_point(digits, decimal_comma)
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        return Normalised(None, None, INVALID, "not an amount")
    if negative:
        amount = -amount
    return Normalised(str(amount), None, OK, "", {"currency": currency} if currency else {})


_ONE_THOUSANDS_DOT = re.compile(r"[1-9]\d{0,2}\.\d{3}")


def _decimal_point(digits: str, decimal_comma: bool) -> str:
    if "," in digits and "." in digits:
        if digits.rfind(",") > digits.rfind("."):
            return digits.replace(".", "").replace(",", ".")
        return digits.replace(",", "")
    if "," in digits:
        whole, _, tail = digits.rpartition(",")
        if decimal_comma or (len(tail) != 3 and digits.count(",") == 1):
            return whole.replace(",", "") + "." + tail
        return digits.replace(",", "")
    if digits.count(".") > 1 or (decimal_comma and _ONE_THOUSANDS_DOT.fullmatch(digits)):
        return digits.replace(".", "")   # thousands separators: "1.234.567", or "1.500" where "," is the decimal
    return digits


@lru_cache(maxsize=65536)
def normalise_number(raw: str) -> Normalised:
    text = clean_text(raw).replace(",", ".")
    if not text:
        return EMPTY
    try:
        value = Decimal(text)
    except InvalidOperation:
        return Normalised(None, None, INVALID, "not a number")
    return Normalised(str(value.normalize()) if value == value.to_integral() else str(value))


# ---------------------------------------------------------------------------- consent

DEFAULT_CONSENT_VALUES = {
    "yes": "granted", "y": "granted", "true": "granted", "1": "granted", "subscribed": "granted",
    "opted in": "granted", "opt in": "granted", "opt-in": "granted", "granted": "granted", "confirmed": "granted",
    "ja": "granted", "oui": "granted", "si": "granted",
    "no": "denied", "n": "denied", "false": "denied", "0": "denied", "not subscribed": "denied",
    "never subscribed": "denied", "never_subscribed": "denied", "denied": "denied", "nein": "denied", "non": "denied",
    "unsubscribed": "withdrawn", "opted out": "withdrawn", "opt out": "withdrawn", "withdrawn": "withdrawn",
    "cleaned": "unknown", "bounced": "unknown", "undeliverable": "unknown", "pending": "unknown",
    "unknown": "unknown", "": "unknown",
}
CONSENT_STATUSES = ("granted", "denied", "withdrawn", "unknown")


@lru_cache(maxsize=4096)
def normalise_consent(raw: str, vocabulary: tuple[tuple[str, str], ...] = ()) -> Normalised:
    """A consent answer as a status, the tool's own vocabulary (answer, status pairs) first; remembered: the
    answers of a file are a handful of words repeated on every row."""
    text = clean_text(raw)
    if not text:
        return EMPTY
    key = " ".join(text.lower().replace("_", " ").split())
    for table in (dict(vocabulary), DEFAULT_CONSENT_VALUES):
        lowered = {k.lower().replace("_", " "): v for k, v in table.items()}
        if key in lowered:
            status = lowered[key]
            if status not in CONSENT_STATUSES:
                return Normalised("unknown", None, OK, "", {"tool_status": key})
            return Normalised(status, None, OK, "", {"tool_status": key})
    return Normalised(None, None, INVALID, "not a consent value")
