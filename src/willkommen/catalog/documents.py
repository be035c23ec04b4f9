"""The printable personal checklist as PDF."""

from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.catalog.models import Service
from willkommen.catalog.selectors import PersonalChecklist
from willkommen.core.dates import format_date
from willkommen.core.i18n import tr
from willkommen.core.pdf import OfficePDF


def checklist_pdf(service: Service, checklist: PersonalChecklist) -> bytes:
    title = _("Documents to bring: %(service)s") % {"service": tr(service.name)}
    pdf = OfficePDF(
        title, footer_text=_("As of %(date)s") % {"date": format_date(timezone.localdate(), "long")}
    )
    pdf.heading(title)
    pdf.paragraph(tr(service.short_description))
    pdf.ln(2)
    if not checklist.items and not checklist.undecided:
        pdf.paragraph(
            _(
                "There is no list of documents for this service. Please bring your passport "
                "or identity document; staff will tell you at the appointment if anything "
                "else is needed."
            )
        )
    for number, item in enumerate(checklist.items + checklist.undecided, start=1):
        label = f"{number}. {tr(item.title)} ({item.get_form_display()})"
        pdf.checkbox(label, size=11, bold=True)
        if item.explanation:
            pdf.paragraph(tr(item.explanation))
        if item in checklist.undecided:
            condition = tr(item.condition.question)
            answer = _("yes") if item.applies_when else _("no")
            pdf.paragraph(
                _("Only if your answer to “%(question)s” is %(answer)s.")
                % {"question": condition, "answer": answer},
                size=9,
            )
        pdf.ln(1)
    return pdf.render()
