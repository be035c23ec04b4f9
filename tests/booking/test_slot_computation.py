"""Slot computation against opening rules, closures and holidays (hypothesis), DST days included."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from willkommen.booking import capacity
from willkommen.booking.models import Channel

BERLIN = ZoneInfo("Europe/Berlin")
SPRING_FORWARD = date(2027, 3, 28)  # 02:00 → 03:00
FALL_BACK = date(2027, 10, 31)  # 03:00 → 02:00


def rule(**overrides):
    values = {
        "team_id": None,
        "weekdays": frozenset(range(7)),
        "start_time": time(8, 0),
        "end_time": time(12, 0),
        "valid_from": date(2027, 1, 1),
        "valid_until": None,
        "every_n_weeks": 1,
        "slot_minutes": 15,
        "capacities": ((Channel.ONLINE, 2), (Channel.STAFF, 1), (Channel.EMERGENCY, 0)),
        "open_on_holidays": False,
    }
    values.update(overrides)
    return capacity.RuleSpec(**values)


rules = st.builds(
    lambda weekdays, start_minute, length, slot, weeks, online: rule(
        weekdays=frozenset(weekdays),
        start_time=time(start_minute // 60, start_minute % 60),
        end_time=time((start_minute + length) // 60, (start_minute + length) % 60),
        slot_minutes=slot,
        every_n_weeks=weeks,
        capacities=((Channel.ONLINE, online), (Channel.STAFF, 1), (Channel.EMERGENCY, 1)),
    ),
    st.sets(st.integers(0, 6), min_size=1),
    st.integers(0, 12 * 60),  # start between 00:00 and 12:00
    st.integers(5, 11 * 60),  # open up to 11 hours
    st.sampled_from([5, 10, 15, 20, 30, 45, 60]),
    st.integers(1, 3),
    st.integers(0, 5),
)
days = st.dates(date(2027, 1, 1), date(2028, 12, 31)) | st.sampled_from([SPRING_FORWARD, FALL_BACK])


def clock_changes(day: date) -> bool:
    """Whether Berlin's clocks change on ``day`` (any year's, not only the two above)."""
    midnight = datetime.combine(day, time(0), tzinfo=BERLIN)
    following = datetime.combine(day + timedelta(days=1), time(0), tzinfo=BERLIN)
    return midnight.utcoffset() != following.utcoffset()


@settings(max_examples=300, deadline=None)
@given(rule_=rules, day=days, holiday=st.booleans(), closed=st.booleans())
def test_slots_lie_within_the_rule_and_never_on_closed_days(rule_, day, holiday, closed):
    slots = capacity.slots_of_day([rule_], day, BERLIN, holiday=holiday, closed=closed)
    applies = rule_.applies_on(day, holiday) and not closed
    if not applies:
        assert slots == []
        return
    opening = datetime.combine(day, rule_.start_time, tzinfo=BERLIN)
    closing = datetime.combine(day, rule_.end_time, tzinfo=BERLIN)
    for slot in slots:
        start_local, end_local = slot.starts_at.astimezone(BERLIN), slot.ends_at.astimezone(BERLIN)
        assert start_local.date() == day
        # Wall-clock times stay inside the opening hours, whatever the clock change does.
        assert opening.time() <= start_local.time() and end_local.time() <= closing.time()
        assert slot.starts_at.tzinfo is not None and slot.starts_at.utcoffset() == timedelta(0)
        assert slot.capacities[Channel.ONLINE] == dict(rule_.capacities)[Channel.ONLINE]
    starts = [slot.starts_at for slot in slots]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    if not clock_changes(day):
        length = timedelta(minutes=rule_.slot_minutes)
        assert all(slot.ends_at - slot.starts_at == length for slot in slots)
        whole = (closing - opening) // length
        assert len(slots) == whole


@settings(max_examples=200, deadline=None)
@given(rule_=rules, day=days)
def test_repetition_every_n_weeks(rule_, day):
    if rule_.applies_on(day, False):
        assert day.weekday() in rule_.weekdays
        first_monday = rule_.valid_from - timedelta(days=rule_.valid_from.weekday())
        assert ((day - first_monday).days // 7) % rule_.every_n_weeks == 0
    later = day + timedelta(weeks=rule_.every_n_weeks)
    if rule_.applies_on(day, False):
        assert rule_.applies_on(later, False)


def test_the_clock_changes_of_every_year_are_known_as_such():
    # 2028's were once not: a night rule on 2028-03-26 failed the property above.
    changes = [SPRING_FORWARD, FALL_BACK, date(2028, 3, 26), date(2028, 10, 29)]
    assert all(clock_changes(day) for day in changes)
    assert not any(clock_changes(day) for day in (date(2028, 3, 25), date(2028, 3, 27)))


def test_spring_forward_day_skips_the_missing_hour():
    night = rule(start_time=time(1, 0), end_time=time(4, 0), slot_minutes=30)
    slots = capacity.slots_of_day([night], SPRING_FORWARD, BERLIN, holiday=False, closed=False)
    local_starts = [slot.starts_at.astimezone(BERLIN).strftime("%H:%M") for slot in slots]
    # 02:00–02:59 does not exist that night; 01:30–02:00 ends in the gap and is left out too.
    assert local_starts == ["01:00", "03:00", "03:30"]
    assert all(slot.ends_at - slot.starts_at == timedelta(minutes=30) for slot in slots)


def test_fall_back_day_office_hours_are_normal_and_in_winter_time():
    slots = capacity.slots_of_day([rule()], FALL_BACK, BERLIN, holiday=False, closed=False)
    assert len(slots) == 16
    assert slots[0].starts_at == datetime(2027, 10, 31, 7, 0, tzinfo=UTC)  # 08:00 CET


def test_summer_and_winter_offsets():
    summer = capacity.slots_of_day([rule()], date(2027, 7, 1), BERLIN, holiday=False, closed=False)
    winter = capacity.slots_of_day([rule()], date(2027, 12, 1), BERLIN, holiday=False, closed=False)
    assert summer[0].starts_at == datetime(2027, 7, 1, 6, 0, tzinfo=UTC)
    assert winter[0].starts_at == datetime(2027, 12, 1, 7, 0, tzinfo=UTC)


def test_holidays_of_the_land():
    assert capacity.is_holiday("BY", date(2027, 1, 6))  # Heilige Drei Könige in Bavaria
    assert not capacity.is_holiday("BE", date(2027, 1, 6))
    assert capacity.is_holiday("BE", date(2027, 3, 8))  # Frauentag in Berlin
    slots = capacity.slots_of_day(
        [rule()], date(2027, 1, 6), BERLIN, holiday=capacity.is_holiday("BY", date(2027, 1, 6)),
        closed=False,
    )  # fmt: skip
    assert slots == []
    special = rule(open_on_holidays=True)
    assert capacity.slots_of_day([special], date(2027, 1, 6), BERLIN, holiday=True, closed=False)


def test_overlapping_rules_add_capacity():
    slots = capacity.slots_of_day(
        [rule(), rule()], date(2027, 3, 10), BERLIN, holiday=False, closed=False
    )
    assert len(slots) == 16 and slots[0].capacities[Channel.ONLINE] == 4


@given(st.integers(0, 200), st.lists(st.integers(1, 100), min_size=1, max_size=4))
def test_stage_split_adds_up(capacity_, raw):
    total = sum(raw)
    shares = [share * 100 // total for share in raw]
    shares[-1] += 100 - sum(shares)
    parts = capacity.split_by_stages(capacity_, shares)
    assert sum(parts) == capacity_ and all(part >= 0 for part in parts)


def test_release_instants_are_staggered():
    instants = capacity.release_instants(date(2027, 5, 10), BERLIN, 60, [time(7), time(14)])
    assert instants == [
        datetime(2027, 3, 11, 6, 0, tzinfo=UTC),
        datetime(2027, 3, 11, 13, 0, tzinfo=UTC),
    ]
