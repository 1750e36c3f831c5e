"""Identity resolution end to end in a real vault: links, guards, decisions, incremental = full."""

from __future__ import annotations

import pytest

from c360_desktop.core.identity.blocking import candidate_pairs
from c360_desktop.core.identity.engine import MatchSettings, run_match
from c360_desktop.core.identity.model import MatchModel, TermFrequencies
from c360_desktop.core.identity.engine import Scorer
from c360_desktop.core.identity.records import load_records
from c360_desktop.core.identity.review import ReviewError, decide, pending_pairs, split_record, undo_last_decision
from tests.identity.helpers import background, import_people, partition, profile_of

ANN = {"id": "s1", "first": "Ann", "last": "Okonkwo", "email": "ann.okonkwo@example.org", "phone": "(415) 555-0101",
       "zip": "02134", "city": "Boston", "birth": "1984-03-07"}


def test_same_person_across_tools_is_linked_with_typos_nicknames_and_formats(vault, tmp_path):
    import_people(vault, tmp_path, "shop", background(80) + [
        ANN, {"id": "s2", "first": "Robert", "last": "Lindqvist", "email": "rob.l@example.com", "zip": "94107",
              "city": "San Francisco", "phone": "+1 415 555 0177"}])
    crm = import_people(vault, tmp_path, "crm", [
        {"id": "c1", "first": "Anne", "last": "Okonkwo", "email": "ANN.OKONKWO@example.org", "phone": "+14155550101"},
        {"id": "c2", "first": "Bob", "last": "Lindqvist", "phone": "415.555.0177", "zip": "94107"},
        {"id": "c3", "first": "José", "last": "Pérez", "email": "jp@example.com"}])
    shop = {sid: rid for sid, rid in vault.conn.execute("SELECT source_record_id, id FROM source_records"
                                                          " WHERE source = 'sheet:shop'")}
    desk = import_people(vault, tmp_path, "desk", [{"id": "d1", "first": "Jose", "last": "Perez", "email": "jp@example.com"}])
    result = run_match(vault)
    assert result.profiles > 0 and result.retrained
    assert profile_of(vault, shop["s1"]) == profile_of(vault, crm["c1"])
    assert profile_of(vault, shop["s2"]) == profile_of(vault, crm["c2"])  # Bob ~ Robert, same phone and ZIP
    assert profile_of(vault, crm["c3"]) == profile_of(vault, desk["d1"])  # accents


def test_a_name_in_cyrillic_or_greek_links_with_the_same_name_in_latin_letters(vault, tmp_path):
    shop = import_people(vault, tmp_path, "shop", background(60) + [
        {"id": "o1", "first": "Ольга", "last": "Иванова", "email": "olga.iv@example.ru"},
        {"id": "n1", "first": "Νίκος", "last": "Παπαδόπουλος", "email": "nikos.p@example.gr"}])
    crm = import_people(vault, tmp_path, "crm", [
        {"id": "o2", "first": "Olga", "last": "Ivanova", "email": "olga.iv@example.ru"},
        {"id": "n2", "first": "Nikos", "last": "Papadopoulos", "email": "nikos.p@example.gr"}])
    run_match(vault)
    assert profile_of(vault, shop["o1"]) == profile_of(vault, crm["o2"])
    assert profile_of(vault, shop["n1"]) == profile_of(vault, crm["n2"])


def test_housemates_whose_names_differ_entirely_are_not_asked_about(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", background(60) + [
        {"id": "h1", "first": "Stephanie", "last": "Anderquist", "phone": "+1 802 555 0199", "email": "home@example.net",
         "zip": "05401", "city": "Burlington", "street": "12 Pine St"},
        {"id": "h2", "first": "Christine", "last": "Jacksonby", "phone": "+1 802 555 0199", "email": "home@example.net",
         "zip": "05401", "city": "Burlington", "street": "12 Pine St"}])
    run_match(vault)
    assert profile_of(vault, ids["h1"]) != profile_of(vault, ids["h2"])
    assert not any({p.left_id, p.right_id} == {ids["h1"], ids["h2"]} for p in pending_pairs(vault.conn, limit=1000))


def test_namesakes_in_the_same_city_stay_apart(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", background(80) + [
        {"id": "a", "first": "Chris", "last": "Morgan", "email": "chris.m@example.org", "phone": "+1 303 555 0111",
         "zip": "80205", "city": "Denver", "birth": "1979-05-02"},
        {"id": "b", "first": "Chris", "last": "Morgan", "email": "cmorgan77@example.com", "phone": "+1 303 555 0999",
         "zip": "80206", "city": "Denver", "birth": "1991-12-30"}])
    run_match(vault)
    assert profile_of(vault, ids["a"]) != profile_of(vault, ids["b"])


def test_a_shared_mailbox_with_different_first_names_goes_to_review(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", background(80) + [
        {"id": "h1", "first": "Maria", "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10115"},
        {"id": "h2", "first": "Thomas", "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10115"}])
    run_match(vault)
    assert profile_of(vault, ids["h1"]) != profile_of(vault, ids["h2"])
    pending = pending_pairs(vault.conn)
    assert any({p.left_id, p.right_id} == {ids["h1"], ids["h2"]} for p in pending)


def test_on_a_shared_mailbox_the_same_whole_name_is_one_person_and_the_others_stay_apart(vault, tmp_path):
    """The family mailbox is shared, so by itself it links nobody; with the same first name (or its nickname)
    and last name it still tells one of its users from the rest, with no address to back it."""
    shop = import_people(vault, tmp_path, "shop", background(80) + [
        {"id": "h1", "first": "Richard", "last": "Smith", "email": "smithfamily@example.com"},
        {"id": "h2", "first": "Jane", "last": "Smith", "email": "smithfamily@example.com"}])
    crm = import_people(vault, tmp_path, "crm", [
        {"id": "c1", "first": "Rich", "last": "Smith", "email": "smithfamily@example.com"},
        {"id": "c2", "first": "Richard", "last": "Smith Jr.", "email": "smithfamily@example.com"}])
    run_match(vault)
    assert profile_of(vault, shop["h1"]) == profile_of(vault, crm["c1"])
    assert profile_of(vault, shop["h2"]) != profile_of(vault, shop["h1"])
    assert profile_of(vault, crm["c2"]) != profile_of(vault, shop["h1"])  # the son (or father) waits for review


def test_two_accounts_in_one_tool_at_one_address_with_another_email_and_phone_wait_for_review(vault, tmp_path):
    """A father and son of one name under one roof, each with his own account: only the owner can tell."""
    house = {"first": "Thomas", "last": "Polwenzar", "zip": "80205", "city": "Denver", "street": "14 Elm St"}
    shop = import_people(vault, tmp_path, "shop", background(60) + [
        dict(house, id="t1", email="thomas_polwenzar@example.com", phone="+1 303 555 0141"),
        dict(house, id="t2", email="ttpolwenzar8@example.net", phone="+1 303 555 0178")])
    run_match(vault)
    assert profile_of(vault, shop["t1"]) != profile_of(vault, shop["t2"])
    assert {frozenset((shop["t1"], shop["t2"]))} <= {frozenset((p.left_id, p.right_id)) for p in pending_pairs(vault.conn)}


def test_a_namesake_in_another_tool_does_not_chain_two_accounts_of_one_tool_into_one(vault, tmp_path):
    """Two Thomas Müller of one postcode, each a Shopify customer with his own email and street; a newsletter
    sheet knows a third row of that name and postcode. Linked to each by name and place, it must not make
    the two accounts one person."""
    house = {"first": "Thomas", "last": "Mülverstedt", "zip": "80674", "city": "München"}
    shop = import_people(vault, tmp_path, "shop", background(60) + [
        dict(house, id="m1", email="tmul@example.de", street="Bahnhofstraße 12"),
        dict(house, id="m2", email="mul.thomas@example.com", street="Bergstraße 68")])
    news = import_people(vault, tmp_path, "newsletter", [dict(house, id="n1", email="t.m@example.org")])
    run_match(vault)
    assert profile_of(vault, shop["m1"]) != profile_of(vault, shop["m2"])
    assert profile_of(vault, news["n1"]) in (profile_of(vault, shop["m1"]), profile_of(vault, shop["m2"]))
    reasons = {p.reason for p in pending_pairs(vault.conn, limit=1000)}
    assert "joining them would put two customers of one tool (another email, and another phone or street) in one" \
           " profile" in reasons


def test_chaining_guard_keeps_a_conflicting_record_out(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", background(80) + [
        {"id": "a", "first": "Sam", "last": "Quist", "email": "sam.quist@example.org", "birth": "1980-01-01"},
        {"id": "b", "first": "Sam", "last": "Quist", "email": "sam.quist@example.org", "phone": "+1 617 555 0142"},
        {"id": "c", "first": "Sam", "last": "Quist", "phone": "+1 617 555 0142", "birth": "2001-09-30"}])
    run_match(vault)
    a, b, c = (profile_of(vault, ids[k]) for k in "abc")
    assert a != c and b in (a, c)  # B joins one side; the strongest link wins, the other waits for review
    reasons = {p.reason for p in pending_pairs(vault.conn, limit=1000)}
    assert "joining them would put two records with different birth dates in one profile" in reasons


