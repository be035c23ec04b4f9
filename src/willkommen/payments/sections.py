"""The payment sections of the case page (staff) and the status page (applicant).

Registered with ``core.panels`` in ``apps.py``: cases shows them without
importing payments.
"""

from django.template.loader import render_to_string

from willkommen.payments import providers, selectors


def case_section(request, case) -> str:
    return render_to_string(
        "payments/case_section.html",
        {"case": case, "account": selectors.account_of(case)},
        request=request,
    )


def status_section(request, case) -> str:
    account = selectors.account_of(case)
    if not account.lines and not account.payments:
        return ""
    return render_to_string(
        "payments/status_section.html",
        {
            "case": case,
            "account": account,
            "online": bool(providers.configured()) and not case.is_closed,
        },
        request=request,
    )
