"""A few customers imported from three spreadsheets into a real vault, for the customer list and profile tests.

Zoë Müller is in all three files (one profile, three source records); Carla Canary's email and phone
are the canaries that must never appear unmasked on screen unless revealed.
"""

from __future__ import annotations

from c360_desktop.core.identity.engine import run_match
from c360_desktop.ui import tasks
from tests.identity.helpers import background, import_people, profile_of

ZOE = {"id": "z1", "first": "Zoë", "last": "Müller", "email": "zoe.mueller@example.org",
       "phone": "+1 415 555 0101", "zip": "94110", "city": "San Francisco", "birth": "1984-03-09"}
CANARY_EMAIL = "carla.canary.7731@example.net"
CANARY_PHONE = "+1 212 555 0173"
CANARY_DIGITS = "2125550173"
CARLA = {"id": "c1", "first": "Carla", "last": "Canary", "email": CANARY_EMAIL, "phone": CANARY_PHONE,
         "zip": "10001", "city": "New York", "birth": "1990-11-21"}


def build_world(vault, tmp_path) -> dict[str, int]:
    """Returns name -> profile id, and name -> record ids under ``<name>_records``."""
    shop = import_people(vault, tmp_path, "shop", [ZOE, CARLA, *background(20)])
    crm = import_people(vault, tmp_path, "crm", [{**ZOE, "id": "z2"}, {**CARLA, "id": "c2"}])
    newsletter = import_people(vault, tmp_path, "newsletter", [{**ZOE, "id": "z3", "phone": "(415) 555-0101"}])
    run_match(vault)
    zoe = profile_of(vault, shop["z1"])
    carla = profile_of(vault, shop["c1"])
    assert profile_of(vault, crm["z2"]) == zoe == profile_of(vault, newsletter["z3"])
    assert profile_of(vault, crm["c2"]) == carla
    return {"zoe": zoe, "carla": carla, "zoe_records": [shop["z1"], crm["z2"], newsletter["z3"]],
            "carla_records": [shop["c1"], crm["c2"]]}


def settle(qtbot) -> None:
    """Let the vault jobs started so far finish and deliver their results."""
    tasks.wait_for_all(10000)
    qtbot.wait(20)


def customers_page(qtbot, vault):
    """The Customers page on ``vault``, outside the main window (keep a reference: pytest-qt holds a weak one)."""
    from c360_desktop.ui.pages.customers import CustomersPage

    page = CustomersPage()
    qtbot.addWidget(page)
    page.resize(1240, 820)
    page.show()
    page.on_unlocked(vault)
    return page


def search(qtbot, page, text: str) -> None:
    """Type like a person; the search runs after the pause."""
    page.search.setText(text)
    qtbot.waitUntil(lambda: page.model.search_text == text.strip(), timeout=3000)


def list_texts(model) -> list[str]:
    """Every DisplayRole and ToolTipRole text of the fetched rows (and of the headers)."""
    from PySide6.QtCore import Qt

    texts = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(row, column), role)
                if value:
                    texts.append(str(value))
    return texts
