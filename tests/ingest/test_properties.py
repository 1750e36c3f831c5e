"""Property-based: arbitrary bytes and arbitrary cells never raise anything but the importer's own clear errors."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from c360_desktop.core.errors import C360Error
from c360_desktop.core.ingest.dates import DMY, MDY, parse_date
from c360_desktop.core.ingest.normalise import (
    normalise_address,
    normalise_consent,
    normalise_email,
    normalise_money,
    normalise_name,
    normalise_number,
    normalise_phone,
    normalise_postal,
    split_full_name,
)
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.ingest.rows import RowInterpreter, encode_norm_item, norm_items

cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
suffixes = st.sampled_from([".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods", ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=st.binary(max_size=4000), suffix=suffixes)
def test_arbitrary_bytes_give_a_table_or_a_clear_error(content, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(content)
        try:
            plan = plan_import(path, ImportOptions())
        except C360Error as error:
            assert str(error) and "Traceback" not in str(error)
            return
        for _, row in plan.table.data_rows():
            assert all(isinstance(cell, str) for cell in row)


@settings(max_examples=300, deadline=None)
@given(cell=cells, region=st.sampled_from(["US", "GB", "DE", "FR", "ZZ", ""]))
def test_normalisers_never_raise(cell, region):
    for result in (normalise_email(cell), normalise_phone(cell, region), normalise_name(cell),
                   normalise_address(cell), normalise_postal(cell, region), normalise_money(cell),
                   normalise_money(cell, True), normalise_number(cell), normalise_consent(cell),
                   parse_date(cell, MDY), parse_date(cell, DMY)):
        assert result.value is None or isinstance(result.value, str)
    assert isinstance(split_full_name(cell), dict)


@settings(max_examples=150, deadline=None)
@given(row=st.lists(cells, max_size=12))
def test_row_interpreter_never_raises(row):
    mapping = ["source_record_id", "full_name", "email", "phone", "postal_code", "birth_date", "order_total",
               "consent_email", "created_at", "country", "custom", "line_item_quantity"]
    interpreter = RowInterpreter([f"h{i}" for i in range(len(mapping))], mapping, region="US", date_order=MDY)
    interpreted = interpreter.interpret(row)
    assert interpreted.rejected is None or isinstance(interpreted.rejected, str)


emails = (st.emails() | st.builds(lambda a, b: f"{a}@{b}", st.text(max_size=20), st.text(max_size=20))).filter(
    lambda e: not e.strip().startswith("'") and not e.strip().lower().startswith("mailto:"))


@settings(max_examples=400, deadline=None)
@given(address=emails)
def test_email_fast_path_agrees_with_email_validator(address):
    """The regex shortcut must accept only what email-validator accepts, with the same result."""
    from email_validator import EmailNotValidError, validate_email

    result = normalise_email(address)
    try:
        checked = validate_email(address.strip().strip("<>\"' "), check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        assert result.value is None
        return
    assert result.value == checked.local_part.lower() + "@" + checked.domain.lower()


international_emails = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.text(alphabet=st.characters(categories=["Ll", "Lu", "Lt", "Lm", "Lo", "Mn", "Nd", "Zs"]) | st.sampled_from(
        list("aZ09.-_+'")), min_size=1, max_size=70),
    st.sampled_from(["example.com", "Example.ORG", "bücher.de", "xn--bcher-kva.de", "a.co", "localhost"]),
)


@settings(max_examples=400, deadline=None)
@given(address=international_emails)
def test_international_shortcut_agrees_with_email_validator(address):
    """Addresses with accented or other non-ASCII letters skip email-validator only when it would give the
    same value, key and quality."""
    from c360_desktop.core.ingest.normalise import clean_text, validated_email

    cleaned = clean_text(address).strip("<>\"' ")
    assume(not cleaned.isascii())
    assert normalise_email(address) == validated_email(cleaned)


nanp_numbers = st.builds(
    lambda area, exchange, line, style: style.format(a=area, e=exchange, l=line),
    st.integers(200, 999).map(str), st.integers(200, 999).map(str), st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    st.sampled_from(["({a}) {e}-{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}", "1-{a}-{e}-{l}", "{a}.{e}.{l}", "{a}{e}{l}"]),
)


@settings(max_examples=300, deadline=None)
@given(number=nanp_numbers, region=st.sampled_from(["US", "CA", "GB"]))
def test_nanp_fast_path_agrees_with_phonenumbers(number, region):
    import phonenumbers

    result = normalise_phone(number, region)
    try:
        parsed = phonenumbers.parse(number, region)
        expected = (phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                    if phonenumbers.is_possible_number(parsed) else None)
    except phonenumbers.NumberParseException:
        expected = None
    assert result.value == expected


texts = st.text(max_size=8)
details = st.none() | st.dictionaries(st.sampled_from(["note", "type", "ext"]), texts, min_size=1)


@given(raw=texts, value=st.none() | texts, key=st.none() | texts, quality=st.sampled_from(["ok", "repaired", "invalid"]),
       detail=details)
def test_a_stored_norm_item_reads_back_as_written(raw, value, key, quality, detail):
    item = ("city", raw, value, key, quality, detail)
    assert norm_items(json.dumps([encode_norm_item(*item)])) == [item]


@given(row=st.lists(cells, max_size=24))
def test_a_row_of_any_width_keeps_every_cell_in_raw(row):
    header = [f"h{i}" for i in range(20)]
    interpreted = RowInterpreter(header, ["custom"] * 20, region="US", date_order=MDY).interpret(row)
    cells = dict(zip(header, row + [""] * (20 - len(row))))
    extras = {f"extra cell {i}": cell for i, cell in enumerate(row[20:], start=1) if cell.strip()}
    assert interpreted.raw == {**cells, **extras}
    assert (interpreted.rejected == "empty row") == (not any(cell.strip() for cell in row))
