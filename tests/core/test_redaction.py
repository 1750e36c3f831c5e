"""Masked forms shown by default: enough to recognise a value one knows, nothing to learn a new one."""

from __future__ import annotations

import pytest

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
