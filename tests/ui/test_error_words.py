"""What a dialog says for an error it did not expect from the core: plain words, never an exception's name."""

from __future__ import annotations

import sqlcipher3


def test_the_gui_shows_the_same_words_for_a_full_disk():
    from c360_desktop.ui.dialogs.common import user_message

    shown = user_message(sqlcipher3.OperationalError("database or disk is full"))
    assert shown.startswith("The disk is full: nothing was changed.") and "OperationalError" not in shown
