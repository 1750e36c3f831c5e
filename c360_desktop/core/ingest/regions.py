"""Which country a file's phone numbers without a country code belong to.

The default region (Settings, or ``--region``) is the shop's country. A file of
customers abroad — a French sign-up sheet, Mailchimp's Irish subscribers —
writes their numbers in their own national format (``06 12 34 56 78``), which
read as the shop's country are either rejected or, worse, become another real
number (``070-4553112`` as ``+1 070…``; Germany's and Italy's numbering plans
accept most national numbers). So the file's numbers are tried against the
countries the file itself points to (its country column, its email domains, the
language of its header), and the file is read as the one of them its numbers fit
best, when that one is clear. The choice and its grounds are reported; the
owner can set the region for a file instead. A row's own country (its address)
always wins over the file's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from .normalise import COUNTRY_NAMES, clean_text, country_code, fold

SAMPLE_NUMBERS = 500
MIN_NUMBERS = 3
DEFAULT_FITS = 0.5   # below this share of valid numbers the default region is said not to fit the file
STRONG_HINT = 0.5    # a file points to a country: half its country cells or emails, or its header's language
OTHER_FITS = 0.5     # a country the file points to is chosen when this share of its numbers is valid there …
LANGUAGE_HINT = 1.0  # how strongly a header in a country's language points to it
MARGIN = 0.1         # … and this much more than in any other country it points to less strongly
# Country-code domains that are used as generic ones (.io, .co, .me, .tv …): they say nothing of the country.
_GENERIC_CCTLDS = {"io", "co", "me", "tv", "ai", "fm", "ly", "gg", "cc", "ws", "to", "la", "nu", "am", "eu", "so",
                   "sh", "ac", "app", "dev", "gl", "vc"}
_GERMAN, _FRENCH, _ITALIAN = ("DE", "AT", "CH", "LI"), ("FR", "BE", "CH", "LU"), ("IT", "CH", "SM")
_SPANISH, _DUTCH, _PORTUGUESE = ("ES", "MX", "AR", "CO", "CL", "PE"), ("NL", "BE"), ("PT", "BR")
_NORDIC = ("SE", "DK", "NO")
# Header words of one language, with every country that writes it: a language is no country (German headers are
# also Austria's and Switzerland's), so the numbers decide between them.
_HEADER_WORDS = {
    **dict.fromkeys(("vorname", "nachname", "handy", "handynummer", "plz", "strasse", "geburtsdatum", "wohnort"),
                    _GERMAN),
    "telefonnummer": _GERMAN + _NORDIC + ("NL",), "ort": _GERMAN + ("SE",),
    **dict.fromkeys(("prenom", "courriel", "portable", "ville", "telephone portable", "date de naissance"), _FRENCH),
    **dict.fromkeys(("cognome", "cellulare", "citta", "indirizzo", "data di nascita"), _ITALIAN),
    **dict.fromkeys(("apellidos", "apellido", "correo electronico", "ciudad", "movil", "fecha de nacimiento"),
                    _SPANISH),
    "codigo postal": _SPANISH + _PORTUGUESE,
    **dict.fromkeys(("voornaam", "achternaam", "woonplaats", "telefoonnummer", "tussenvoegsel", "geboortedatum"),
                    _DUTCH),
    **dict.fromkeys(("apelido", "telemovel", "localidade"), _PORTUGUESE),
    **dict.fromkeys(("fornamn", "efternamn"), ("SE", "FI")), "efternavn": ("DK",), "etternavn": ("NO",),
    **dict.fromkeys(("fornavn", "postnummer", "mobilnummer"), _NORDIC),
    **dict.fromkeys(("imie", "nazwisko", "kod pocztowy", "miejscowosc"), ("PL",)),
    **dict.fromkeys(("poststed", "postnr"), ("NO", "DK")), "postort": ("SE",),
    **dict.fromkeys(("etunimi", "sukunimi", "puhelin", "postinumero", "postitoimipaikka", "sahkoposti"), ("FI",)),
}
_WITH_COUNTRY_CODE = re.compile(r"^\s*(\+|00)")
_LABEL = re.compile(r"^[^\d+(]*")


@dataclass(frozen=True)
class PhoneRegion:
    """The file's region for numbers without a country code, and why."""

    region: str
    grounds: str        # "chosen", "default", "data" (the numbers fit another country), "unfit", "none"
    default: str
    numbers: int = 0    # sampled numbers written without a country code
    valid: int = 0      # of them valid in ``region``
    valid_in_default: int = 0

    def describe(self) -> str:
        name, default = region_name(self.region), region_name(self.default)
        lead = f"phone numbers without a country code are read as {name}"
        if self.grounds == "chosen":
            return f"{lead}: as chosen for this file"
        if self.grounds == "data":
            return (f"{lead}: {self.valid} of {self.numbers} in this file are valid there, {self.valid_in_default} in"
                    f" {default}, the default region")
        if self.grounds == "unfit":
            return (f"{lead}, the default region, but only {self.valid_in_default} of {self.numbers} in this file are"
                    " valid there, and nothing in the file says which other country they are from (several?). If"
                    " they are one country's, choose it for this file")
        if self.grounds == "default":
            return f"{lead}, the default region: {self.valid} of {self.numbers} in this file are valid there"
        return f"{lead}, the default region"


