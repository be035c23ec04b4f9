"""Cases of the past (type, received, status changes with dates, closed, team),
written through cases' bulk variant."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from willkommen.accounts.models import Team
from willkommen.cases import services as cases
from willkommen.cases.models import Case, CaseType, Phase
from willkommen.cases.services import PastCase
from willkommen.core.states import TransitionNotAllowed
from willkommen.imports import fields
from willkommen.imports.fields import RowError
from willkommen.imports.kinds import Parsed


class CaseRows:
    model = Case
    required = ("case_type", "received")
    optional = ("reference", "statuses", "closed", "team", "permit_expires_on")

    def __init__(self, actor):
        self.actor = actor
        self.tz = ZoneInfo(settings.OFFICE_TIME_ZONE)
        self.case_types = {ct.service.slug: ct for ct in CaseType.objects.select_related("service")}
        self.statuses = {
            ct.pk: list(ct.statuses.order_by("position")) for ct in self.case_types.values()
        }
        self.teams = {team.slug: team for team in Team.objects.all()}
        self.references: set[str] = set()

    def parse(self, row) -> Parsed:
        values = row.values
        case_type = fields.known(self.case_types, fields.required(values, "case_type"), "case_type")
        statuses = self.statuses[case_type.pk]
        if not statuses:
            raise RowError(_("The case type has no statuses."))
        by_code = {s.code: s for s in statuses}
        received = fields.moment(values, "received", self.tz)
        changes = [(statuses[0], received)]
        for code, when in fields.pairs(values.get("statuses", ""), "statuses", "@"):
            status = fields.known(by_code, code, "statuses")
            changes.append((status, fields.moment({"statuses": when}, "statuses", self.tz)))
        closed = fields.moment(values, "closed", self.tz, optional=True)
        if closed and changes[-1][0].phase != Phase.CLOSED:
            closing = next((s for s in statuses if s.phase == Phase.CLOSED), None)
            changes.append((closing, closed))
        team = case_type.service.team
        if values.get("team"):
            team = fields.known(self.teams, values["team"], "team")
        if team is None:
            raise RowError(_("“team” is empty and the case type's service has no team."))
        reference = self._reference(values.get("reference", ""))
        case = Case(
            reference=reference,
            case_type=case_type,
            team=team,
            opened_at=received,
            permit_expires_on=fields.day(values, "permit_expires_on", optional=True),
            source="import",
        )
        entry = PastCase(case, changes, self.actor)
        try:
            cases.check_past_case(entry, statuses)
        except TransitionNotAllowed as error:
            raise RowError(str(error.message)) from None
        except cases.CaseError as error:
            raise RowError(str(error)) from None
        return Parsed(row.line, entry, reference)

    def _reference(self, reference: str) -> str:
        """The old file number is kept when it fits and is free; empty: a new one."""
        if not reference:
            return ""
        if len(reference) > 20:
            raise RowError(_("“reference” is longer than 20 characters."))
        if reference in self.references or Case.objects.filter(reference=reference).exists():
            raise RowError(_("A case with this reference exists already."))
        self.references.add(reference)
        return reference

    def write(self, parsed: list[Parsed]) -> list[Case]:
        cases.record_past_cases([p.entry for p in parsed])
        return [p.entry.case for p in parsed]

    def remove(self, rows) -> int:
        return cases.remove_past_cases(rows)
