"""A small business's synthetic world, written as its tools' exports, with the ground truth.

``generate_world(folder, people, seed=42)`` writes, in each tool's real column layout (headers as the
presets under ``resources/presets/`` know them, so ``c360 import`` detects every file with no hints):

    shopify_customers.csv, shopify_orders.csv (one row per line item), mailchimp_subscribed.csv,
    mailchimp_unsubscribed.csv, stripe_customers.csv, stripe_payments.csv (payments reference cus_ ids),
    zendesk_tickets.csv, square_customers.csv, klaviyo_profiles.csv,
    hubspot_contacts.xlsx (hubspot_contacts.csv above XLSX_MAX_PEOPLE people: xlsx is too slow to write),
    ground_truth.csv    file,row,person_id,linkable,link_group for EVERY data row of every file
                        (row = 1-based data row after the header; order files: every line row),
    world.json          the WorldSummary.

People have Zipf-skewed names (common and rare surnames, accents), birth dates, addresses, phones and
emails. Each appearance of a person in a tool is corrupted on its own: one-edit typos, nicknames,
swapped first/last, missing fields, case and whitespace noise, alternative (work, second, Gmail dot/plus)
emails, email typos, an old address, Excel-damaged phones and zips. Hard negatives: households (shared
last name, address, landline, sometimes a family mailbox), twins (same last name, address and birth date),
namesakes (same full name, some in the same city) and shared office mailboxes used by several staff.

``linkable``: evidence links rows of one person when they share an email (canonical: lower-case,
plus-tag and Gmail dots removed), a phone number that survived formatting, the same name (nicknames and
accents aside, no typo) with the same postal code or city, a Stripe customer id, a Zendesk requester,
or one Shopify order. ``link_group`` names the connected component of that evidence within the person:
pairs inside one link group are the pairs evidence can connect; a row alone in its group has linkable=0.

Everything is drawn from one ``random.Random(seed)``: the same arguments write the same bytes. Rows are
streamed to disk person by person (through a small shuffle buffer per file so that households and
namesakes do not sit on adjacent rows); memory stays bounded.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import sys
import time
import unicodedata
from bisect import bisect
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from . import names as N

XLSX_MAX_PEOPLE = 100_000
ROWS_PER_PERSON = 3.85  # measured mean data rows per person (all files, 250k people), see people_for_records()
SHUFFLE_BUFFER = 256

# ----------------------------------------------------------------------------- real export layouts

SHOPIFY_CUSTOMERS_H = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company",
    "Default Address Address1", "Default Address Address2", "Default Address City", "Default Address Province Code",
    "Default Address Country Code", "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]
SHOPIFY_ORDERS_H = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku",
    "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip", "Billing Province",
    "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street", "Shipping Address1", "Shipping Address2",
    "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone",
    "Notes", "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
    "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level", "Source",
    "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value",
    "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties",
    "Billing Province Name", "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At",
    "Payment References",
]
_MC_HEAD = ["Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday", "MEMBER_RATING",
            "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF",
            "TIMEZONE", "CC", "REGION"]
MAILCHIMP_SUBSCRIBED_H = _MC_HEAD + ["LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS"]
MAILCHIMP_UNSUBSCRIBED_H = _MC_HEAD + ["UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON",
                                       "UNSUB_REASON_OTHER", "LEID", "EUID", "NOTES", "TAGS"]
STRIPE_CUSTOMERS_H = ["id", "Description", "Email", "Name", "Created (UTC)", "Delinquent", "Plan", "Status",
                      "Total Spend", "Payment Count", "Refunded Volume", "Dispute Losses", "tag (metadata)"]
STRIPE_PAYMENTS_H = [
    "id", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Captured", "Converted Amount",
    "Converted Amount Refunded", "Converted Currency", "Decline Reason", "Description", "Fee", "Is Link", "Mode",
    "Payment Source Type", "Refunded date (UTC)", "Statement Descriptor", "Status", "Seller Message", "Taxes On Fee",
    "Card ID", "Customer ID", "Customer Description", "Customer Email", "Invoice ID", "Transfer", "PaymentIntent ID",
]
ZENDESK_TICKETS_H = [
    "Summation column", "Id", "Requester", "Requester id", "Requester external id", "Requester email",
    "Requester domain", "Submitter", "Assignee", "Group", "Subject", "Tags", "Status", "Priority", "Via",
    "Ticket type", "Created at", "Updated at", "Assigned at", "Organization", "Due date", "Initially assigned at",
    "Solved at", "Resolution time", "Satisfaction Score", "Group stations", "Assignee stations", "Reopens", "Replies",
    "First reply time in minutes", "First reply time in minutes within business hours",
    "First resolution time in minutes", "First resolution time in minutes within business hours",
    "Full resolution time in minutes", "Full resolution time in minutes within business hours",
    "Agent wait time in minutes", "Agent wait time in minutes within business hours",
    "Requester wait time in minutes", "Requester wait time in minutes within business hours",
    "On hold time in minutes", "On hold time in minutes within business hours",
]
SQUARE_CUSTOMERS_H = [
    "Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname", "Company Name",
    "Street Address 1", "Street Address 2", "City", "State", "Postal Code", "Birthday", "Memo", "Square Customer ID",
    "Creation Source", "First Visit", "Last Visit", "Transaction Count", "Lifetime Spend", "Email Subscription Status",
    "Instant Profile", "Blocked from online booking",
]
KLAVIYO_PROFILES_H = [
    "Email", "Klaviyo ID", "First Name", "Last Name", "Organization", "Title", "Phone Number", "Address", "Address 2",
    "City", "State / Region", "Country", "Zip Code", "Latitude", "Longitude", "Source", "IP Address",
    "Email Marketing Consent", "Email Marketing Consent Timestamp", "Historic Customer Lifetime Value",
    "Total Customer Lifetime Value", "Predicted Customer Lifetime Value", "Average Order Value",
    "Historic Number Of Orders", "First Active", "Last Active", "Profile Created On", "Date Added", "Last Open",
    "Last Click", "Average Days Between Orders", "Email Suppressions",
]
HUBSPOT_CONTACTS_H = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Job Title", "City",
    "State/Region", "Postal Code", "Contact owner", "Lifecycle Stage", "Lead Status", "Marketing contact status",
    "Unsubscribed from all email", "Create Date", "Last Activity Date", "Associated Company",
    "Primary Associated Company ID",
]


@dataclass(frozen=True)
class FileSpec:
    name: str          # file name (the base name c360 reports)
    preset: str        # the preset c360 must detect
    header: list
    email_column: str  # for the naive "same lower-cased email" baseline
    kind: str          # "customer" (a customer/contact record) or "event" (order line, payment, ticket)


def file_specs(xlsx: bool) -> list[FileSpec]:
    return [
        FileSpec("shopify_customers.csv", "shopify_customers", SHOPIFY_CUSTOMERS_H, "Email", "customer"),
        FileSpec("shopify_orders.csv", "shopify_orders", SHOPIFY_ORDERS_H, "Email", "event"),
        FileSpec("mailchimp_subscribed.csv", "mailchimp_subscribed", MAILCHIMP_SUBSCRIBED_H, "Email Address", "customer"),
        FileSpec("mailchimp_unsubscribed.csv", "mailchimp_unsubscribed", MAILCHIMP_UNSUBSCRIBED_H, "Email Address",
                 "customer"),
        FileSpec("stripe_customers.csv", "stripe_customers", STRIPE_CUSTOMERS_H, "Email", "customer"),
        FileSpec("stripe_payments.csv", "stripe_payments", STRIPE_PAYMENTS_H, "Customer Email", "event"),
        FileSpec("zendesk_tickets.csv", "zendesk_tickets", ZENDESK_TICKETS_H, "Requester email", "event"),
        FileSpec("square_customers.csv", "square_customers", SQUARE_CUSTOMERS_H, "Email Address", "customer"),
        FileSpec("klaviyo_profiles.csv", "klaviyo_profiles", KLAVIYO_PROFILES_H, "Email", "customer"),
        FileSpec("hubspot_contacts.xlsx" if xlsx else "hubspot_contacts.csv", "hubspot_contacts", HUBSPOT_CONTACTS_H,
                 "Email", "customer"),
    ]


SHOPIFY_C, SHOPIFY_O, MC_SUB, MC_UNSUB, STRIPE_C, STRIPE_P, ZENDESK, SQUARE, KLAVIYO, HUBSPOT = range(10)
TOOLS = ("shopify", "mailchimp", "klaviyo", "stripe", "square", "zendesk", "hubspot")
TOOL_WEIGHTS = (0.55, 0.45, 0.30, 0.28, 0.28, 0.22, 0.18)
TOOLS_PER_PERSON = (0.38, 0.26, 0.16, 0.10, 0.06, 0.04)  # P(1 tool) ... P(6 tools)


@dataclass
class WorldSummary:
    folder: str
    people: int
    seed: int
    files: dict = field(default_factory=dict)          # file name -> data rows
    presets: dict = field(default_factory=dict)        # file name -> preset c360 must detect
    email_columns: dict = field(default_factory=dict)  # file name -> column of the baseline's email
    records: int = 0              # every data row of every file
    customer_records: int = 0     # rows of customer/contact files
    event_records: int = 0        # order lines, payments, tickets
    households: int = 0
    household_people: int = 0
    twin_pairs: int = 0
    namesakes: int = 0
    shared_mailbox_rows: int = 0
    unlinkable_rows: int = 0
    true_pairs: int = 0
    linkable_pairs: int = 0
    hubspot_format: str = "xlsx"
    seconds: float = 0.0

    @property
    def data_files(self) -> list[Path]:
        return [Path(self.folder) / name for name in self.files]

    @property
    def ground_truth(self) -> Path:
        return Path(self.folder) / "ground_truth.csv"


def people_for_records(records: int) -> int:
    """How many people make a world of about ``records`` data rows in all."""
    return max(10, round(records / ROWS_PER_PERSON))


# ----------------------------------------------------------------------------- small helpers

class Weighted:
    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


def zipf(items, s: float) -> Weighted:
    return Weighted(items, [1.0 / (rank + 1) ** s for rank in range(len(items))])


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case, accents and punctuation removed: the name part of an evidence key."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("'", "").split())


@lru_cache(maxsize=200_000)
def slug(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def email_key(email: str) -> str | None:
    """Canonical email for evidence: trimmed, lower-case, plus-tag removed, Gmail dots ignored."""
    email = email.strip().lower()
    if "@" not in email:
        return None
    local, _, domain = email.partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return local.replace(".", "") + "@gmail.com"
    return local + "@" + domain


def postal_key(postal: str) -> str:
    return postal.replace(" ", "").upper().lstrip("0")


LETTERS = "abcdefghijklmnopqrstuvwxyz"
UK_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
EPOCH = dt.datetime(2021, 1, 1)


def typo(text: str, rng: random.Random) -> str:
    """One edit (delete, insert, substitute or transpose), never on the first letter."""
    if len(text) < 3:
        return text + rng.choice(LETTERS)
    for _ in range(4):
        i = rng.randrange(1, len(text))
        op = rng.random()
        if op < 0.3:
            out = text[:i] + text[i + 1:]
        elif op < 0.55:
            out = text[:i] + rng.choice(LETTERS) + text[i:]
        elif op < 0.8:
            out = text[:i] + rng.choice(LETTERS) + text[i + 1:]
        else:
            out = text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
        if out != text and out.strip():
            return out
    return text + rng.choice(LETTERS)


def when(rng: random.Random, start_days: int = 0, span_days: int = 1400) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=rng.randrange((start_days) * 86400, (start_days + span_days) * 86400))


def money(x: float) -> str:
    return f"{x:.2f}"


# ----------------------------------------------------------------------------- people

class Address:
    __slots__ = ("street", "street2", "city", "region", "region_name", "postal", "cc", "country", "city_index")

    def __init__(self, street, street2, city_index, postal):
        c = N.CITIES[city_index]
        self.street, self.street2, self.city_index, self.postal = street, street2, city_index, postal
        self.city, self.region, self.region_name, self.cc, self.country = c[0], c[1], c[2], c[3], c[4]


class Phone:
    __slots__ = ("cc", "national")

    def __init__(self, cc: str, national: str):
        self.cc, self.national = cc, national

    @property
    def e164(self) -> str:
        return "+" + self.cc + self.national


class Company:
    __slots__ = ("name", "domain", "shared_box")

    def __init__(self, name, domain, shared_box):
        self.name, self.domain, self.shared_box = name, domain, shared_box


class Person:
    __slots__ = ("pid", "first", "last", "female", "birth", "email", "email2", "work_email", "home_email",
                 "company", "title", "mobile", "landline", "addr", "old_addr")


class View:
    """One appearance of a person in one tool: the values as that tool holds them, and their evidence."""
    __slots__ = ("first", "last", "name_key", "email", "email_key", "phone", "phone_key", "phone2", "phone2_key",
                 "addr", "street", "birth", "company", "shared_box")


# ----------------------------------------------------------------------------- the generator

class _World:
    def __init__(self, folder: Path, people: int, seed: int):
        self.folder = folder
        self.people_target = people
        self.rng = random.Random(seed)
        self.shuffle_rng = random.Random(seed * 7919 + 1)
        self.xlsx = people <= XLSX_MAX_PEOPLE
        self.specs = file_specs(self.xlsx)
        self.summary = WorldSummary(folder=str(folder), people=0, seed=seed,
                                    hubspot_format="xlsx" if self.xlsx else "csv")
        self.male = zipf(N.MALE, 0.9)
        self.female = zipf(N.FEMALE, 0.9)
        self.surname = zipf(N.SURNAMES_COMMON, 0.75)
        self.city = Weighted(range(len(N.CITIES)), [c[7] for c in N.CITIES])
        self.free_mail = Weighted([d for d, _ in N.FREE_MAIL], [w for _, w in N.FREE_MAIL])
        self.tool_count = Weighted(range(1, 7), TOOLS_PER_PERSON)
        self.used: set[bytes] = set()
        self.companies: list[Company] = []
        self.big_companies: list[Company] = []
        self.recent: list[tuple] = []  # (first, last, female, city_index) reservoir for namesakes
        self.person_seq = 0
        self.ids = {"shopify": 7391048200000, "order": 1000, "order_id": 5520130000000, "zendesk_ticket": 48200,
                    "zendesk_user": 381200000000, "hubspot": 51203000000, "company_id": 18820000000}
        self.buffers: list[list] = [[] for _ in self.specs]
        self.rows_written = [0] * len(self.specs)

    # ------------------------------------------------------------------ uniqueness

    def _claim(self, value: str) -> bool:
        digest = hashlib.blake2b(value.encode(), digest_size=8).digest()
        if digest in self.used:
            return False
        self.used.add(digest)
        return True

    # ------------------------------------------------------------------ building people

    def _first_name(self, female: bool) -> str:
        return (self.female if female else self.male).pick(self.rng)

    def _surname(self) -> str:
        rng = self.rng
        if rng.random() < 0.55:
            return self.surname.pick(rng)
        name = rng.choice(N.RARE_A) + rng.choice(N.RARE_B)
        if rng.random() < 0.35:
            name += rng.choice(N.RARE_A).lower()
        name += rng.choice(N.RARE_C)
        if rng.random() < 0.03:
            name += "-" + self.surname.pick(rng)
        return name

    def _street(self, cc: str) -> str:
        rng = self.rng
        if cc == "DE":
            return f"{rng.choice(N.DE_STREETS)}{rng.choice(N.DE_SUFFIX)} {rng.randint(1, 120)}"
        if cc == "FR":
            return f"{rng.randint(1, 180)} {rng.choice(N.FR_STREETS)}"
        if cc == "ES":
            return f"{rng.choice(N.ES_STREETS)} {rng.randint(1, 150)}"
        if cc == "NL":
            return f"{rng.choice(N.NL_STREETS)} {rng.randint(1, 400)}"
        kind = rng.choice(N.STREET_TYPES)[0]
        return f"{rng.randint(1, 9899)} {rng.choice(N.STREET_NAMES)} {kind}"

    def _postal(self, style: str) -> str:
        rng = self.rng
        kind, _, spec = style.partition(":")
        options = spec.split(",")
        head = rng.choice(options)
        if kind == "us":
            return head + f"{rng.randint(1, 99):02d}"
        if kind == "ca":
            L = "ABCEGHJKLMNPRSTVXY"
            return f"{head}{rng.randint(1, 9)}{rng.choice(L)} {rng.randint(0, 9)}{rng.choice(L)}{rng.randint(0, 9)}"
        if kind == "gb":
            return f"{head} {rng.randint(1, 9)}{rng.choice(UK_LETTERS)}{rng.choice(UK_LETTERS)}"
        if kind == "de":
            return head + f"{rng.randint(0, 999):03d}"
        if kind in ("fr", "es"):
            return head + f"{rng.randint(1, 20):02d}"
        if kind == "nl":
            return head + f"{rng.randint(11, 99)} {rng.choice(UK_LETTERS)}{rng.choice(UK_LETTERS)}"
        if kind == "ie":
            return f"{head} {rng.choice(UK_LETTERS)}{rng.randint(100, 999)}"
        return head + f"{rng.randint(0, 99):02d}"  # au

    def _address(self, city_index: int | None = None) -> Address:
        rng = self.rng
        if city_index is None:
            city_index = self.city.pick(rng)
        c = N.CITIES[city_index]
        street2 = rng.choice(N.UNIT_FORMS).format(n=rng.randint(1, 30)) if rng.random() < 0.12 else ""
        return Address(self._street(c[3]), street2, city_index, self._postal(c[5]))

    def _number(self, cc: str, city_index: int, mobile: bool) -> Phone:
        rng = self.rng
        while True:
            if cc in ("US", "CA"):
                # a mobile keeps the area code of where it was bought: sometimes another city's
                other = self.city.pick(rng) if mobile and rng.random() < 0.3 else city_index
                area = rng.choice(N.CITIES[other if N.CITIES[other][3] in ("US", "CA") else city_index][6].split(","))
                exchange = rng.randint(200, 999)
                if exchange % 100 == 11:
                    exchange += 1
                phone = Phone("1", f"{area}{exchange}{rng.randint(0, 9999):04d}")
            else:
                area = rng.choice(N.CITIES[city_index][6].split(","))
                phone = Phone(*self._foreign_number(cc, area, mobile))
            if self._claim("tel:" + phone.e164):
                return phone

    def _foreign_number(self, cc: str, area: str, mobile: bool) -> tuple[str, str]:
        r = self.rng.randint
        if cc == "GB":
            return ("44", f"7{r(4, 9) if r(0, 1) else 7}{r(0, 99999999):08d}") if mobile else \
                ("44", f"{area}{r(3, 8)}{r(0, 10 ** (9 - len(area)) - 1):0{9 - len(area)}d}")
        if cc == "DE":
            return ("49", f"1{self.rng.choice(('51', '60', '70', '71', '72', '76'))}{r(0, 99999999):08d}") if mobile \
                else ("49", f"{area}{r(1000000, 9999999)}")
        if cc == "FR":
            return ("33", f"{self.rng.choice('67')}{r(0, 99999999):08d}") if mobile else ("33", f"{area}{r(0, 99999999):08d}")
        if cc == "ES":
            return ("34", f"6{r(0, 99999999):08d}") if mobile else ("34", f"{area}{r(0, 9999999):07d}")
        if cc == "NL":
            return ("31", f"6{r(10000000, 99999999)}") if mobile else ("31", f"{area}{r(1000000, 9999999)}")
        if cc == "IE":
            return ("353", f"8{r(3, 9)}{r(1000000, 9999999)}") if mobile else ("353", f"{area}{r(1000000, 9999999)}")
        return ("61", f"4{r(0, 99999999):08d}") if mobile else ("61", f"{area}{r(0, 99999999):08d}")  # AU

    def _local_part(self, first: str, last: str) -> str:
        rng = self.rng
        f, l = slug(first) or "x", slug(last) or "y"
        pattern = rng.random()
        if pattern < 0.25:
            local = f"{f}.{l}"
        elif pattern < 0.40:
            local = f"{f}{l}"
        elif pattern < 0.52:
            local = f"{f[0]}{l}"
        elif pattern < 0.58:
            local = f"{f}_{l}"
        elif pattern < 0.72:
            local = f"{f}.{l}{rng.randint(1, 99)}"
        elif pattern < 0.82:
            local = f"{f}{l}{rng.randint(50, 99)}"
        elif pattern < 0.88:
            local = f"{l}.{f}"
        elif pattern < 0.95:
            local = f"{f}{rng.randint(1, 9999)}"
        else:
            local = f"{f[0]}.{l}{rng.randint(1, 9)}"
        return local

    def _unique_email(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        while not self._claim(email_key(email)):
            email = f"{local}{self.rng.randint(1, 9999)}@{domain}"
        return email

    def _company(self) -> Company:
        rng = self.rng
        if self.companies and rng.random() < 0.55:
            # staff of an existing company; a few big employers have many people among the customers
            return rng.choice(self.big_companies) if rng.random() < 0.05 else rng.choice(self.companies)
        while True:
            word = rng.choice(N.COMPANY_WORDS) if rng.random() < 0.6 else self._surname()
            kind = rng.choice(N.COMPANY_KINDS)
            name = f"{word} {kind}{rng.choice(N.COMPANY_SUFFIX)}"
            domain = f"{slug(word)}{slug(kind)[:rng.randint(0, 8)]}{rng.choice(('.com', '.com', '.co', '.io', '.net', '.biz'))}"
            if self._claim("dom:" + domain):
                break
        box = f"{rng.choice(('office', 'info', 'hello', 'team', 'admin', 'orders'))}@{domain}" \
            if rng.random() < 0.3 else None
        company = Company(name, domain, box)
        self.companies.append(company)
        if len(self.big_companies) < 50:
            self.big_companies.append(company)
        if len(self.companies) > 4000:
            self.companies = self.companies[-2000:]
        return company

    def _person(self, first=None, last=None, female=None, addr=None, birth=None, landline=None, home_email=None,
                adult=True) -> Person:
        rng = self.rng
        self.person_seq += 1
        p = Person()
        p.pid = f"P{self.person_seq:07d}"
        p.female = rng.random() < 0.52 if female is None else female
        p.first = first or self._first_name(p.female)
        p.last = last or self._surname()
        if birth is None:
            year = rng.randint(1945, 1998) if adult else rng.randint(1999, 2007)
            birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        p.birth = birth
        p.addr = addr or self._address()
        p.old_addr = (self._address(p.addr.city_index if rng.random() < 0.6 else None)
                      if rng.random() < 0.2 else None)
        cc = p.addr.cc
        p.mobile = self._number(cc, p.addr.city_index, True) if rng.random() < 0.93 else None
        p.landline = landline if landline is not None else (
            self._number(cc, p.addr.city_index, False) if rng.random() < 0.15 else None)
        domain = self.free_mail.pick(rng)
        p.email = self._unique_email(self._local_part(p.first, p.last), domain)
        p.email2 = (self._unique_email(self._local_part(p.first, p.last), self.free_mail.pick(rng))
                    if rng.random() < 0.25 else None)
        p.company = self._company() if adult and rng.random() < 0.35 else None
        p.title = rng.choice(N.JOB_TITLES) if p.company else ""
        p.work_email = (self._unique_email(self._local_part(p.first, p.last), p.company.domain)
                        if p.company else None)
        p.home_email = home_email
        self.recent.append((p.first, p.last, p.female, p.addr.city_index))
        if len(self.recent) > 6000:
            del self.recent[:3000]
        return p

    def _unit(self) -> list[Person]:
        """A single customer, a household or twins."""
        rng = self.rng
        r = rng.random()
        s = self.summary
        if r < 0.90:
            if self.recent and rng.random() < 0.03:  # a namesake of someone already generated
                first, last, female, city_index = rng.choice(self.recent)
                s.namesakes += 1
                addr = self._address(city_index if rng.random() < 0.5 else None)
                return [self._person(first, last, female, addr)]
            return [self._person()]
        addr = self._address()
        last = self._surname()
        landline = self._number(addr.cc, addr.city_index, False) if rng.random() < 0.6 else None
        if r < 0.99:
            size = 2 if rng.random() < 0.55 else (3 if rng.random() < 0.65 else 4)
            shared = None
            if rng.random() < 0.25:
                local = rng.choice((f"the{slug(last)}s", f"{slug(last)}family", f"{slug(last)}home",
                                    f"the{slug(last)}family"))
                shared = self._unique_email(local, self.free_mail.pick(rng))
            members = []
            for i in range(size):
                own_last = last if rng.random() < 0.88 or i >= 2 else self._surname()
                members.append(self._person(last=own_last, addr=addr, landline=landline, home_email=shared,
                                            female=(i % 2 == 1) if i < 2 else None, adult=i < 2))
            s.households += 1
            s.household_people += size
            return members
        birth = dt.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        a = self._person(last=last, addr=addr, landline=landline, birth=birth)
        b = self._person(last=last, addr=addr, landline=landline, birth=birth)
        while b.first == a.first:
            b.first = self._first_name(b.female)
        s.twin_pairs += 1
        return [a, b]

    # ------------------------------------------------------------------ one appearance

    def _view(self, p: Person, tool: str, *, email_rate=0.97, phone_rate=0.5, addr_rate=0.6,
              unlinkable_rate=0.03) -> View:
        rng = self.rng
        v = View()
        v.birth = p.birth
        v.company = p.company.name if p.company else ""
        v.shared_box = False
        if rng.random() < unlinkable_rate:
            # only an unrelated work email and another form of the name: no evidence can connect it
            nick = N.NICKNAMES.get(p.first)
            v.first = rng.choice(nick) if nick and rng.random() < 0.6 else p.first[0] + "."
            v.last = typo(p.last, rng) if rng.random() < 0.5 else p.last
            v.name_key = None
            company = self._company()
            v.email = self._unique_email(self._local_part(v.first, p.last), company.domain)
            v.email_key = email_key(v.email)
            v.company = company.name
            v.phone = v.phone_key = v.phone2 = v.phone2_key = None
            v.addr = None
            v.street = ""
            return v
        # ---- name
        first, last, key_ok = p.first, p.last, True
        nicks = N.NICKNAMES.get(first)
        if nicks and rng.random() < 0.15:
            first = rng.choice(nicks)
        r = rng.random()
        if r < 0.045:
            if rng.random() < 0.5:
                first = typo(first, rng)
            else:
                last = typo(last, rng)
            key_ok = False
        if rng.random() < 0.25 and not (first.isascii() and last.isascii()):
            first, last = fold(first).title(), fold(last).title()  # accents dropped by the tool or the typist
        r = rng.random()
        if r < 0.03:
            first, last = last, first
        elif r < 0.05:
            first = ""
        r = rng.random()
        if r < 0.04:
            first, last = first.upper(), last.upper()
        elif r < 0.06:
            first, last = first.lower(), last.lower()
        elif r < 0.09:
            first = " " + first + " " if rng.random() < 0.5 else first
            last = last + "  " if rng.random() < 0.5 else last.replace(" ", "  ")
        v.first, v.last = first, last
        v.name_key = "|".join(sorted((fold(p.first), fold(p.last)))) if key_ok and first and last else None
        # ---- email
        email = ""
        if rng.random() < email_rate:
            r = rng.random()
            if p.company and p.company.shared_box and rng.random() < (0.3 if tool in ("zendesk", "hubspot") else 0.05):
                email = p.company.shared_box
                v.shared_box = True
            elif p.home_email and rng.random() < 0.25:
                email = p.home_email
            elif r < 0.80:
                email = p.email
            elif r < 0.89:
                email = p.email2 or p.email
            elif r < 0.95:
                email = p.work_email or p.email
            else:
                email = p.email
            local, _, domain = email.partition("@")
            r = rng.random()
            if domain in ("gmail.com", "googlemail.com") and r < 0.08:
                if rng.random() < 0.5 and len(local) > 3:
                    i = rng.randrange(1, len(local) - 1)
                    local = local.replace(".", "") if "." in local else local[:i] + "." + local[i:]
                else:
                    local = local + "+" + rng.choice(("shop", "news", "orders", "promo", "2024"))
                email = f"{local}@{domain}"
            elif r < 0.095:
                if domain in N.DOMAIN_TYPOS and rng.random() < 0.6:
                    email = f"{local}@{rng.choice(N.DOMAIN_TYPOS[domain])}"
                else:
                    email = f"{typo(local, rng)}@{domain}"
            r = rng.random()
            if r < 0.05:
                email = email[0].upper() + email[1:].replace("@" + domain[:1], "@" + domain[:1].upper())
            elif r < 0.07:
                email = email.upper()
            elif r < 0.09:
                email = email + " "
        v.email = email
        v.email_key = email_key(email) if email else None
        # ---- phones
        v.phone = v.phone_key = v.phone2 = v.phone2_key = None
        if rng.random() < phone_rate:
            number = p.mobile if p.mobile and (not p.landline or rng.random() < 0.8) else p.landline
            v.phone = number
        if p.landline and rng.random() < 0.5:
            v.phone2 = p.landline
        # ---- address
        if rng.random() < addr_rate:
            addr = p.old_addr if p.old_addr and rng.random() < 0.4 else p.addr
            street = addr.street
            r = rng.random()
            if r < 0.25:
                for full, short in N.STREET_TYPES:
                    if street.endswith(" " + full):
                        street = street[:-len(full)] + short
                        break
            elif r < 0.28:
                street = street.upper()
            elif r < 0.32:
                street = street.replace("straße", "str.") if "straße" in street else street + " "
            v.addr, v.street = addr, street
        else:
            v.addr, v.street = None, ""
        return v

    # ------------------------------------------------------------------ phone rendering

    def render_phone(self, phone: Phone | None, styles: tuple, excel_rate: float = 0.01) -> tuple[str, str | None]:
        """The phone as a tool shows it, and its evidence key (None when the digits did not survive)."""
        if phone is None:
            return "", None
        rng = self.rng
        nat = phone.national
        nanp = phone.cc == "1"
        if rng.random() < excel_rate:
            digits = nat if nanp and rng.random() < 0.7 else phone.cc + nat
            if rng.random() < 0.5:  # 4155550101.0: repairable, unless the + of a foreign number is gone
                return digits + ".0", phone.e164 if nanp else None
            mantissa = int(digits) / 10 ** (len(digits) - 1)
            return f"{mantissa:.5f}".rstrip("0").rstrip(".") + f"E+{len(digits) - 1:02d}", None
        style = rng.choice(styles)
        if nanp:
            a, b, c = nat[:3], nat[3:6], nat[6:]
            text = {"e164": phone.e164, "intl": f"+1 {a} {b} {c}", "paren": f"({a}) {b}-{c}", "dash": f"{a}-{b}-{c}",
                    "dots": f"{a}.{b}.{c}", "digits": nat, "one": f"1-{a}-{b}-{c}", "hub": f"+1 {a}-{b}-{c}",
                    "apos": "'" + phone.e164}.get(style, phone.e164)
        else:
            head, rest = nat[:3], nat[3:]
            text = {"e164": phone.e164, "apos": "'" + phone.e164, "hub": f"+{phone.cc} {head}-{rest}"}.get(
                style, f"+{phone.cc} {head} {rest}")
        return text, phone.e164

    # ------------------------------------------------------------------ tools

    def _evidence(self, v: View, phones=True, address=True) -> list[str]:
        keys = []
        if v.email_key:
            keys.append("e:" + v.email_key)
        if phones:
            if v.phone_key:
                keys.append("p:" + v.phone_key)
            if v.phone2_key:
                keys.append("p:" + v.phone2_key)
        if address and v.name_key and v.addr is not None:
            keys.append("n:" + v.name_key + "|" + postal_key(v.addr.postal))
            keys.append("c:" + v.name_key + "|" + fold(v.addr.city))
        return keys

    def shopify(self, p: Person, out: list) -> None:
        rng = self.rng
        v = self._view(p, "shopify", email_rate=0.96, phone_rate=0.55, addr_rate=0.75)
        text, v.phone_key = self.render_phone(v.phone, ("apos", "e164", "intl", "paren", "dash"))
        land, v.phone2_key = self.render_phone(v.phone2, ("apos", "e164"), 0.0)
        a = v.addr
        self.ids["shopify"] += rng.randint(1, 5000)
        cid = str(self.ids["shopify"])
        zip_ = ""
        if a:
            zip_ = ("'" + a.postal) if a.postal[:1] == "0" and rng.random() < 0.5 else a.postal
        orders = rng.choices((0, 1, 2, 3, 4, 5), (0.25, 0.40, 0.19, 0.09, 0.04, 0.03))[0]
        spent = 0.0
        note = ""
        if rng.random() < 0.01:
            note = "Prefers pickup, ring twice\nGate code " + str(rng.randint(1000, 9999))
        row = ["'" + cid if rng.random() < 0.5 else cid, v.first, v.last, v.email, rng.choice(("yes", "no")),
               v.company if a and rng.random() < 0.5 else "", v.street, a.street2 if a else "", a.city if a else "",
               a.region if a else "", a.cc if a else "", zip_, land, text, rng.choice(("yes", "no", "no")),
               "", str(orders), note, "no", rng.choice(("", "", "", "vip", "wholesale", "newsletter, vip"))]
        out.append((SHOPIFY_C, [(row, self._evidence(v))]))
        for _ in range(orders):
            spent += self._shopify_order(p, v, out)
        row[15] = money(spent)

    def _shopify_order(self, p: Person, account: View, out: list) -> float:
        rng = self.rng
        o = self._view(p, "shopify_order", email_rate=1.0, phone_rate=0.6, addr_rate=1.0, unlinkable_rate=0.0)
        if account.email and rng.random() < 0.88:
            o.email, o.email_key = account.email, account.email_key
        phone, o.phone_key = self.render_phone(o.phone, ("e164", "intl", "paren", "dash", "dots"))
        o.phone2 = None
        self.ids["order"] += 1
        self.ids["order_id"] += rng.randint(1, 90000)
        number = f"#{self.ids['order']}"
        lines = rng.choices((1, 2, 3), (0.7, 0.22, 0.08))[0]
        items = [(rng.choice(N.PRODUCTS), rng.choices((1, 2, 3), (0.8, 0.15, 0.05))[0]) for _ in range(lines)]
        sub = sum(price * q for (_, _, price), q in items)
        ship = 8.0 if sub < 100 else 0.0
        tax = round(sub * 0.0825, 2)
        total = sub + ship + tax
        created = when(rng)
        off = "-0800" if created.month < 3 or created.month > 10 else "-0700"

        def fmt(d):
            return d.strftime("%Y-%m-%d %H:%M:%S ") + off

        a = o.addr
        name = f"{o.first} {o.last}".strip()
        ship_name = name if rng.random() < 0.9 else f"{p.first} {p.last}"
        zip_ = ("'" + a.postal) if a.postal[:1] == "0" else a.postal
        rows = []
        width = len(SHOPIFY_ORDERS_H)
        for n, ((title, sku, price), q) in enumerate(items):
            row = [""] * width
            row[0], row[1] = number, o.email
            row[16:24] = [str(q), title, money(price), "", sku, "true", "true", "fulfilled"]
            row[50] = "Okafor Ceramics"
            row[59] = "0.00"
            keys = ["o:" + number]
            if o.email_key:
                keys.append("e:" + o.email_key)
            if n == 0:
                row[2:16] = ["paid", fmt(created + dt.timedelta(seconds=12)), "fulfilled",
                             fmt(created + dt.timedelta(hours=19)), rng.choice(("yes", "no")), "USD", money(sub),
                             money(ship), money(tax), money(total), "", "0.00", "Standard", fmt(created)]
                row[24:44] = [name, o.street, o.street, a.street2, o.company if rng.random() < 0.2 else "", a.city,
                              zip_, a.region, a.cc, phone, ship_name, o.street, o.street, a.street2, "", a.city, zip_,
                              a.region, a.cc, phone]
                if rng.random() < 0.01:
                    row[44] = "Gift wrap please\nNo invoice in the box"
                row[47:50] = ["Shopify Payments", f"c{rng.randint(10 ** 9, 10 ** 10 - 1)}.1", "0.00"]
                row[51] = "0.00"
                row[55] = str(self.ids["order_id"])
                row[57], row[58] = "Low", "web"
                row[60:62] = ["State Tax", money(tax)]
                row[70] = phone if rng.random() < 0.5 else ""
                row[73:76] = [a.region_name, a.region_name, f"c{rng.randint(10 ** 9, 10 ** 10 - 1)}.1"]
                keys += self._evidence(o, address=True)[1 if o.email_key else 0:]
            rows.append((row, keys))
        out.append((SHOPIFY_O, rows))
        return total

    def mailchimp(self, p: Person, out: list) -> None:
        rng = self.rng
        v = self._view(p, "mailchimp", email_rate=1.0, phone_rate=0.3, addr_rate=0.35)
        if not v.email:
            v.email, v.email_key = p.email, email_key(p.email)
        subscribed = rng.random() < 0.8
        text, v.phone_key = self.render_phone(v.phone, ("paren", "dots", "dash", "e164", "intl"))
        a = v.addr
        address = "  ".join(x for x in (v.street, a.city, a.region, a.postal, a.cc) if x) if a else ""
        first, last = (v.first, v.last) if rng.random() < 0.9 else ("", "")
        if not first:
            v.name_key = None
        opt = when(rng, 0, 900)
        geo = a or p.addr
        row = [v.email, first, last, address, text,
               p.birth.strftime("%m/%d") if rng.random() < 0.25 else "", str(rng.randint(1, 5)),
               opt.strftime("%Y-%m-%d %H:%M:%S"), f"198.51.100.{rng.randint(2, 250)}",
               (opt + dt.timedelta(seconds=rng.randint(30, 600))).strftime("%Y-%m-%d %H:%M:%S"),
               f"198.51.100.{rng.randint(2, 250)}", f"{rng.uniform(25, 55):.7f}", f"{rng.uniform(-120, 10):.7f}",
               "-5", "-4", "America/New_York", geo.cc, geo.region]
        if subscribed:
            row += [when(rng, 900, 500).strftime("%Y-%m-%d %H:%M:%S"), str(rng.randint(10 ** 8, 10 ** 9)),
                    "".join(rng.choices("0123456789abcdef", k=10)), "", rng.choice(('', '"Newsletter"', '"VIP"'))]
            out.append((MC_SUB, [(row, self._evidence(v))]))
        else:
            reason = rng.choice(("I no longer want to receive these emails", "The emails are too frequent", "",
                                 "I never signed up for this mailing list", "Other"))
            row += [when(rng, 900, 500).strftime("%Y-%m-%d %H:%M:%S"), "Spring newsletter" if reason else "",
                    "".join(rng.choices("0123456789abcdef", k=10)) if reason else "", reason,
                    "too many emails" if reason == "Other" else "", str(rng.randint(10 ** 8, 10 ** 9)),
                    "".join(rng.choices("0123456789abcdef", k=10)), "", ""]
            out.append((MC_UNSUB, [(row, self._evidence(v))]))

    def stripe(self, p: Person, out: list) -> None:
        rng = self.rng
        v = self._view(p, "stripe", email_rate=0.95, phone_rate=0.0, addr_rate=0.0)
        guest = rng.random() < 0.15
        cus = ""
        if not guest:
            cus = "cus_" + "".join(rng.choices(B62, k=14))
            name = f"{v.first} {v.last}".strip() if rng.random() < 0.88 else ""
            if not name:
                v.name_key = None
            payments = rng.choices((0, 1, 2, 3, 4), (0.2, 0.4, 0.2, 0.12, 0.08))[0]
            row = [cus, rng.choice(("", "", "Studio membership", "Wholesale account")), v.email, name,
                   when(rng).strftime("%Y-%m-%d %H:%M"), "false", "", "", money(rng.randint(0, 50000) / 100),
                   str(payments), "0.00", "0.00", ""]
            out.append((STRIPE_C, [(row, self._evidence(v) + ["s:" + cus])]))
        else:
            payments = rng.choices((1, 2), (0.8, 0.2))[0]
            if not v.email:
                v.email, v.email_key = p.email, email_key(p.email)
        for _ in range(payments):
            email, ekey = v.email, v.email_key
            if not guest and rng.random() < 0.1:
                email = p.email2 or p.email
                ekey = email_key(email)
            amount = rng.randint(1500, 30000) / 100
            failed = rng.random() < 0.05
            refunded = rng.random() < 0.04
            row = ["py_3P" + "".join(rng.choices(B62, k=16)), when(rng).strftime("%Y-%m-%d %H:%M:%S"), money(amount),
                   money(amount if refunded else 0.0), "usd", "false" if failed else "true", money(amount),
                   money(amount if refunded else 0.0), "usd", "insufficient_funds" if failed else "",
                   rng.choice(("Invoice 0168", "Monthly membership", "Workshop seat")),
                   money(round(amount * 0.029 + 0.30, 2)), "false", "Live", "card",
                   "2024-07-02 10:11:12" if refunded else "", "",
                   "Failed" if failed else ("Refunded" if refunded else "Paid"),
                   "The bank declined the payment." if failed else "Payment complete.", "0.00",
                   "card_1N" + "".join(rng.choices(B62, k=12)), cus, "", email,
                   ("in_1P" + "".join(rng.choices(B62, k=10))) if cus else "", "",
                   "pi_3P" + "".join(rng.choices(B62, k=16))]
            keys = (["e:" + ekey] if ekey and email else []) + (["s:" + cus] if cus else [])
            out.append((STRIPE_P, [(row, keys)]))

    def zendesk(self, p: Person, out: list) -> None:
        rng = self.rng
        v = self._view(p, "zendesk", email_rate=1.0, phone_rate=0.0, addr_rate=0.0)
        if not v.email:
            v.email, v.email_key = p.email, email_key(p.email)
        if v.shared_box:
            self.summary.shared_mailbox_rows += 1
        r = rng.random()
        if r < 0.7:
            requester = f"{v.first} {v.last}".strip()
        elif r < 0.85:
            requester = v.first.strip() or v.last.strip()
        else:
            requester = v.email.split("@")[0]
        self.ids["zendesk_user"] += rng.randint(1, 999)
        user = str(self.ids["zendesk_user"])
        email = v.email.strip()
        organization = v.company if rng.random() < 0.6 else ""
        rows = []
        for _ in range(rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]):
            self.ids["zendesk_ticket"] += rng.randint(1, 9)
            created = when(rng)
            solved = created + dt.timedelta(minutes=rng.randint(30, 4000))
            status = rng.choice(("Solved", "Closed", "Open", "Pending", "Solved"))
            f = "%Y-%m-%d %H:%M:%S"
            row = ["1", str(self.ids["zendesk_ticket"]), requester, user, "", email,
                   email.split("@")[1] if "@" in email else "", requester, rng.choice(("Sam Ortiz", "Jo Reyes")),
                   "Support", rng.choice(N.TICKET_SUBJECTS), rng.choice(("", "refund", "shipping", "vip wholesale")),
                   status, rng.choice(("Low", "Normal", "Normal", "High", "Urgent")),
                   rng.choice(("Mail", "Web form", "Chat", "Phone call (inbound)")),
                   rng.choice(("Problem", "Question", "Incident", "")), created.strftime(f), solved.strftime(f),
                   (created + dt.timedelta(minutes=20)).strftime(f), organization, "",
                   (created + dt.timedelta(minutes=20)).strftime(f),
                   solved.strftime(f) if status in ("Solved", "Closed") else "", "",
                   rng.choice(("Good", "Not Offered", "Offered", "Bad")), "1", "1", "0", str(rng.randint(1, 5)),
                   str(rng.randint(5, 300)), str(rng.randint(5, 200)), "", "", "", "", "", "", "", "", "", ""]
            keys = ["z:" + user] + (["e:" + v.email_key] if v.email_key else [])
            rows.append((row, keys))
        out.append((ZENDESK, rows))

    def square(self, p: Person, out: list) -> None:
        rng = self.rng
        instant = rng.random() < 0.04
        v = self._view(p, "square", email_rate=0.0 if instant else 0.7, phone_rate=0.0 if instant else 0.8,
                       addr_rate=0.0 if instant else 0.5)
        text, v.phone_key = self.render_phone(v.phone, ("paren", "dash", "e164", "digits", "dots", "one"), 0.06)
        v.phone2, v.phone2_key = None, None
        a = v.addr
        postal = ""
        if a:
            postal = a.postal.lstrip("0") if rng.random() < 0.06 else a.postal  # re-saved in Excel
        first_visit = when(rng, 0, 900)
        spend = rng.randint(500, 160000) / 100
        row = ["LOYAL-" + str(rng.randint(1000, 9999)) if rng.random() < 0.05 else "", v.first, v.last, v.email, text,
               rng.choice(N.NICKNAMES.get(p.first, ("",))) if rng.random() < 0.05 else "",
               v.company if not instant and rng.random() < 0.3 else "", v.street, a.street2 if a else "",
               a.city if a else "", a.region if a else "", postal,
               p.birth.isoformat() if not instant and rng.random() < 0.4 else "", "",
               "".join(rng.choices(B32, k=26)),
               "Instant Profile" if instant else rng.choice(("Appointments", "Directory", "Point of Sale")),
               first_visit.strftime("%Y-%m-%d"), (first_visit + dt.timedelta(days=rng.randint(0, 400))).strftime("%Y-%m-%d"),
               str(rng.randint(1, 20)), f"${spend:,.2f}",
               "Unknown" if instant else rng.choice(("Subscribed", "Unsubscribed", "Subscribed")),
               "Yes" if instant else "No", "No"]
        out.append((SQUARE, [(row, self._evidence(v))]))

    def klaviyo(self, p: Person, out: list) -> None:
        rng = self.rng
        v = self._view(p, "klaviyo", email_rate=1.0, phone_rate=0.45, addr_rate=0.5)
        if not v.email:
            v.email, v.email_key = p.email, email_key(p.email)
        text, v.phone_key = self.render_phone(v.phone, ("e164",), 0.0)
        v.phone2, v.phone2_key = None, None
        a = v.addr
        created = when(rng)
        consent = rng.choice(("SUBSCRIBED", "SUBSCRIBED", "NEVER_SUBSCRIBED", "UNSUBSCRIBED"))
        stamp = created.strftime("%Y-%m-%d %H:%M:%S")
        supp = '[{"reason": "UNSUBSCRIBE", "timestamp": "' + stamp + '"}]' if consent == "UNSUBSCRIBED" else "[]"
        row = [v.email, "01H" + "".join(rng.choices(B32, k=23)), v.first, v.last,
               v.company if rng.random() < 0.4 else "", p.title if rng.random() < 0.3 else "", text, v.street,
               a.street2 if a else "", a.city if a else "", a.region_name if a else "", a.country if a else "",
               a.postal if a else "", "", "", rng.choice(("Shopify", "List Import", "Signup Form")),
               f"192.0.2.{rng.randint(2, 250)}", consent, stamp if consent != "NEVER_SUBSCRIBED" else "",
               f"{rng.randint(0, 90000) / 100:g}", "", "", "", str(rng.randint(0, 12)), stamp, stamp, stamp, stamp,
               "", "", "", supp]
        out.append((KLAVIYO, [(row, self._evidence(v))]))

    def hubspot(self, p: Person, out: list) -> None:
        rng = self.rng
        v = self._view(p, "hubspot", email_rate=0.95, phone_rate=0.5, addr_rate=0.6)
        if v.shared_box:
            self.summary.shared_mailbox_rows += 1
        text, v.phone_key = self.render_phone(v.phone, ("hub", "intl", "paren", "e164"), 0.01)
        mobile, v.phone2_key = self.render_phone(p.mobile if v.phone is not None and rng.random() < 0.3 else None,
                                                 ("hub", "e164"), 0.0)
        a = v.addr
        self.ids["hubspot"] += rng.randint(1, 900)
        created = when(rng).replace(second=0)
        last = when(rng, 1000, 400).replace(second=0)
        postal = a.postal if a else ""
        stage = rng.choice(("Customer", "Lead", "Subscriber", "Opportunity"))
        company_id = ""
        if v.company:
            self.ids["company_id"] += rng.randint(1, 99)
            company_id = str(self.ids["company_id"])
        if self.xlsx:
            postal_cell = int(postal) if postal.isdigit() else postal  # Excel number: leading zero lost
            row = [self.ids["hubspot"], v.first, v.last, v.email, text, mobile, p.title if v.company else "",
                   a.city if a else "", (a.region or a.region_name) if a else "", postal_cell,
                   rng.choice(("Sam Ortiz", "Jo Reyes", "")), stage, rng.choice(("OPEN_DEAL", "NEW", "IN_PROGRESS", "")),
                   "Marketing contact" if stage != "Lead" else "Non-marketing contact", rng.random() < 0.1, created,
                   last, v.company, int(company_id) if company_id else None]
        else:
            row = [str(self.ids["hubspot"]), v.first, v.last, v.email, text, mobile, p.title if v.company else "",
                   a.city if a else "", (a.region or a.region_name) if a else "", postal,
                   rng.choice(("Sam Ortiz", "Jo Reyes", "")), stage, rng.choice(("OPEN_DEAL", "NEW", "IN_PROGRESS", "")),
                   "Marketing contact" if stage != "Lead" else "Non-marketing contact",
                   "true" if rng.random() < 0.1 else "false", created.strftime("%Y-%m-%d %H:%M"),
                   last.strftime("%Y-%m-%d %H:%M"), v.company, company_id]
        out.append((HUBSPOT, [(row, self._evidence(v))]))

    # ------------------------------------------------------------------ a person's rows, linked, then written

    def appearances(self, p: Person) -> list:
        rng = self.rng
        k = self.tool_count.pick(rng)
        chosen: list[str] = []
        weights = list(TOOL_WEIGHTS)
        for _ in range(k):
            total = sum(weights)
            x = rng.random() * total
            for i, w in enumerate(weights):
                x -= w
                if x < 0 and w > 0:
                    break
            chosen.append(TOOLS[i])
            weights[i] = 0.0
        out: list = []
        for tool in chosen:
            getattr(self, tool)(p, out)
            if tool in ("shopify", "square", "klaviyo", "hubspot", "mailchimp") and rng.random() < 0.04:
                getattr(self, tool)(p, out)  # a duplicate account in the same tool
        return out

    def emit_person(self, p: Person, units: list) -> None:
        # evidence components among this person's rows (union-find on shared keys)
        flat = [keys for _, rows in units for _, keys in rows]
        parent = list(range(len(flat)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        seen: dict[str, int] = {}
        for i, keys in enumerate(flat):
            for key in keys:
                j = seen.setdefault(key, i)
                if j != i:
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[ri] = rj
        roots = [find(i) for i in range(len(flat))]
        sizes: dict[int, int] = {}
        for r in roots:
            sizes[r] = sizes.get(r, 0) + 1
        numbering: dict[int, int] = {}
        s = self.summary
        n = len(flat)
        s.true_pairs += n * (n - 1) // 2
        s.linkable_pairs += sum(c * (c - 1) // 2 for c in sizes.values())
        i = 0
        for file_index, rows in units:
            tagged = []
            for row, _ in rows:
                root = roots[i]
                group = numbering.setdefault(root, len(numbering) + 1)
                linkable = 1 if sizes[root] > 1 else 0
                if not linkable:
                    s.unlinkable_rows += 1
                tagged.append((row, p.pid, linkable, f"{p.pid}.{group}"))
                i += 1
            self._push(file_index, tagged)

    def _push(self, file_index: int, unit: list) -> None:
        buffer = self.buffers[file_index]
        buffer.append(unit)
        if len(buffer) > SHUFFLE_BUFFER:
            j = self.shuffle_rng.randrange(len(buffer))
            buffer[j], buffer[-1] = buffer[-1], buffer[j]
            self._write(file_index, buffer.pop())

    def _write(self, file_index: int, unit: list) -> None:
        name = self.specs[file_index].name
        writer = self.writers[file_index]
        for row, pid, linkable, group in unit:
            self.rows_written[file_index] += 1
            writer(row)
            self.gt.writerow((name, self.rows_written[file_index], pid, linkable, group))

    # ------------------------------------------------------------------ files

    def run(self) -> WorldSummary:
        started = time.perf_counter()
        self.folder.mkdir(parents=True, exist_ok=True)
        handles = []
        self.writers = []
        workbook = None
        for spec in self.specs:
            path = self.folder / spec.name
            if spec.name.endswith(".xlsx"):
                from openpyxl import Workbook

                workbook = Workbook(write_only=True)
                sheet = workbook.create_sheet("Contacts")
                sheet.append(spec.header)
                self.writers.append(sheet.append)
                xlsx_path = path
                continue
            handle = open(path, "w", newline="", encoding="utf-8")
            handles.append(handle)
            writer = csv.writer(handle, lineterminator="\n" if spec.name.startswith("shopify") else "\r\n")
            writer.writerow(spec.header)
            self.writers.append(writer.writerow)
        gt_handle = open(self.folder / "ground_truth.csv", "w", newline="", encoding="utf-8")
        self.gt = csv.writer(gt_handle, lineterminator="\n")
        self.gt.writerow(("file", "row", "person_id", "linkable", "link_group"))
        try:
            while self.person_seq < self.people_target:
                for person in self._unit():
                    self.emit_person(person, self.appearances(person))
            for file_index, buffer in enumerate(self.buffers):
                self.shuffle_rng.shuffle(buffer)
                for unit in buffer:
                    self._write(file_index, unit)
                buffer.clear()
            if workbook is not None:
                workbook.save(xlsx_path)
                _reproducible_zip(xlsx_path)
        finally:
            for handle in handles:
                handle.close()
            gt_handle.close()
        s = self.summary
        s.people = self.person_seq
        for spec, rows in zip(self.specs, self.rows_written):
            s.files[spec.name] = rows
            s.presets[spec.name] = spec.preset
            s.email_columns[spec.name] = spec.email_column
            s.records += rows
            if spec.kind == "customer":
                s.customer_records += rows
            else:
                s.event_records += rows
        s.seconds = round(time.perf_counter() - started, 2)
        (self.folder / "world.json").write_text(json.dumps(asdict(s), indent=2) + "\n", encoding="utf-8")
        return s


def _reproducible_zip(path: Path) -> None:
    """Fixed entry times and document dates, so that the same seed writes the same xlsx bytes."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2024-01-01T00:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)


def generate_world(folder, people: int, seed: int = 42) -> WorldSummary:
    """Write a world of ``people`` people into ``folder`` (created if needed); see the module doc."""
    return _World(Path(folder), people, seed).run()


def load_summary(folder) -> WorldSummary:
    data = json.loads((Path(folder) / "world.json").read_text(encoding="utf-8"))
    return WorldSummary(**data)


def read_table(path: Path):
    """Yield each data row of a world file as a dict (header -> text)."""
    if path.suffix == ".xlsx":
        try:
            from python_calamine import CalamineWorkbook

            rows = iter(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())
        except ImportError:  # pragma: no cover - calamine is a c360 dependency
            from openpyxl import load_workbook

            rows = load_workbook(path, read_only=True).active.iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        for values in rows:
            yield {h: ("" if v is None else str(v)) for h, v in zip(header, values)}
        return
    with open(path, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.world", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--people", type=int)
    size.add_argument("--records", type=int, help="about this many data rows in all (people chosen to fit)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    people = args.people or people_for_records(args.records)
    summary = generate_world(args.folder, people, args.seed)
    print(json.dumps(asdict(summary)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
