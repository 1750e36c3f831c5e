"""The review screen's reads: a record's card with raw values and their columns, labels, sources, one pair."""

from __future__ import annotations

import pytest

from c360_desktop.core.identity.engine import MatchSettings, run_match
from c360_desktop.core.identity.review import (
    ReviewError,
    count_pending,
    pair_between,
    pending_pairs,
    pending_sources,
    record_card,
    record_labels,
)
from tests.identity.helpers import background, import_people

KATE = {"id": "k1", "first": "Katherine", "last": "Wrenn", "email": "kate.wren@example.com",
        "phone": "(512) 555-0100", "zip": "73301", "city": "Austin", "birth": "1986-04-12"}
KATE_CRM = {"id": "c1", "first": "Kate", "last": "Wren", "email": "k.wren@example.org", "phone": "+1 512.555.0100",
            "zip": "73301", "city": "Austin"}


def _world(vault, tmp_path):
    shop = import_people(vault, tmp_path, "shop", background(80) + [KATE])
    crm = import_people(vault, tmp_path, "crm", [KATE_CRM])
    MatchSettings(auto_threshold=0.9999999, review_threshold=0.5).save(vault)
    run_match(vault)
    return shop["k1"], crm["c1"]


def test_record_card_has_every_value_with_its_raw_cell_column_and_row(vault, tmp_path):
    shop_kate, crm_kate = _world(vault, tmp_path)
    card = record_card(vault.conn, crm_kate)
    assert card["id"] == crm_kate and card["source"] == "sheet:crm" and card["source_record_id"] == "c1"
    assert (card["first_name"], card["last_name"]) == ("Kate", "Wren")
    assert card["phones"] == [{"value": "+15125550100", "raw": "+1 512.555.0100", "column": "phone",
                               "key": "+15125550100", "kind": ""}]
    assert card["emails"][0]["value"] == "k.wren@example.org" and card["emails"][0]["column"] == "email"
    assert card["values"]["first_name"][0]["raw"] == "Kate"
    assert card["rows"] == [{"file_name": "crm.csv", "row_number": 1}]
    assert card["profile_id"] is not None
    assert record_card(vault.conn, shop_kate)["phones"][0]["raw"] == "(512) 555-0100"
    with pytest.raises(ReviewError):
        record_card(vault.conn, 10**9)


def test_labels_sources_and_the_pair_between_two_records(vault, tmp_path):
    shop_kate, crm_kate = _world(vault, tmp_path)
    labels = record_labels(vault.conn, [shop_kate, crm_kate, shop_kate])
    assert labels[shop_kate]["name"] == "Katherine Wrenn" and labels[crm_kate]["source"] == "sheet:crm"
    assert labels[crm_kate]["email"] == "k.wren@example.org"
    pair = pair_between(vault.conn, crm_kate, shop_kate)
    assert pair is not None and {pair.left_id, pair.right_id} == {shop_kate, crm_kate}
    sources = dict(pending_sources(vault.conn))
    assert sources.get("sheet:crm", 0) >= 1
    assert sum(sources.values()) >= count_pending(vault.conn)
    assert count_pending(vault.conn, source="sheet:crm") == sources["sheet:crm"]


def test_pending_pairs_can_be_ordered_by_source(vault, tmp_path):
    _world(vault, tmp_path)
    total = count_pending(vault.conn)
    by_source = pending_pairs(vault.conn, limit=total, order="source")
    assert len(by_source) == total
    assert {p.id for p in by_source} == {p.id for p in pending_pairs(vault.conn, limit=total)}
    labels = record_labels(vault.conn, [i for p in by_source for i in (p.left_id, p.right_id)])
    keys = [(labels[p.left_id]["source"], labels[p.right_id]["source"]) for p in by_source]
    assert keys == sorted(keys)
