"""Demo persons whose permits expire soon, their invitations and one online extension.

Written through the case file's and outreach's services (the invitations by the
same sweep the worker runs), so the mails land in the outbox and, once the worker
sends them, in ``var/mail/``. Marked by the demo e-mail domain; run once.
"""

from __future__ import annotations

from datetime import timedelta

from willkommen.cases import services as case_services
from willkommen.cases.models import Case
from willkommen.catalog.models import Service
from willkommen.core import clock
from willkommen.demo.cases import demo_pdf
from willkommen.outreach import selectors, services

DOMAIN = "ablauf.demo.example"
# (given name, family name, language, days until expiry, permit type, record's service)
PERSONS = [
    ("Amina", "Haddad", "ar", 83, "§ 16b AufenthG (Studium)", "aufenthaltserlaubnis-studium"),
    ("Mehmet", "Yılmaz", "tr", 55, "§ 18b AufenthG", "aufenthaltserlaubnis-fachkraefte"),
    ("Olena", "Kovalenko", "uk", 26, "§ 24 AufenthG", "aufenthaltserlaubnis-verlaengern"),
    ("Rahul", "Sharma", "en", 40, "§ 18g AufenthG (Blaue Karte EU)", "blaue-karte-eu"),
    ("Ana", "Silva", "de", -5, "§ 16b AufenthG (Studium)", "aufenthaltserlaubnis-studium"),
]  # fmt: skip


def load() -> dict[str, int]:
    if Case.objects.filter(contact_email__endswith="@" + DOMAIN).exists():
        return {"persons": 0, "invitations": 0, "applications": 0}
    today = clock.office_today()
    records = []
    for given, family, language, days, permit, slug in PERSONS:
        service = Service.objects.filter(slug=slug).first()
        if service is None:
            continue
        opened = case_services.open_case(
            service=service,
            applicant={"given_name": given, "family_name": family, "nationality": "demo"},
            permit_expires_on=today + timedelta(days=days),
            permit_type=permit,
            contact_email=f"{given.lower()}@{DOMAIN}",
            language=language,
            source="demo",
            send_confirmation=False,
        )
        records.append(opened.case)
    invitations = services.send_due_invitations(today)
    applications = 0
    rahul = next((c for c in records if c.contact_email.startswith("rahul@")), None)
    extension = selectors.extension_service()
    if rahul is not None and extension is not None:
        person = rahul.applicant()
        services.apply_for_extension(
            rahul.pk,
            rahul.permit_expires_on,
            services.ExtensionRequest(
                applicant={"given_name": person.given_name, "family_name": person.family_name},
                email=rahul.contact_email,
                address_change="Hauptstraße 12, 91054 Erlangen",
                employment_change="",
                files=[(item.pk, demo_pdf()) for item in extension.checklist.all()],
                language=rahul.language,
            ),
        )
        applications = 1
    return {"persons": len(records), "invitations": invitations, "applications": applications}
