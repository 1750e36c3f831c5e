"""Clustering quality against a ground truth: pairwise and B-cubed precision, recall and F1.

Pure Python and linear in the number of items: every score comes from the contingency table
(how many items each predicted cluster shares with each true cluster), never from enumerating pairs,
so a million records cost a Counter of at most a million cells.

A clustering is given as one label per item, aligned with the truth labels (any hashable values).
Items a method left unclustered should get a label of their own (a singleton), e.g. ``("row", i)``.

Conventions for empty cases: precision is 1.0 when nothing was merged (no false merge was made),
recall is 1.0 when there was nothing to find; F1 is 0.0 when precision + recall is 0.
"""

from __future__ import annotations

from collections import Counter
from typing import Hashable, Iterable, Sequence


def pairs(n: int) -> int:
    """Unordered pairs among n items."""
    return n * (n - 1) // 2


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(num: float, den: float) -> float:
    return 1.0 if den == 0 else num / den


def contingency(predicted: Iterable[Hashable], truth: Iterable[Hashable]) -> tuple[Counter, Counter, Counter, int]:
    """(cells, predicted cluster sizes, true cluster sizes, items) of two aligned labelings."""
    cells: Counter = Counter(zip(predicted, truth))
    pred_sizes: Counter = Counter()
    true_sizes: Counter = Counter()
    items = 0
    for (p, t), n in cells.items():
        pred_sizes[p] += n
        true_sizes[t] += n
        items += n
    return cells, pred_sizes, true_sizes, items


def pairwise_scores(predicted: Sequence[Hashable], truth: Sequence[Hashable],
                    groups: Sequence[Hashable] | None = None) -> dict:
    """Pairwise precision, recall and F1: a pair counts as found when both items share a predicted cluster.

    ``groups`` (optional, aligned, each group inside one true cluster) are the pairs evidence can connect:
    recall_linkable = found pairs inside a group / pairs inside groups, and f1_linkable uses it with the
    same precision (precision is always measured against the full truth).
    """
    _check_aligned(predicted, truth, groups)
    cells, pred_sizes, true_sizes, items = contingency(predicted, truth)
    true_positive = sum(pairs(n) for n in cells.values())
    predicted_pairs = sum(pairs(n) for n in pred_sizes.values())
    true_pairs = sum(pairs(n) for n in true_sizes.values())
    precision = _ratio(true_positive, predicted_pairs)
    recall = _ratio(true_positive, true_pairs)
    result = {
        "items": items, "predicted_clusters": len(pred_sizes), "true_clusters": len(true_sizes),
        "true_positive_pairs": true_positive, "predicted_pairs": predicted_pairs, "true_pairs": true_pairs,
        "false_positive_pairs": predicted_pairs - true_positive, "false_negative_pairs": true_pairs - true_positive,
        "precision": precision, "recall": recall, "f1": f1(precision, recall),
    }
    if groups is not None:
        group_cells, _, group_sizes, _ = contingency(predicted, groups)
        found = sum(pairs(n) for n in group_cells.values())
        linkable_pairs = sum(pairs(n) for n in group_sizes.values())
        recall_linkable = _ratio(found, linkable_pairs)
        result.update({"linkable_pairs": linkable_pairs, "true_positive_linkable_pairs": found,
                       "recall_linkable": recall_linkable, "f1_linkable": f1(precision, recall_linkable)})
    return result


def bcubed_scores(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> dict:
    """B-cubed: per item, the share of its predicted cluster that is truly its own (precision) and the share
    of its true cluster that it was put with (recall), averaged over items."""
    _check_aligned(predicted, truth, None)
    cells, pred_sizes, true_sizes, items = contingency(predicted, truth)
    if items == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    precision = sum(n * n / pred_sizes[p] for (p, _), n in cells.items()) / items
    recall = sum(n * n / true_sizes[t] for (_, t), n in cells.items()) / items
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def false_merge_clusters(predicted: Sequence[Hashable], truth: Sequence[Hashable], top: int = 5) -> list[dict]:
    """The predicted clusters holding the most false pairs: where over-merging (chaining, shared ids) happened."""
    cells, pred_sizes, _, _ = contingency(predicted, truth)
    persons: Counter = Counter()
    inside: Counter = Counter()
    for (p, _), n in cells.items():
        persons[p] += 1
        inside[p] += pairs(n)
    false = [(pairs(size) - inside[p], p) for p, size in pred_sizes.items() if persons[p] > 1]
    false.sort(key=lambda item: (-item[0], str(item[1])))
    return [{"cluster": str(p), "size": pred_sizes[p], "people": persons[p], "false_pairs": f} for f, p in false[:top]]


def evaluate(predicted: Sequence[Hashable], truth: Sequence[Hashable],
             groups: Sequence[Hashable] | None = None) -> dict:
    """Both families of scores: {"pairwise": {...}, "bcubed": {...}}."""
    return {"pairwise": pairwise_scores(predicted, truth, groups), "bcubed": bcubed_scores(predicted, truth)}


def _check_aligned(predicted, truth, groups) -> None:
    if len(predicted) != len(truth) or (groups is not None and len(groups) != len(truth)):
        raise ValueError("predicted, truth (and groups) must give one label per item, in the same order")
