"""Interim certificates (Fiktionsbescheinigungen) issued on cases, written through
cases' own use case, which takes the dates as recorded."""

from __future__ import annotations

from django.utils.translation import gettext as _

from willkommen.cases import services as cases
from willkommen.cases.models import Case, InterimCertificate
from willkommen.core import clock
from willkommen.imports import fields
from willkommen.imports.fields import RowError
from willkommen.imports.kinds import Parsed


class CertificateRows:
    model = InterimCertificate
    required = ("case", "number", "issued_on", "valid_until")
    optional = ()

    def __init__(self, actor):
        self.actor = actor
        self.today = clock.office_today()
        self.cases: dict[str, Case] = {}

    def parse(self, row) -> Parsed:
        values = row.values
        reference = fields.required(values, "case")
        case = self.cases.get(reference) or Case.objects.filter(reference=reference).first()
        if case is None:
            raise RowError(_("“case”: no case has the reference “%(r)s”.") % {"r": reference})
        self.cases[reference] = case
        issued_on = fields.day(values, "issued_on")
        valid_until = fields.day(values, "valid_until")
        if issued_on > self.today:
            raise RowError(_("Only certificates issued until today can be imported."))
        if valid_until <= issued_on:
            raise RowError(_("The certificate must be valid after the day it is issued."))
        number = fields.required(values, "number")[:40]
        entry = {"case": case, "number": number, "issued_on": issued_on, "valid_until": valid_until}
        return Parsed(row.line, entry, number)

    def write(self, parsed: list[Parsed]) -> list[InterimCertificate]:
        return [cases.issue_interim_certificate(actor=self.actor, **p.entry) for p in parsed]

    def remove(self, certificates) -> int:
        return certificates.delete()[1].get(InterimCertificate._meta.label, 0)
