"""A profile built from every fixture export: timeline from several tools, metrics, consent, search, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.profiles.profile import load_profile, profiles_by_email, profiles_by_phone
from c360_desktop.core.profiles.search import search_profiles
from c360_desktop.core.profiles.timeline import timeline
from c360_desktop.core.vault import Vault
from tests.conftest import GOOD_PASSPHRASE, run_cli

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"
NOT_EXPORTS = {"garbage.bin", "empty.csv", "ground_truth.csv"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("world") / "world.c360"
    vault, _ = Vault.create(path, GOOD_PASSPHRASE)
    for export in sorted(EXPORTS.iterdir()):
        if export.name not in NOT_EXPORTS:
            run_import(vault, plan_import(export, ImportOptions(), vault.conn))
    run_match(vault)
    dana = profiles_by_email(vault.conn, "dana.w@example.com")
    yield vault, dana[0]
    vault.close()


def test_dana_is_one_profile_with_every_tool(world):
    vault, dana = world
    assert profiles_by_email(vault.conn, "DANA.W@example.com") == [dana]
    view = load_profile(vault.conn, dana)
    assert {"shopify", "stripe", "zendesk_support", "mailchimp", "square"} <= set(view.tools)
    assert view.golden["name"].value == "Dana Whitfield"


def test_the_timeline_mixes_orders_payments_tickets_and_subscriptions_newest_first(world):
    vault, dana = world
    view = load_profile(vault.conn, dana)
    entries = timeline(vault.conn, view.record_ids)
    kinds = {e.kind for e in entries}
    assert {"order", "payment", "ticket", "subscription", "import"} <= kinds
    dated = [e.at for e in entries if e.at]
    assert dated == sorted(dated, reverse=True)
    order = next(e for e in entries if e.kind == "order" and "1002" in e.title)
    assert [item["name"] for item in order.detail["items"]] == ["Speckled Mug - Blue", "Linen Tea Towel"]
    assert order.amount == "77.28" and order.source == "shopify"
    tickets = timeline(vault.conn, view.record_ids, kinds={"ticket"})
    assert tickets and all(e.kind == "ticket" for e in tickets)
    assert any("damaged" in e.detail["subject"] for e in tickets)
    assert not any("damaged" in e.title for e in tickets)   # free text stays out of the title (redaction)
    assert not [e for e in entries if e.kind == "refund" and e.amount in ("0", "0.00")]


def test_metrics_sum_orders_and_count_tickets(world):
    vault, dana = world
    metrics = load_profile(vault.conn, dana).metrics
    assert metrics.order_count >= 1 and metrics.currency == "USD"
    assert metrics.tickets_total >= 2 and metrics.tickets_open == 0   # solved and closed
    assert metrics.last_activity_at >= metrics.last_purchase_at >= metrics.first_purchase_at


def test_spent_is_the_larger_of_orders_and_payments_never_their_sum_with_its_currency(world):
    """A payment in Stripe is often for an order in Shopify: adding them counts a purchase twice."""
    from c360_desktop.core.profiles.listing import ListQuery, list_page

    vault, dana = world
    view = load_profile(vault.conn, dana)
    marks = ",".join("?" * len(view.record_ids))
    totals = dict(vault.conn.execute(f"SELECT kind, sum(CAST(amount AS REAL)) FROM events WHERE record_id IN ({marks})"
                                     " AND kind IN ('order', 'payment') GROUP BY kind", view.record_ids).fetchall())
    assert totals["payment"] > totals["order"] > 0   # her Stripe payments add up to more than her orders
    assert view.metrics.total_spent == f"{totals['payment']:.2f}" and view.metrics.currency == "USD"
    priced = vault.conn.execute(f"SELECT count(*) FROM events WHERE record_id IN ({marks}) AND kind = 'order'"
                                " AND coalesce(amount, '') != ''", view.record_ids).fetchone()[0]
    assert view.metrics.average_order_value == f"{totals['order'] / priced:.2f}"   # over her priced orders
    dates = vault.conn.execute(f"SELECT min(occurred_at) FROM events WHERE record_id IN ({marks})"
                               " AND kind IN ('order', 'payment')", view.record_ids).fetchone()[0]
    assert view.metrics.first_purchase_at == dates   # a payment before her first order counts
    row = next(r for r in list_page(vault.conn, ListQuery(), limit=1000) if r.id == dana)
    assert (row.total_spent, row.spent_currency) == (f"{totals['payment']:.2f}", "USD")


def test_search_is_tolerant_to_phone_format_case_accents_and_finds_order_numbers(world):
    vault, dana = world
    for query in ("(512) 555-0193", "512.555.0193", "+1 512 555 0193", "5125550193", "DANA whit", "dana.w@EXAMPLE",
                  "whitfield", "#1002"):
        assert dana in search_profiles(vault.conn, query).profile_ids, query
    assert search_profiles(vault.conn, "zzqx-nobody").profile_ids == []
    assert profiles_by_phone(vault.conn, "(512) 555-0193") == [dana]


def test_accent_free_typing_finds_an_accented_name(vault, tmp_path):
    from tests.identity.helpers import import_people, profile_of

    ids = import_people(vault, tmp_path, "shop", [{"id": "1", "first": "Zoë", "last": "Müller-Östberg", "email": "z@x.org"}])
    run_match(vault)
    profile = profile_of(vault, ids["1"])
    for query in ("zoe muller", "ZOE", "mullerostberg", "östberg", "Zoë"):
        assert search_profiles(vault.conn, query).profile_ids == [profile], query


def test_profile_show_is_redacted_unless_reveal_which_is_audited(world):
    vault, dana = world
    vault.close()
    env = {"C360_PASSPHRASE": GOOD_PASSPHRASE}
    try:
        shown = run_cli("--vault", str(vault.path), "profile", "show", "--email", "dana.w@example.com", "--json", env=env)
        assert shown.returncode == 0, shown.stderr
        document = json.loads(shown.stdout)
        assert document["id"] == dana and "dana.w@example.com" not in shown.stdout and "5125550193" not in shown.stdout
        assert document["golden"]["email"]["value"] == "d•••@e•••.com"
        human = run_cli("--vault", str(vault.path), "profile", "show", str(dana), env=env)
        assert "Dana Whitfield" in human.stdout and "dana.w@example.com" not in human.stdout
        revealed = run_cli("--vault", str(vault.path), "profile", "show", str(dana), "--reveal", "--json", env=env)
        assert "dana.w@example.com" in revealed.stdout
        missing = run_cli("--vault", str(vault.path), "profile", "show", "--phone", "+44 20 7946 0000", env=env)
        assert missing.returncode != 0 and "No profile" in missing.stderr
    finally:
        reopened = Vault.open(vault.path, GOOD_PASSPHRASE)
        world_vault = reopened
    actions = [json.loads(d) for a, d in world_vault.conn.execute(
        "SELECT action, details FROM audit_log WHERE action = 'values_revealed'")]
    world_vault.close()
    assert actions and actions[-1]["profile_id"] == dana


def test_the_search_index_follows_updates_and_undo(vault, tmp_path):
    from c360_desktop.core.ingest.history import undo_import
    from tests.identity.helpers import import_people

    import_people(vault, tmp_path, "shop", [{"id": "1", "first": "Ottoline", "last": "Quarrie", "email": "oq@x.org"}])
    run_match(vault)
    assert search_profiles(vault.conn, "ottoline").profile_ids
    import_people(vault, tmp_path, "shop", [{"id": "1", "first": "Ottilie", "last": "Quarrie", "email": "oq@x.org"}])
    run_match(vault)
    assert search_profiles(vault.conn, "ottoline").profile_ids == []
    assert search_profiles(vault.conn, "ottilie quar").profile_ids
    latest = vault.conn.execute("SELECT max(id) FROM imports").fetchone()[0]
    undo_import(vault, latest)
    assert search_profiles(vault.conn, "ottoline").profile_ids
    assert search_profiles(vault.conn, "ottilie").profile_ids == []
