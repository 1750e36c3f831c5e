"""benchmarks/metrics.py: pairwise and B-cubed scores on small hand-computed examples."""

from __future__ import annotations

import itertools
import random

import pytest

from benchmarks.metrics import bcubed_scores, evaluate, f1, false_merge_clusters, pairs, pairwise_scores

TRUTH = [1, 1, 1, 2, 2]           # a b c | d e
PRED = ["x", "x", "y", "y", "y"]  # a b | c d e


def test_pairs_and_f1():
    assert [pairs(n) for n in range(5)] == [0, 0, 1, 3, 6]
    assert f1(0.5, 1.0) == pytest.approx(2 / 3)
    assert f1(0.0, 0.0) == 0.0


def test_pairwise_hand_computed():
    # true pairs: ab ac bc de = 4; predicted pairs: ab cd ce de = 4; found: ab de = 2
    s = pairwise_scores(PRED, TRUTH)
    assert (s["true_pairs"], s["predicted_pairs"], s["true_positive_pairs"]) == (4, 4, 2)
    assert (s["false_positive_pairs"], s["false_negative_pairs"]) == (2, 2)
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(0.5)
    assert (s["items"], s["predicted_clusters"], s["true_clusters"]) == (5, 2, 2)


def test_bcubed_hand_computed():
    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> 11/3 / 5
    # recall per item:    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> 11/3 / 5
    s = bcubed_scores(PRED, TRUTH)
    assert s["precision"] == pytest.approx(11 / 15)
    assert s["recall"] == pytest.approx(11 / 15)
    assert s["f1"] == pytest.approx(11 / 15)


def test_everything_apart_and_everything_together():
    apart = pairwise_scores(list(range(5)), TRUTH)
    assert (apart["precision"], apart["recall"], apart["f1"]) == (1.0, 0.0, 0.0)
    b = bcubed_scores(list(range(5)), TRUTH)
    assert b["precision"] == 1.0
    assert b["recall"] == pytest.approx((3 * (1 / 3) + 2 * (1 / 2)) / 5)  # 0.4

    together = pairwise_scores(["all"] * 4, [1, 1, 2, 2])
    assert together["predicted_pairs"] == 6 and together["true_positive_pairs"] == 2
    assert together["precision"] == pytest.approx(1 / 3)
    assert together["recall"] == 1.0
    assert together["f1"] == pytest.approx(0.5)
    b = bcubed_scores(["all"] * 4, [1, 1, 2, 2])
    assert (b["precision"], b["recall"]) == (pytest.approx(0.5), 1.0)


def test_perfect_and_empty():
    s = evaluate(["p", "p", "q"], ["t", "t", "u"])
    assert s["pairwise"]["f1"] == 1.0 and s["bcubed"]["f1"] == 1.0
    e = evaluate([], [])
    assert e["pairwise"]["precision"] == 1.0 and e["pairwise"]["recall"] == 1.0
    assert e["bcubed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_recall_against_linkable_pairs():
    # person 1's row c carries no evidence linking it to a and b: its own link group
    groups = ["1a", "1a", "1b", "2a", "2a"]
    s = pairwise_scores(PRED, TRUTH, groups)
    assert s["linkable_pairs"] == 2                 # ab, de
    assert s["true_positive_linkable_pairs"] == 2   # both found
    assert s["recall_linkable"] == 1.0
    assert s["recall"] == pytest.approx(0.5)        # against all true pairs
    assert s["f1_linkable"] == pytest.approx(2 * 0.5 * 1.0 / 1.5)


def test_misaligned_labels_are_refused():
    with pytest.raises(ValueError):
        pairwise_scores([1, 2], [1])
    with pytest.raises(ValueError):
        pairwise_scores([1, 2], [1, 1], groups=[1])
    with pytest.raises(ValueError):
        bcubed_scores([1], [])


@pytest.mark.parametrize("seed", range(20))
def test_matches_brute_force_on_random_labelings(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 40)
    truth = [rng.randint(0, 8) for _ in range(n)]
    predicted = [rng.choice("abcdefg") for _ in range(n)]
    same_t = {(i, j) for i, j in itertools.combinations(range(n), 2) if truth[i] == truth[j]}
    same_p = {(i, j) for i, j in itertools.combinations(range(n), 2) if predicted[i] == predicted[j]}
    s = pairwise_scores(predicted, truth)
    assert s["true_pairs"] == len(same_t)
    assert s["predicted_pairs"] == len(same_p)
    assert s["true_positive_pairs"] == len(same_t & same_p)
    if n:
        prec = sum(sum(1 for j in range(n) if predicted[j] == predicted[i] and truth[j] == truth[i])
                   / sum(1 for j in range(n) if predicted[j] == predicted[i]) for i in range(n)) / n
        rec = sum(sum(1 for j in range(n) if predicted[j] == predicted[i] and truth[j] == truth[i])
                  / sum(1 for j in range(n) if truth[j] == truth[i]) for i in range(n)) / n
        b = bcubed_scores(predicted, truth)
        assert b["precision"] == pytest.approx(prec)
        assert b["recall"] == pytest.approx(rec)


def test_false_merge_clusters():
    # cluster y holds c (person 1) and d, e (person 2): 3 pairs, 1 true (de) -> 2 false; x is pure
    assert false_merge_clusters(PRED, TRUTH) == [{"cluster": "y", "size": 3, "people": 2, "false_pairs": 2}]
    assert false_merge_clusters(["a"] * 4, [1, 2, 3, 4], top=1)[0]["false_pairs"] == 6
    assert false_merge_clusters([1, 2], [1, 1]) == []
