"""Masked forms shown by default: enough to recognise a value one knows, nothing to learn a new one."""

from __future__ import annotations

import pytest

from c360_desktop.core.privacy.policy import RedactionPolicy, email_key_parts
from c360_desktop.core.privacy.redaction import mask_email, mask_phone, mask_text


@pytest.mark.parametrize("value, masked", [
    ("sarah@example.com", "s•••@e•••.com"),
    ("jane.doe@mail.example.co.uk", "j•••@m•••.uk"),
    ("x@localhost", "x•••@l•••"),
    ("no-at-sign", "n•••"),
    ("", ""),
    (None, ""),
])
def test_mask_email(value, masked):
    assert mask_email(value) == masked


@pytest.mark.parametrize("value, masked", [("+14155550101", "•••• 0101"), ("+44 20 7946 0958", "•••• 0958"),
                                           ("12", "••••"), ("", "")])
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_mask_text_keeps_one_letter():
    assert mask_text("  12 Main Street") == "1•••" and mask_text(None) == ""


@pytest.mark.parametrize("key, parts", [
    ("email:ann@x.com", ("ann@x.com", "")), ("email:ann@x.com#2", ("ann@x.com", "2")),
    ("email:anna#shop@x.com", ("anna#shop@x.com", "")), ("email:anna#shop@x.com#3", ("anna#shop@x.com", "3")),
])
def test_a_hash_inside_an_email_address_is_part_of_it_not_a_copy_number(key, parts):
    assert email_key_parts(key) == parts


def test_a_masked_email_key_never_shows_what_follows_a_hash_in_the_address():
    from c360_desktop.ui.models.review import record_key_words

    for key in ("email:anna#shop@example.com", "email:anna#shop@example.com#2"):
        assert "shop" not in RedactionPolicy().source_id(key) and "shop" not in record_key_words(key)
    assert record_key_words("email:anna#shop@example.com#2").endswith("(contact 2)")