def test_term_frequency_makes_a_rare_surname_count_more(vault, tmp_path):
    people = background(60) + [{"id": f"sm{n}", "first": "Pat", "last": "Smith", "email": f"s{n}@example.com"}
                               for n in range(30)]
    people += [{"id": "ok1", "first": "Pat", "last": "Okonkwo-Hale", "email": "o1@example.com"},
               {"id": "ok2", "first": "Pat", "last": "Okonkwo-Hale", "email": "o2@example.com"}]
    ids = import_people(vault, tmp_path, "shop", people)
    records = load_records(vault.conn)
    scorer = Scorer(MatchModel.untrained(), records, TermFrequencies.of(records))
    position = records.position
    common = scorer.score(position[ids["sm0"]], position[ids["sm1"]])
    rare = scorer.score(position[ids["ok1"]], position[ids["ok2"]])
    assert rare.levels == common.levels and rare.weight > common.weight + 3


def test_blocking_never_loses_a_pair_sharing_an_email_or_phone(vault, tmp_path):
    people = background(120)
    people += [{"id": "x1", "first": "Zed", "last": "Alpha", "email": "same@example.com"},
               {"id": "x2", "first": "Yan", "last": "Beta", "email": "same@example.com"},
               {"id": "x3", "first": "Xu", "last": "Gamma", "phone": "+1 212 555 0003"}]
    ids = import_people(vault, tmp_path, "shop", people)
    records = load_records(vault.conn)
    pairs, _ = candidate_pairs(records)
    by_key: dict[str, list[int]] = {}
    for p in range(len(records)):
        for key in records.emails[p] + records.phones[p]:
            by_key.setdefault(key, []).append(p)
    for members in by_key.values():
        for a in members:
            for b in members:
                if a < b:
                    assert (a, b) in pairs
    assert (records.position[ids["x1"]], records.position[ids["x2"]]) in pairs


def test_incremental_gives_the_same_profiles_as_full(vault, tmp_path):
    import_people(vault, tmp_path, "shop", background(100) + [ANN])
    run_match(vault)
    import_people(vault, tmp_path, "crm", [
        {"id": "c1", "first": "Ann", "last": "Okonkwo", "phone": "415-555-0101", "zip": "02134"},
        {"id": "c2", "first": "Bo", "last": "Evans0", "email": "bg4@example.net"}] + background(10, prefix="bg"))
    incremental = run_match(vault)
    assert not incremental.retrained and incremental.compared_pairs > 0
    after_incremental = partition(vault)
    full = run_match(vault, full=True)
    assert partition(vault) == after_incremental
    assert full.compared_pairs >= incremental.compared_pairs


def test_a_rejected_pair_never_comes_back_and_a_merge_sticks(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", background(80) + [
        {"id": "h1", "first": "Maria", "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10115"},
        {"id": "h2", "first": "Thomas", "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10115"},
        {"id": "m1", "first": "Kate", "last": "Wren", "email": "kw@example.com", "zip": "73301"},
        {"id": "m2", "first": "Katherine", "last": "Wren", "phone": "+1 512 555 0100", "zip": "73301"}])
    MatchSettings(auto_threshold=0.9999999, review_threshold=0.5).save(vault)  # so Kate/Katherine waits for review
    run_match(vault)
    pair = {frozenset((p.left_id, p.right_id)): p.id for p in pending_pairs(vault.conn, limit=1000)}
    decide(vault, pair[frozenset((ids["h1"], ids["h2"]))], "reject")
    decide(vault, pair[frozenset((ids["m1"], ids["m2"]))], "merge")
    assert profile_of(vault, ids["m1"]) == profile_of(vault, ids["m2"])
    import_people(vault, tmp_path, "shop", background(80) + [
        {"id": "h1", "first": "Maria", "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10117"}])
    for full in (False, True):
        run_match(vault, full=full)
        pending = {frozenset((p.left_id, p.right_id)) for p in pending_pairs(vault.conn, limit=1000)}
        assert frozenset((ids["h1"], ids["h2"])) not in pending
        assert profile_of(vault, ids["h1"]) != profile_of(vault, ids["h2"])
        assert profile_of(vault, ids["m1"]) == profile_of(vault, ids["m2"])
    assert undo_last_decision(vault) is not None  # the merge
    assert profile_of(vault, ids["m1"]) != profile_of(vault, ids["m2"])
    actions = [a for a, in vault.conn.execute("SELECT action FROM audit_log WHERE action LIKE 'review_%'")]
    assert actions == ["review_reject", "review_merge", "review_undone"]