def region_name(code: str) -> str:
    """``Germany (DE)``; the code alone when the country has no name here."""
    names = [name for name, value in COUNTRY_NAMES.items() if value == code and len(name) > 3]
    return f"{names[0].title()} ({code})" if names else code


def is_phone_region(code: str) -> bool:
    """Whether phone numbers can be read for this two-letter country code."""
    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def chosen_region(region: str, default: str) -> PhoneRegion:
    return PhoneRegion(region.upper(), "chosen", default.upper())


def decide_region(phones, countries, emails, headers, default: str) -> PhoneRegion:
    """The region for a file from its phone cells, country cells, email cells and header (all samples).

    National numbers with a trunk ``0`` are valid in many numbering plans at once (Germany's and Italy's
    accept most), so a fit proves nothing by itself: only a country the file points to (STRONG_HINT) is
    tried, and it is chosen when it fits the numbers clearly better than every other country the file
    points to, and at least as well as the default (a French sheet in a German shop fits both)."""
    default = (default or "US").upper()
    national = _national_numbers(phones)
    if len(national) < MIN_NUMBERS:
        return PhoneRegion(default, "none", default, len(national))
    hints, spoken = _hinted_regions(countries, emails, headers)
    pointed = [region for region, strength in hints.items() if strength >= STRONG_HINT]
    fits = {region: _valid_count(national, region) for region in dict.fromkeys([default, *pointed])}
    total, in_default = len(national), fits[default]
    ranked = sorted(pointed, key=lambda region: (-fits[region], -hints[region]))
    best = ranked[0] if ranked else default
    # Clearly the best of the countries the file points to: more numbers fit, or as many and it is pointed to
    # more strongly (German headers and a country column saying Deutschland: Germany, not Austria).
    clear = fits[best] >= OTHER_FITS * total and all(
        fits[best] - fits[rival] >= MARGIN * total or hints[best] > hints[rival] for rival in ranked[1:])
    # Fitting only as well as the default is enough for the language the file is written in.
    as_well = fits[best] > in_default or (best in spoken and default not in spoken and fits[best] == in_default)
    if best != default and clear and as_well:
        return PhoneRegion(best, "data", default, total, fits[best], in_default)
    grounds = "default" if in_default >= DEFAULT_FITS * total else "unfit"
    return PhoneRegion(default, grounds, default, total, in_default, in_default)


def _national_numbers(phones) -> list[str]:
    """Up to SAMPLE_NUMBERS distinct cells that hold a number without a country code."""
    found: dict[str, None] = {}
    for cell in phones:
        text = _LABEL.sub("", clean_text(cell))
        digits = sum(ch.isdigit() for ch in text)
        if 6 <= digits <= 15 and not _WITH_COUNTRY_CODE.match(text) and "e+" not in text.lower():
            found[text] = None
            if len(found) >= SAMPLE_NUMBERS:
                break
    return list(found)


