def moved(ids: list[int], move: str) -> list[int]:
    """The order after moving one id up or down ("12:up"), as the up/down
    buttons of an ordered list send it; ValueError on anything else."""
    raw_id, _sep, direction = move.partition(":")
    item_id = int(raw_id)
    if direction not in ("up", "down") or item_id not in ids:
        raise ValueError(move)
    ids = list(ids)
    index = ids.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    return ids