def test_split_a_record_out_of_its_profile_and_it_stays_out(vault, tmp_path):
    import_people(vault, tmp_path, "shop", background(60) + [ANN])
    crm = import_people(vault, tmp_path, "crm", [dict(ANN, id="c1")])
    run_match(vault)
    shop_ann = vault.conn.execute("SELECT id FROM source_records WHERE source_record_id = 's1'").fetchone()[0]
    assert profile_of(vault, shop_ann) == profile_of(vault, crm["c1"])
    split_record(vault, crm["c1"])
    assert profile_of(vault, shop_ann) != profile_of(vault, crm["c1"])
    run_match(vault, full=True)
    assert profile_of(vault, shop_ann) != profile_of(vault, crm["c1"])
    assert vault.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'record_split'").fetchone()[0] == 1


def test_decisions_feed_back_into_the_model(vault, tmp_path):
    people = background(80)
    people += [{"id": f"p{n}", "first": "Lee", "last": f"Twin{n}", "email": f"twin{n}@example.com", "zip": "60601"}
               for n in range(12)]
    people += [{"id": f"q{n}", "first": "Lea", "last": f"Twin{n}", "email": f"twin{n}@example.com", "zip": "60601"}
               for n in range(12)]
    import_people(vault, tmp_path, "shop", people)
    first = run_match(vault)
    assert first.retrained
    for pair in pending_pairs(vault.conn, limit=11):
        decide(vault, pair.id, "merge")
    again = run_match(vault)
    assert again.retrained  # enough new decisions: the weights were re-estimated with them


def test_thresholds_are_settings(vault):
    MatchSettings(auto_threshold=0.99, review_threshold=0.5).save(vault)
    assert MatchSettings.load(vault).auto_threshold == 0.99


def test_threshold_preview_and_apply_move_pairs_between_bands(vault, tmp_path):
    from c360_desktop.core.identity.engine import apply_thresholds, threshold_preview

    import_people(vault, tmp_path, "shop", background(80) + [
        {"id": "h1", "first": "Maria", "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10115"},
        {"id": "h2", "first": "Thomas", "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10115"},
        {"id": "m1", "first": "Kate", "last": "Wren", "email": "kw@example.com", "zip": "73301"},
        {"id": "m2", "first": "Katherine", "last": "Wren", "phone": "+1 512 555 0100", "zip": "73301"}])
    run_match(vault)
    default = threshold_preview(vault.conn, 0.97, 0.6)
    strict = threshold_preview(vault.conn, 0.9999999, 0.6)
    assert strict["auto_merge"] < default["auto_merge"] and strict["review"] > default["review"]
    after = apply_thresholds(vault, MatchSettings(auto_threshold=0.9999999, review_threshold=0.6))
    assert after == strict
    waiting = vault.conn.execute("SELECT count(*) FROM match_pairs WHERE status = 'pending'").fetchone()[0]
    assert 0 < waiting <= strict["review"]  # pairs already joined through other links are not asked about


def test_switching_off_the_email_rule_retrains_and_ignores_emails(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", background(60) + [
        {"id": "e1", "first": "Ola", "last": "Berg", "email": "ola@example.com"},
        {"id": "e2", "first": "Ola", "last": "Berg", "email": "ola@example.com"}])
    run_match(vault)
    assert profile_of(vault, ids["e1"]) == profile_of(vault, ids["e2"])
    from c360_desktop.core.identity.records import MatchRules

    MatchSettings(rules=MatchRules(email=False)).save(vault)
    result = run_match(vault)
    assert result.retrained
    assert profile_of(vault, ids["e1"]) != profile_of(vault, ids["e2"])  # the names alone are not enough


def _household_world(vault, tmp_path):
    return import_people(vault, tmp_path, "shop", background(80) + [
        {"id": f"h{n}", "first": name, "last": "Schmidt", "email": "family.schmidt@example.de", "zip": "10115"}
        for n, name in enumerate(["Maria", "Thomas", "Lena"])])


def test_bulk_reject_below_a_score_with_count_first(vault, tmp_path):
    from c360_desktop.core.identity.review import bulk_decide, count_pending, decided_today, decision_history

    _household_world(vault, tmp_path)
    run_match(vault)
    waiting = count_pending(vault.conn)
    assert waiting >= 3
    assert bulk_decide(vault, "reject", 0.0, 1.0) == waiting
    assert count_pending(vault.conn) == 0 and decided_today(vault.conn) == waiting
    assert {d.origin for d in decision_history(vault.conn)} == {"bulk"}
    run_match(vault, full=True)
    assert count_pending(vault.conn) == 0


def test_the_preferred_value_wins_in_the_profile(vault, tmp_path):
    from c360_desktop.core.identity.review import prefer_value

    import_people(vault, tmp_path, "shop", background(60) + [ANN])
    crm = import_people(vault, tmp_path, "crm", [dict(ANN, id="c1", email="ann.work@example.com")])
    run_match(vault)
    profile = profile_of(vault, crm["c1"])
    prefer_value(vault, crm["c1"], "email")
    email, = vault.conn.execute("SELECT primary_email FROM profiles WHERE id = ?", (profile,)).fetchone()
    assert email == "ann.work@example.com"


