"""The order of a JSON family's keys: one order every member's entries fit, and where they fall."""

from __future__ import annotations

from collections import Counter

from repetend.templates.json.layout import MAX_KEYS


def merged_order(key_lists: list[list[str]]) -> tuple[list[str], list[dict[int, int]]] | None:
    """One order of the keys of every member, and where each member's entries fall in it.

    Each member is matched to the order so far by their longest common
    subsequence; its other keys are inserted where it has them. A key two
    members write in different places is in the order twice. The places map
    a position of the order to the index of the member's entry there.
    """
    if max(map(len, key_lists)) > MAX_KEYS:
        return None
    weights = Counter(key for keys in key_lists for key in set(keys))
    order: list[str] = []
    placed: list[list[int]] = []  # per member: the position of each of its entries
    for keys in key_lists:
        matched = dict(_common(order, keys, weights))  # entry index -> position
        mine: list[int] = []
        for index, key in enumerate(keys):
            if index not in matched:
                at = mine[-1] + 1 if mine else 0
                order.insert(at, key)
                placed = [[p + (p >= at) for p in member] for member in placed]
                matched = {i: p + (p >= at) for i, p in matched.items()}
                matched[index] = at
            mine.append(matched[index])
        placed.append(mine)
    return order, [{p: i for i, p in enumerate(member)} for member in placed]


def _common(order: list[str], keys: list[str], weights: Counter[str]) -> list[tuple[int, int]]:
    """(key index, order position) of the common subsequence of the two with most weight.

    A key weighs as many members as have it: where a member has `creator`
    before `description` and the others after, `description` (which all
    have) keeps its place and the rarer `creator` is the one written twice.
    """
    lengths = [[0] * (len(keys) + 1) for _ in range(len(order) + 1)]
    for i in range(len(order) - 1, -1, -1):
        for j in range(len(keys) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + weights[keys[j]]
                if order[i] == keys[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    pairs, i, j = [], 0, 0
    while i < len(order) and j < len(keys):
        if order[i] == keys[j] and lengths[i][j] == lengths[i + 1][j + 1] + weights[keys[j]]:
            pairs.append((j, i))
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs
