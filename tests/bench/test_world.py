"""benchmarks/world.py: the synthetic world is deterministic, complete, and in the presets' layouts."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict

import pytest

from benchmarks.world import email_key, generate_world, people_for_records, read_table, typo


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("world")
    return generate_world(folder, people=400, seed=7)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.name != "world.json"}


def test_same_seed_same_bytes(world, tmp_path):
    again = generate_world(tmp_path / "again", people=400, seed=7)
    assert _digest(tmp_path / "again") == _digest(world.ground_truth.parent)
    assert again.files == world.files
    other = generate_world(tmp_path / "other", people=400, seed=8)
    assert _digest(tmp_path / "other") != _digest(tmp_path / "again")
    assert other.people == 400


def test_ground_truth_covers_every_data_row(world):
    with open(world.ground_truth, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["file", "row", "person_id", "linkable", "link_group"]
        truth = list(reader)
    rows_by_file = defaultdict(set)
    for t in truth:
        rows_by_file[t["file"]].add(int(t["row"]))
        assert t["linkable"] in ("0", "1")
        assert t["link_group"].startswith(t["person_id"] + ".")
    assert len(truth) == world.records == sum(world.files.values())
    for name, count in world.files.items():
        assert count > 0, name
        assert sum(1 for _ in read_table(world.ground_truth.parent / name)) == count
        assert rows_by_file[name] == set(range(1, count + 1)), name
    # a row alone in its link group is the unlinkable one
    group_sizes = Counter(t["link_group"] for t in truth)
    assert all((group_sizes[t["link_group"]] > 1) == (t["linkable"] == "1") for t in truth)
    assert len({t["person_id"] for t in truth}) <= world.people


def test_every_file_is_detected_as_its_preset(world):
    from c360_desktop.core.ingest.presets import detect_preset

    for name, preset in world.presets.items():
        path = world.ground_truth.parent / name
        if name.endswith(".csv"):
            with open(path, newline="", encoding="utf-8") as handle:
                header = next(csv.reader(handle))
        else:
            header = list(next(read_table(path)).keys())
        detection = detect_preset(header, name)
        assert detection.preset is not None and detection.preset.name == preset, (name, detection.candidates)


def test_hard_negatives_and_corruption_are_there(world):
    assert world.households > 0 and world.household_people >= 2 * world.households
    assert world.namesakes > 0
    assert 0 < world.linkable_pairs < world.true_pairs
    assert world.unlinkable_rows > 0
    payments = list(read_table(world.ground_truth.parent / "stripe_payments.csv"))
    customers = {row["id"] for row in read_table(world.ground_truth.parent / "stripe_customers.csv")}
    referenced = {row["Customer ID"] for row in payments if row["Customer ID"]}
    assert referenced and referenced <= customers
    orders = list(read_table(world.ground_truth.parent / "shopify_orders.csv"))
    assert any(not row["Id"] and row["Lineitem name"] for row in orders)  # continuation lines of multi-line orders


def test_helpers():
    assert email_key(" John.Smith+shop@GoogleMail.com ") == "johnsmith@gmail.com"
    assert email_key("a.b+x@example.org") == "a.b@example.org"
    assert email_key("") is None
    import random

    rng = random.Random(1)
    for word in ("Robert", "Li", "Østergaard"):
        changed = typo(word, rng)
        assert changed != word and changed[0] == word[0]
    assert people_for_records(1_000_000) > people_for_records(10_000) > 0