def test_record_context_summarises_orders_and_consent(vault):
    from pathlib import Path

    from c360_desktop.core.ingest.importer import run_import
    from c360_desktop.core.ingest.plan import plan_import
    from c360_desktop.core.profiles.context import record_context

    exports = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
    for name in ("shopify_customers.csv", "shopify_orders.csv"):
        run_import(vault, plan_import(exports / name, conn=vault.conn))
    record_id, = vault.conn.execute("SELECT record_id FROM events WHERE kind = 'order' LIMIT 1").fetchone()
    context = record_context(vault.conn, record_id)
    assert context.orders >= 1 and context.total_spent and context.last_order_at


def test_a_few_dozen_decisions_visibly_change_the_suggestions(vault, tmp_path):
    """Same name and the same email name at another provider is doubtful; after the owner says "not the same"
    thirty times, the re-estimated weights give the remaining such pairs less weight: the odds fall eightfold."""
    from c360_desktop.core.identity.review import decide

    people = background(120)
    for n in range(40):
        people += [{"id": f"a{n}", "first": "Sam", "last": f"Lindqvist{n}", "email": f"samlind{n}x@example.com"},
                   {"id": f"b{n}", "first": "Sam", "last": f"Lindqvist{n}", "email": f"samlind{n}x@example.org"}]
    import_people(vault, tmp_path, "crm", people)
    run_match(vault)

    def weights():
        return dict(((a, b), w) for a, b, w in vault.conn.execute(
            "SELECT left_id, right_id, weight FROM match_pairs WHERE status = 'pending'"))

    pending = pending_pairs(vault.conn, limit=1000, order="score")
    assert len(pending) == 40
    before = weights()
    for pair in pending[:30]:
        decide(vault, pair.id, "reject")
    assert run_match(vault).retrained
    after = weights()
    assert len(after) == 10
    assert all(after[pair] < before[pair] - 3 for pair in after)


def _run_match_while(vault, meanwhile):
    """``run_match`` with ``meanwhile(other_connection)`` committed after the records were read."""
    other = vault.new_connection()
    done = []

    def progress(stage, _done, _total):
        if stage == "comparing" and not done:
            done.append(True)
            with vault.transaction(other):
                meanwhile(other)

    try:
        return run_match(vault, progress=progress)
    finally:
        vault.release_connection(other)
        assert done, "the change was not made while matching ran"


def test_a_note_saved_while_matching_runs_does_not_stop_it(vault, tmp_path):
    import_people(vault, tmp_path, "shop", background(40) + [ANN, dict(ANN, id="s2")])
    _run_match_while(vault, lambda tx: tx.execute("INSERT INTO settings(key, value) VALUES ('meanwhile', '1')"))
    assert vault.count("profile_members") == 42 and vault.count("profiles") == 41
    assert vault.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_records_removed_while_matching_runs_stop_it_before_it_writes(vault, tmp_path):
    import pytest
    from c360_desktop.core.errors import VaultChanged

    ids = import_people(vault, tmp_path, "shop", background(40) + [ANN, dict(ANN, id="s2")])
    with pytest.raises(VaultChanged):
        _run_match_while(vault, lambda tx: tx.execute("DELETE FROM source_records WHERE id = ?", (ids["s1"],)))
    assert vault.count("profile_members") == 0 and vault.count("match_pairs") == 0
    assert vault.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def _matched_in_order(tmp_path, name: str, files: list[tuple[str, list[dict]]]):
    """A vault with ``files`` imported in this order and matched: its partition by (source, tool id), and its u."""
    from c360_desktop.core.identity.model import estimate_u
    from c360_desktop.core.vault import Vault
    from tests.conftest import GOOD_PASSPHRASE

    vault, _ = Vault.create(tmp_path / f"{name}.c360", GOOD_PASSPHRASE)
    folder = tmp_path / name
    folder.mkdir()
    for file_name, people in files:
        import_people(vault, folder, file_name, people)
    run_match(vault)
    groups: dict[int, set] = {}
    for source, sid, profile_id in vault.conn.execute(
            "SELECT r.source, r.source_record_id, m.profile_id FROM source_records r"
            " JOIN profile_members m ON m.record_id = r.id"):
        groups.setdefault(profile_id, set()).add((source, sid))
    u = estimate_u(load_records(vault.conn))
    vault.close()
    return {frozenset(group) for group in groups.values()}, u


