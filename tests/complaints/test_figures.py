"""The figures: counts by category and team with the suppression rule, share, median, praise."""

import pytest

from willkommen.complaints import figures, services
from willkommen.complaints.services import Links
from willkommen.core import clock, disclosure

pytestmark = pytest.mark.django_db


def make(team, category, count):
    for _n in range(count):
        services.record_for_caller(
            actor=None, category=category, message="m", language="de", links=Links(), team=team
        )


def test_small_counts_are_withheld_and_cannot_be_recomputed(teams):
    make(teams[0], "waiting_time", 6)
    make(teams[1], "waiting_time", 2)
    make(teams[1], "praise", 7)
    today = clock.office_today()
    result = figures.complaint_figures(today, today)
    one, two = teams[0].pk, teams[1].pk
    assert result.counts[("waiting_time", two)] == 2
    assert result.cells[("waiting_time", two)] == disclosure.SMALL
    assert result.cells[("waiting_time", figures.TOTAL)] in {disclosure.WITHHELD, "8"}
    # No "< 5" may be narrowed down from what is shown.
    withheld = {
        k: disclosure.PRIMARY if v == disclosure.SMALL else disclosure.SECONDARY
        for k, v in result.cells.items() if v in {disclosure.SMALL, disclosure.WITHHELD}
    }  # fmt: skip
    totals = [
        disclosure.Total((r, figures.TOTAL), ((r, one), (r, two)))
        for r in [*result.categories, figures.TOTAL]
    ]
    assert not disclosure.exposed(result.counts, withheld, totals)
    assert result.praise == "7"
    assert result.answered_in_time.suppressed and result.median_days_to_answer.suppressed
