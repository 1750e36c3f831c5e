"""The review screen's models and wording, without a window."""

from __future__ import annotations

from c360_desktop.core.words import score_text
from c360_desktop.ui.dialogs.review_bulk import bulk_range
from c360_desktop.ui.models.review import (
    QueueFilter,
    ReviewQueueModel,
    comparison_rows,
    evidence_lines,
    mask_value,
    source_label,
)


def _card(**values):
    card = {"id": 1, "source": "shopify", "source_record_id": "7", "file_name": "shop.csv", "row_number": 3,
            "rows": [{"file_name": "shop.csv", "row_number": 3}], "values": {}, "emails": [], "phones": [],
            "created_at": "2026-01-02T00:00:00+00:00", "profile_id": 1}
    card.update(values)
    return card


def test_wording_of_scores_sources_and_masks():
    assert score_text(0.9999) == "99.9%" and score_text(0.5) == "50%" and score_text(0.999) == "99.9%"
    assert source_label("shopify") == "Shopify" and source_label("sheet:crm") == "Spreadsheet “crm”"
    assert source_label("outlook_com_new_outlook_microsoft_365", short=True) == "Outlook.com"
    assert mask_value("email", "ann@example.org") == "a•••@e•••.org"
    assert mask_value("phone", "+14155550101") == "•••• 0101"
    assert mask_value("company", "Acme") == "Acme"
    assert QueueFilter(source="shopify", min_score=0.9).describe() == "Shopify, 90% and above"


def test_rows_mark_shared_and_conflicting_values():
    left = _card(display_name="Bob Kaminski", emails=[{"value": "bob@x.org", "key": "bob@x.org", "raw": "BOB@x.org"},
                                                     {"value": "b2@x.org", "key": "b2@x.org", "raw": "b2@x.org"}],
                 phones=[{"value": "+13125550187", "key": "+13125550187", "raw": "(312) 555-0187", "kind": ""}])
    right = _card(id=2, display_name="Robert Kaminski", emails=[{"value": "bob@x.org", "key": "bob@x.org"}],
                  phones=[{"value": "+13125550999", "key": "+13125550999", "raw": "312 555 0999", "kind": "mobile"}])
    explained = {"evidence": [
        {"comparison": "first_name", "level": 2, "level_label": "nickname", "weight": 3.0, "strength": "for",
         "left": "Bob", "right": "Robert"},
        {"comparison": "last_name", "level": 1, "level_label": "same", "weight": 5.0, "strength": "for",
         "left": "Kaminski", "right": "Kaminski"},
        {"comparison": "email", "level": 1, "level_label": "same address", "weight": 8.0, "strength": "strong",
         "left": "b•••@x•••.org", "right": "b•••@x•••.org"},
        {"comparison": "phone", "level": 3, "level_label": "different", "weight": -4.0, "strength": "against",
         "left": "•••• 0187", "right": "•••• 0999"},
        {"comparison": "birth_date", "level": 0, "level_label": "missing", "weight": 0.0, "strength": "cannot tell",
         "left": "", "right": ""}]}
    rows = {row.key: row for row in comparison_rows(left, right, explained)}
    assert rows["name"].status == "similar" and rows["name"].note == "nickname"
    assert rows["name"].strength == "strong" and rows["name"].weight == 8.0
    assert rows["email"].status == "agree" and [v.shared for v in rows["email"].left] == [True, False]
    assert rows["email"].left[0].masked == "b•••@x•••.org" and rows["email"].left[0].text == "bob@x.org"
    assert rows["phone"].status == "conflict" and rows["phone"].strength == "against"
    assert rows["phone"].right[0].text == "312 555 0999  (mobile)"
    assert rows["phone"].right[0].masked == "•••• 0999  (mobile)"
    tip = rows["phone"].left[0].tooltip(False, rows["phone"].mask)
    assert "0187" in tip and "(312)" not in tip and "shop.csv, row 3" in tip
    assert "(312) 555-0187" in rows["phone"].left[0].tooltip(True, rows["phone"].mask)
    assert rows["birth_date"].status == "one-sided" and rows["birth_date"].strength == "cannot tell"
    assert rows["source_id"].left[0].text == "Shopify · 7"
    lines, missing = evidence_lines(explained, left, right)
    assert lines[0].words == "Same email b•••@x•••.org" and lines[0].strength == "strong"
    assert "First names Bob / Robert: nickname" in [line.words for line in lines]
    assert "Phone: different" in [line.words for line in lines]
    assert missing == ["birth dates"]


def test_bulk_range_stays_inside_the_filter():
    band = QueueFilter(min_score=0.75, max_score=0.9)
    assert bulk_range("merge", 0.8, band) == (0.8, 0.9)
    assert bulk_range("merge", 0.5, band) == (0.75, 0.9)
    low, high = bulk_range("reject", 0.8, band)
    assert low == 0.75 and 0.79999 < high < 0.8


def test_an_empty_queue_model(qtmodeltester):
    model = ReviewQueueModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and not model.canFetchMore()


def test_a_record_key_c360_made_reads_as_what_it_was_keyed_by():
    from c360_desktop.ui.models.review import record_key_words

    assert record_key_words("cus_J1") == "cus_J1"
    assert record_key_words("email:anna.smith@example.com") == "no id in the tool: by email a•••@e•••.com"
    assert record_key_words("email:anna.smith@example.com#2").endswith("(contact 2)")
    assert record_key_words("fp:24313b2169a056eb3d63560c") == "no id in the tool: by name and details"