def test_profiles_do_not_depend_on_the_order_files_were_imported(tmp_path):
    shop = background(120, "s") + [ANN, {"id": "s2", "first": "Rob", "last": "Lindqvist", "zip": "94107",
                                         "city": "San Francisco", "phone": "+1 415 555 0177"}]
    crm = background(90, "c") + [
        {"id": "c1", "first": "Anne", "last": "Okonkwo", "email": "ann.okonkwo@example.org", "zip": "02134"},
        {"id": "c2", "first": "Robert", "last": "Lindqvist", "phone": "415.555.0177", "zip": "94107"},
        {"id": "c3", "first": "Ann", "last": "Okonkwo", "zip": "02134", "city": "Boston", "birth": "1984-03-07"}]
    one = _matched_in_order(tmp_path, "one", [("shop", shop), ("crm", crm)])
    other = _matched_in_order(tmp_path, "other", [("crm", crm), ("shop", shop)])
    assert one[1] == other[1]   # u from the same sample of pairs
    assert one[0] == other[0]


def test_a_couple_with_a_mans_and_a_womans_form_of_one_name_is_not_one_person(vault, tmp_path):
    couples = [("Paul", "Paula"), ("Mario", "Maria"), ("Michael", "Michelle"), ("Daniel", "Danielle")]
    people = []
    for n, (him, her) in enumerate(couples):
        for first in (him, her):
            people.append({"id": f"{first}{n}", "first": first, "last": "Meyer" + "abcd"[n], "zip": f"3050{n}",
                           "city": "Bern", "email": f"{first.lower()}.m{n}@example.ch",
                           "phone": f"+41 31 555 {n}{len(first)}{len(people):02d}"})
    ids = import_people(vault, tmp_path, "shop", background(40) + people)
    run_match(vault)
    for n, (him, her) in enumerate(couples):
        assert profile_of(vault, ids[f"{him}{n}"]) != profile_of(vault, ids[f"{her}{n}"]), (him, her)


def test_a_first_name_that_is_also_the_email_name_is_still_a_name(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", background(40) + [
        {"id": "anna", "first": "Anna", "last": "Berg", "email": "anna@bergdesign.com", "phone": "+46 8 555 0101"},
        {"id": "lars", "first": "Lars", "last": "Berg", "phone": "+46 8 555 0101"}])
    run_match(vault)
    assert profile_of(vault, ids["anna"]) != profile_of(vault, ids["lars"])
    assert load_records(vault.conn).first[-2:] == ["anna", "lars"]


def test_a_small_shops_first_file_does_not_merge_namesakes_next_door(vault, tmp_path):
    """Thirty customers give two candidate pairs: too little to teach the model that other contacts are normal."""
    people = background(26) + [
        {"id": "mg1", "first": "Maria", "last": "Garcia", "email": "maria.g@example.com", "phone": "+1 713 555 0101",
         "zip": "77002", "city": "Houston"},
        {"id": "mg2", "first": "Maria", "last": "Garcia", "email": "mgarcia88@example.net", "phone": "+1 713 555 0199",
         "zip": "77002", "city": "Houston"},
        {"id": "js1", "first": "James", "last": "Smith", "email": "jsmith@example.com", "phone": "+1 713 555 0202",
         "zip": "77002", "city": "Houston"},
        {"id": "js2", "first": "James", "last": "Smith", "email": "james.smith@example.org", "phone": "+1 713 555 0299",
         "zip": "77002", "city": "Houston"}]
    ids = import_people(vault, tmp_path, "shop", people)
    run_match(vault)
    assert profile_of(vault, ids["mg1"]) != profile_of(vault, ids["mg2"])
    assert profile_of(vault, ids["js1"]) != profile_of(vault, ids["js2"])
    pending = {frozenset((p.left_id, p.right_id)) for p in pending_pairs(vault.conn)}
    assert frozenset((ids["mg1"], ids["mg2"])) in pending


def test_a_father_and_son_named_jr_and_sr_are_two_people(vault, tmp_path):
    from c360_desktop.core.identity.records import generation

    assert [generation(n) for n in ("robert lee jr", "robert lee senior", "junior soares", "robert lee")] == \
        ["jr", "sr", "", ""]
    shop = import_people(vault, tmp_path, "shop", background(40) + [
        {"id": "jr", "first": "Robert", "last": "Lee Jr.", "email": "bobby.lee@example.net", "zip": "31201",
         "city": "Macon", "phone": "+1 478 555 0111"}])
    billing = import_people(vault, tmp_path, "billing", background(40, "other") + [   # another tool
        {"id": "sr", "first": "Robert", "last": "Lee Sr.", "email": "rlee@example.com", "zip": "31201",
         "city": "Macon", "phone": "+1 478 555 0110"}])
    run_match(vault)
    assert profile_of(vault, shop["jr"]) != profile_of(vault, billing["sr"])
    records = load_records(vault.conn)
    assert {records.last[records.position[i]] for i in (shop["jr"], billing["sr"])} == {"lee"}   # suffix apart


