"""How far a set of activities has come, and how it is going: the roll-up from
activities to an objective, to the workplan and to each lead agency.

Pure functions over data already in memory (prefetched activities, or rows
read with `values()`): they never query, so a page costs the same with 10
activities or 500.

The rules, as the monitoring page states them:

- **Percent complete** is the weighted mean of the activities' percent
  complete, each weighing its `weight` (1 by default, so equal shares). A
  completed activity counts as 100 % whatever its last figure said.
- **Status**:
  - *not started* when there are no activities, or none has started;
  - *completed* only when every activity is completed;
  - *delayed* when delayed activities carry at least a quarter of the weight
    (`DELAYED_SHARE`);
  - *at risk* when any activity is delayed or at risk (a small delay flags
    the whole as at risk without painting it red);
  - *on track* otherwise.
- **Per lead agency**: each agency's roll-up is over the activities it leads;
  an activity led jointly counts in full for each of its leads.
- **Overdue**: the end date has passed and the activity is not completed. It is
  counted beside the status, not folded into it: the status is what the
  agencies reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from .models import ActivityStatus

DELAYED_SHARE = Decimal("0.25")
STATUS_ORDER = (
    ActivityStatus.NOT_STARTED,
    ActivityStatus.ON_TRACK,
    ActivityStatus.AT_RISK,
    ActivityStatus.DELAYED,
    ActivityStatus.COMPLETED,
)


class ActivityLike(Protocol):
    weight: Decimal
    percent_complete: int
    status: str
    end: date


@dataclass
class Rollup:
    """The roll-up of a set of activities."""

    count: int = 0
    weight: Decimal = Decimal("0")
    percent: float = 0.0
    status: str = ActivityStatus.NOT_STARTED
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return ActivityStatus(self.status).label

    @property
    def percent_int(self) -> int:
        """For a bar's width: never 100 before everything is completed."""
        value = int(self.percent + 0.5)
        if value == 100 and self.status != ActivityStatus.COMPLETED:
            return 99
        return value

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the scale, non-zero only."""
        return [
            (s.value, s.label, self.by_status[s]) for s in STATUS_ORDER if self.by_status.get(s)
        ]


def is_overdue(activity: ActivityLike, today: date) -> bool:
    return activity.end < today and activity.status != ActivityStatus.COMPLETED


def effective_percent(activity: ActivityLike) -> int:
    if activity.status == ActivityStatus.COMPLETED:
        return 100
    return max(0, min(100, int(activity.percent_complete or 0)))


def rollup_status(shares: dict[str, Decimal]) -> str:
    """The status of a whole, from the weight each status carries (the rule
    in the module's docstring)."""
    total = sum(shares.values(), Decimal("0"))
    if total <= 0:
        return ActivityStatus.NOT_STARTED
    completed = shares.get(ActivityStatus.COMPLETED, Decimal("0"))
    not_started = shares.get(ActivityStatus.NOT_STARTED, Decimal("0"))
    delayed = shares.get(ActivityStatus.DELAYED, Decimal("0"))
    at_risk = shares.get(ActivityStatus.AT_RISK, Decimal("0"))
    if completed == total:
        return ActivityStatus.COMPLETED
    if not_started == total:
        return ActivityStatus.NOT_STARTED
    if delayed / total >= DELAYED_SHARE:
        return ActivityStatus.DELAYED
    if delayed or at_risk:
        return ActivityStatus.AT_RISK
    return ActivityStatus.ON_TRACK


def rollup(activities: Iterable[ActivityLike], today: date) -> Rollup:
    """The weighted roll-up of these activities."""
    result = Rollup()
    shares: dict[str, Decimal] = {}
    weighted = Decimal("0")
    for activity in activities:
        weight = Decimal(activity.weight) if activity.weight else Decimal("1")
        result.count += 1
        result.weight += weight
        weighted += weight * effective_percent(activity)
        shares[activity.status] = shares.get(activity.status, Decimal("0")) + weight
        result.by_status[activity.status] = result.by_status.get(activity.status, 0) + 1
        if is_overdue(activity, today):
            result.overdue += 1
    if result.weight:
        result.percent = round(float(weighted / result.weight), 1)
    result.status = rollup_status(shares)
    return result


def rollup_by(
    activities: Iterable[Any],
    key: Callable[[Any], Iterable[Any]],
    today: date,
) -> dict[Any, Rollup]:
    """One roll-up per key; `key` gives the keys an activity counts under
    (an activity with two keys counts in full under each)."""
    groups: dict[Any, list[Any]] = {}
    for activity in activities:
        for k in key(activity):
            groups.setdefault(k, []).append(activity)
    return {k: rollup(group, today) for k, group in groups.items()}


def prefetched_leads(activity) -> list:
    """The lead organizations of an activity, from its prefetch cache."""
    return list(activity.lead_organizations.all())


def by_lead(
    activities: Iterable[Any], today: date, leads: Callable[[Any], Iterable[Any]] = prefetched_leads
) -> list[tuple[Any, Rollup]]:
    """(lead organization, roll-up of the activities it leads), by acronym."""
    rolled = rollup_by(activities, leads, today)
    return sorted(rolled.items(), key=lambda pair: str(getattr(pair[0], "acronym", pair[0])))
