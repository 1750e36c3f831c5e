"""A small shop imported into a real vault for the Privacy page and dialog tests."""

from __future__ import annotations

from c360_desktop.core.identity.engine import run_match
from c360_desktop.ui import tasks
from tests.identity.helpers import background, import_people, profile_of

ANN = {"id": "a1", "first": "Ann", "last": "Quillfeather", "email": "ann.quill@example.org",
       "phone": "+1 415 555 0101", "zip": "94110", "city": "San Francisco", "birth": "1980-04-02"}
ANN_AGAIN = {**ANN, "id": "s7"}
BEN = {"id": "b2", "first": "Ben", "last": "Quillfeather", "email": "ben.q@example.net",
       "phone": "+1 415 555 0199", "zip": "94110", "city": "San Francisco", "birth": "1979-01-30"}


def build_shop(vault, tmp_path) -> dict[str, int]:
    """Ann (in two files, one profile), her namesake Ben, and thirty others; returns name -> profile id."""
    crm = import_people(vault, tmp_path, "crm", [ANN, BEN, *background(30)])
    shop = import_people(vault, tmp_path, "shop", [ANN_AGAIN])
    run_match(vault)
    ann = profile_of(vault, crm["a1"])
    assert profile_of(vault, shop["s7"]) == ann
    return {"ann": ann, "ben": profile_of(vault, crm["b2"])}


def settle(qtbot) -> None:
    """Let the vault jobs started so far finish and deliver their results."""
    tasks.wait_for_all(10000)
    qtbot.wait(10)


def page_on(qtbot, page_class, vault):
    """A page built and unlocked on ``vault`` outside the main window (keep a reference to it:
    pytest-qt holds only a weak one)."""
    page = page_class()
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.on_unlocked(vault)
    settle(qtbot)
    return page