def test_a_jr_in_a_suffix_column_of_its_own_tells_the_son_from_the_father(vault, tmp_path):
    """Outlook's and Google's contacts keep "Jr." in a Suffix column: it is part of the name matching reads,
    and the home's landline they share does not say which of the two a plain "Robert Lee" is."""
    from c360_desktop.core.ingest.importer import run_import
    from c360_desktop.core.ingest.plan import ImportOptions, plan_import

    billing = import_people(vault, tmp_path, "billing", background(40) + [
        {"id": "sr", "first": "Robert", "last": "Lee", "email": "rlee@example.com", "zip": "31201",
         "city": "Macon", "phone": "+1 478 555 0110", "street": "12 Oak St"}])
    path = tmp_path / "contacts.csv"
    path.write_text("First Name,Last Name,Suffix,E-mail Address,Home Phone,Home Postal Code,Home City,Home Street\n"
                    "Robert,Lee,Jr.,bobby.lee@example.net,478-555-0110,31201,Macon,12 Oak St\n", encoding="utf-8")
    mapping = ["first_name", "last_name", "name_suffix", "email", "phone", "postal_code", "city", "address_line1"]
    run_import(vault, plan_import(path, ImportOptions(mapping=mapping), vault.conn))
    son, name = vault.conn.execute("SELECT id, display_name FROM source_records WHERE source = 'sheet:contacts'").fetchone()
    assert name == "Robert Lee Jr."
    run_match(vault)
    assert profile_of(vault, son) != profile_of(vault, billing["sr"])
    pending = {frozenset((p.left_id, p.right_id)): p for p in pending_pairs(vault.conn)}
    assert "Jr./Sr." in pending[frozenset((son, billing["sr"]))].reason


def test_a_jr_and_a_plain_name_on_one_landline_are_asked_about_as_father_and_son():
    from c360_desktop.core.identity.engine import ONE_GENERATION, guard_reason

    levels = [0] * 8
    levels[0], levels[1], levels[3] = 1, 1, 1   # same first and last name, same phone, nothing else known
    assert guard_reason(tuple(levels), False, False, one_generation=True) == ONE_GENERATION
    assert guard_reason(tuple(levels), False, False) is None   # without the suffix: their own number


def test_a_name_without_the_jr_of_a_namesake_next_door_waits_for_review(vault, tmp_path):
    """Plain "Robert Lee" may be the son without his suffix or the father, who rarely writes "Sr.": only his
    own email tells, and here it is the father's."""
    shop = import_people(vault, tmp_path, "shop", background(40) + [
        {"id": "jr", "first": "Robert", "last": "Lee Jr.", "email": "bobby.lee@example.net", "zip": "31201",
         "city": "Macon", "phone": "+1 478 555 0111"},
        {"id": "sr", "first": "Robert", "last": "Lee Sr.", "email": "rlee@example.com", "zip": "31201",
         "city": "Macon", "phone": "+1 478 555 0110"}])
    mailing = import_people(vault, tmp_path, "mailing", background(40, "other") + [
        {"id": "plain", "first": "Robert", "last": "Lee", "email": "rlee@example.com", "zip": "31201",
         "city": "Macon"},
        {"id": "plain2", "first": "Robert", "last": "Lee", "zip": "31201", "city": "Macon"}])
    run_match(vault)
    assert profile_of(vault, mailing["plain"]) == profile_of(vault, shop["sr"]) != profile_of(vault, shop["jr"])
    assert profile_of(vault, mailing["plain2"]) != profile_of(vault, shop["jr"])
    pending = {frozenset((p.left_id, p.right_id)): p for p in pending_pairs(vault.conn)}
    assert "Jr./Sr." in pending[frozenset((shop["jr"], mailing["plain2"]))].reason


def test_undoing_a_merge_puts_a_record_back_with_the_profile_it_was_taken_from(vault, tmp_path):
    shop = import_people(vault, tmp_path, "shop", background(40) + [
        {"id": "tom", "first": "Tom", "last": "Fairweather", "email": "tom.fw@example.com", "phone": "+1 617 555 0148",
         "zip": "02134", "city": "Boston"},
        {"id": "emily", "first": "Emily", "last": "Fairweather", "email": "emily.fw@example.net",
         "phone": "+1 617 555 0148", "zip": "02134", "city": "Boston"}])
    till = import_people(vault, tmp_path, "till", background(40, "other") + [
        {"id": "sq2", "first": "Emily", "last": "Fairweather", "phone": "+1 617 555 0148", "zip": "02134",
         "city": "Boston"}])
    run_match(vault)
    emily, tom, square = shop["emily"], shop["tom"], till["sq2"]
    assert profile_of(vault, square) == profile_of(vault, emily) != profile_of(vault, tom)
    mistake = next(p for p in pending_pairs(vault.conn) if {p.left_id, p.right_id} == {tom, square})
    decide(vault, mistake.id, "merge")
    assert profile_of(vault, square) == profile_of(vault, tom)
    held = next(p for p in pending_pairs(vault.conn) if {p.left_id, p.right_id} == {emily, square})
    assert held.reason == "joining them would put two records with different first names in one profile"
    undo_last_decision(vault)
    assert profile_of(vault, square) == profile_of(vault, emily) != profile_of(vault, tom)