def _hinted_regions(countries, emails, headers) -> tuple[dict[str, float], set[str]]:
    """Countries the file points to, each with how strongly: the share of its country cells, plus the share of its
    emails at the country's domain, plus LANGUAGE_HINT when the country writes its header's language; and the
    countries of that language."""
    hints: dict[str, float] = {}
    for cells, country_of in ((countries, country_code), (emails, email_country)):
        cells = list(cells)
        for region, count in Counter(filter(None, map(country_of, cells))).items():
            hints[region] = hints.get(region, 0.0) + count / len(cells)
    spoken = {region for header in headers for region in _HEADER_WORDS.get(fold(header), ())}
    for region in spoken:
        hints[region] = hints.get(region, 0.0) + LANGUAGE_HINT
    return hints, spoken


def email_country(email: str) -> str:
    """The country of an email's domain (``marie@orange.fr`` -> FR), or "" for .com, .io and the like."""
    domain = email.strip().rsplit("@", 1)[-1] if "@" in email else ""
    tld = domain.rsplit(".", 1)[-1].lower() if "." in domain else ""
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return ""
    return "GB" if tld == "uk" else tld.upper()


def _valid_count(numbers: list[str], region: str) -> int:
    return sum(1 for text in numbers if is_valid_in(text, region))


@lru_cache(maxsize=65536)
def is_valid_in(text: str, region: str) -> bool:
    """Whether a number written without its country code is a valid number of ``region``."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, region))
    except phonenumbers.NumberParseException:
        return False


@lru_cache(maxsize=65536)
def row_phone_region(cell: str, region: str, email_region: str, default: str) -> str:
    """Where one row's number without a country code belongs, when the row has no country of its own: the
    file's region, unless
    - the row's email points to another country (``marie@orange.fr``) where the number is valid while it is
      not in the file's region;
    - the file was read as another country than the default, and the number is written without that
      country's trunk prefix but is valid in the default: a Spanish mobile ``638 60 42 48`` in a French
      sheet of a Spanish shop, which a French number would write as ``06 …``."""
    text = _LABEL.sub("", clean_text(cell))
    if _WITH_COUNTRY_CODE.match(text):
        return region
    if email_region and email_region != region and not is_valid_in(text, region) and is_valid_in(text, email_region):
        return email_region
    if default != region and _without_trunk_prefix(text, region) and is_valid_in(text, default):
        return default
    return region


def _without_trunk_prefix(text: str, region: str) -> bool:
    """Written without the region's trunk prefix, and not as its international number whose ``+`` a
    spreadsheet lost (``33612345678`` in a French file is French)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    prefix = _trunk_prefix(region)
    calling_code = str(phonenumbers.country_code_for_region(region))
    return bool(prefix) and not digits.startswith(prefix) and not digits.startswith(calling_code)


@lru_cache(maxsize=512)
def _trunk_prefix(region: str) -> str:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return (metadata.national_prefix or "") if metadata else ""


REGION_SETTING = "default_region"
FALLBACK_REGION = "US"


def shop_region(vault) -> str:
    """The shop's country, where numbers written without a country code are read and looked up: the one
    chosen in Settings; until one is, the one most of the vault's imports (not undone) were read with
    (``c360 import --region GB`` each time), so that ``07500 201019`` finds the customer those imports stored
    as +44…; else the US."""
    chosen = vault.setting(REGION_SETTING)
    if isinstance(chosen, str) and is_phone_region(chosen):
        return chosen.upper()
    used = vault.conn.execute(
        "SELECT upper(coalesce(json_extract(options, '$.default_region'), json_extract(options, '$.region')))"
        " AS region, count(*) AS imports FROM imports WHERE status = 'done' AND json_valid(options)"
        " AND json_type(options) = 'object' GROUP BY region ORDER BY imports DESC, region")
    return next((region for region, _count in used if isinstance(region, str) and is_phone_region(region)),
                FALLBACK_REGION)