def test_a_pair_that_a_merge_joined_through_other_links_cannot_be_decided_again(vault, tmp_path):
    """Merging one of a nameless record's pairs with a profile settles its pairs with the profile's other
    records; rejecting one of those from a stale queue would silently split the merge just made."""
    shop = import_people(vault, tmp_path, "shop", background(40) + [
        {"id": "s1", "first": "Sofia", "last": "Rossi", "email": "sofia.rossi@example.com", "phone": "+1 212 555 1010"}])
    desk = import_people(vault, tmp_path, "desk", background(40, "other") + [
        {"id": "s2", "first": "Sofia", "last": "Rossi", "email": "sofia.rossi@example.com", "phone": "+1 212 555 1010"}])
    mail = import_people(vault, tmp_path, "mail", [{"id": "m", "email": "sofia.rossi@example.org"}])
    MatchSettings(auto_threshold=0.9999999, review_threshold=0.05).save(vault)
    run_match(vault)
    assert profile_of(vault, shop["s1"]) == profile_of(vault, desk["s2"])
    waiting = {frozenset((p.left_id, p.right_id)): p.id for p in pending_pairs(vault.conn, limit=1000)}
    first, second = waiting[frozenset((shop["s1"], mail["m"]))], waiting[frozenset((desk["s2"], mail["m"]))]
    decide(vault, first, "merge")
    assert profile_of(vault, mail["m"]) == profile_of(vault, shop["s1"])
    with pytest.raises(ReviewError, match="no longer waits"):
        decide(vault, second, "reject")
    assert profile_of(vault, mail["m"]) == profile_of(vault, shop["s1"])


def test_a_bulk_merge_leaves_out_the_pairs_a_guard_holds(vault, tmp_path):
    """Tom and Emily score 99 % (same surname, phone, street) but their first names differ: only a person
    decides such a pair, one at a time."""
    from c360_desktop.core.identity.review import bulk_decide, count_pending

    shop = import_people(vault, tmp_path, "shop", background(40) + [
        {"id": "tom", "first": "Tom", "last": "Fairweather", "email": "tom.fw@example.com", "phone": "+1 617 555 0148",
         "zip": "02134", "city": "Boston"},
        {"id": "emily", "first": "Emily", "last": "Fairweather", "email": "emily.fw@example.net",
         "phone": "+1 617 555 0148", "zip": "02134", "city": "Boston"}])
    run_match(vault)
    assert count_pending(vault.conn, 0.9, 1.0, held=True) >= 1
    bulk_decide(vault, "merge", 0.0, 1.0)
    assert profile_of(vault, shop["tom"]) != profile_of(vault, shop["emily"])
    assert count_pending(vault.conn, 0.0, 1.0, held=False) == 0 and count_pending(vault.conn, held=True) >= 1


def test_not_the_same_person_keeps_the_two_profiles_apart_and_one_undo_takes_it_back(vault, tmp_path):
    """Tom and Emily share a landline and an address in three tools: nine pairs, one question."""
    from c360_desktop.core.identity.review import count_pending, decision_history

    tom = {"first": "Tom", "last": "Fairweather", "phone": "+1 617 555 0148", "zip": "02134", "city": "Boston"}
    emily = dict(tom, first="Emily")
    ids = {}
    for tool in ("shop", "till", "desk"):
        found = import_people(vault, tmp_path, tool, background(30, tool) + [
            dict(tom, id="t", email=f"tom@{tool}.example.com"), dict(emily, id="e", email=f"emily@{tool}.example.net")])
        ids[tool] = (found["t"], found["e"])
    run_match(vault)
    toms, emilys = {profile_of(vault, t) for t, _ in ids.values()}, {profile_of(vault, e) for _, e in ids.values()}
    assert len(toms) == len(emilys) == 1 and toms != emilys
    waiting = count_pending(vault.conn)
    pair = next(p for p in pending_pairs(vault.conn, limit=100) if {p.left_id, p.right_id} == set(ids["shop"]))
    decide(vault, pair.id, "reject")
    assert count_pending(vault.conn) == waiting - 9   # every Tom ~ Emily pair, not just the one answered
    [summary] = decision_history(vault.conn)
    assert summary.follow_ons == 8
    undo_last_decision(vault)
    assert count_pending(vault.conn) == waiting and decision_history(vault.conn)[0].undone_at
