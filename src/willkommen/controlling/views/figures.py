"""The key figures: dashboard, exports, next free appointments and the council report."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from willkommen.accounts.models import Team
from willkommen.catalog.models import Location, Service
from willkommen.controlling import (
    charts,
    export,
    kpis,
    layout,
    reports,
)
from willkommen.controlling.forms import (
    KpiFilterForm,
)
from willkommen.controlling.views.common import controlling_view
from willkommen.core import clock

# --- key figures and the council report ---------------------------------------


def _kpi_form(request, *, default_day=None):
    today = clock.local_today(kpis.OFFICE_TIMEZONE)
    return KpiFilterForm(
        request.GET,
        today=default_day or today,
        locations=Location.objects.filter(is_active=True),
        teams=Team.objects.filter(is_active=True),
        services=Service.objects.filter(is_active=True),
    )


def _kpi_scope(form) -> kpis.Scope | None:
    if form.is_bound and not form.is_valid():
        return None
    chosen = form.scope_arguments()
    location = chosen.get("location")
    return kpis.Scope(
        period=chosen["period"],
        location_id=location.pk if location else None,
        team_id=chosen["team"].pk if chosen.get("team") else None,
        service_id=chosen["service"].pk if chosen.get("service") else None,
        timezone=location.timezone if location else kpis.OFFICE_TIMEZONE,
    )


@controlling_view
def dashboard(request):
    form = _kpi_form(request)
    scope = _kpi_scope(form)
    report = reports.build(scope) if scope else None
    context = {"form": form, "report": report, "title": _("Key figures")}
    if report:
        tables, sheet = layout.tables(report)
        context.update(
            tables=tables,
            facts=[
                (_("Visits"), sheet.shown[("visits", "now")]),
                (_("Persons present"), sheet.shown[("persons", "now")]),
                (_("Persons who left unserved (%)"), sheet.shown[("share_left", "now")]),
                (_("Work items"), sheet.shown[("work_items", "now")]),
            ],
            query=request.GET.urlencode(),
            first_day=kpis.first_recorded_day(),
            visits_chart=_visits_chart(scope, tables),
            backlog_chart=_backlog_chart(tables),
        )
    return render(request, "controlling/dashboard.html", context, status=200 if report else 400)


def _visits_chart(scope, tables) -> str:
    """The table "Visits over time" drawn: its published cells, nothing more."""
    (over_time,) = [t for t in tables if t.key == "bucket"]
    columns = layout.OVER_TIME_COLUMNS
    return charts.bar_chart(
        _("Visits and work items, %(period)s") % {"period": scope.period.label()},
        [row[0] for row in over_time.rows],
        [
            charts.Series(name, [row[columns[measure]] for row in over_time.rows])
            for measure, name in (
                ("visits", _("Visits")),
                ("persons", _("Persons present")),
                ("work_items", _("Work items")),
            )
        ],
    )


def _backlog_chart(tables) -> str:
    (by_team,) = [t for t in tables if t.key == "backlog_by_team"]
    return charts.bar_chart(
        _("Open cases by team at the end of the period"),
        [row[0] for row in by_team.rows],
        [charts.Series(_("Open cases"), [row[1] for row in by_team.rows])],
    )


@controlling_view
def next_free(request):
    """The next free online appointment per service, loaded after the dashboard (it is slow)."""
    form = _kpi_form(request)
    scope = _kpi_scope(form)
    rows = kpis.next_free_appointments(scope) if scope else []
    return render(request, "controlling/_next_free.html", {"rows": rows})


@controlling_view
def export_kpis(request, file_format):
    form = _kpi_form(request)
    scope = _kpi_scope(form)
    if scope is None:
        return render(
            request,
            "controlling/dashboard.html",
            {"form": form, "report": None, "title": _("Key figures")},
            status=400,
        )
    content = reports.tables(reports.build(scope))
    name = f"kennzahlen-{scope.period.start:%Y-%m-%d}-{scope.period.end:%Y-%m-%d}"
    if file_format == "xlsx":
        response = HttpResponse(
            export.to_xlsx(content),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(export.to_csv(content), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _council_scope(request):
    """The council report defaults to last month: the one that is complete."""
    first_of_month = clock.local_today(kpis.OFFICE_TIMEZONE).replace(day=1)
    form = _kpi_form(request, default_day=first_of_month - timedelta(days=1))
    return form, _kpi_scope(form)


@controlling_view
def council_report(request):
    form, scope = _council_scope(request)
    report = reports.build(scope) if scope else None
    context = {"form": form, "report": report, "title": _("Report for the council")}
    if report:
        tables, sheet = layout.tables(report)
        context.update(
            summary=reports.summary(report, sheet.shown),
            tables=tables,
            methods=reports.methods(),
            query=request.GET.urlencode(),
        )
    return render(request, "controlling/report.html", context, status=200 if report else 400)


@controlling_view
def council_report_pdf(request):
    form, scope = _council_scope(request)
    if scope is None:
        return render(
            request,
            "controlling/report.html",
            {"form": form, "report": None, "title": _("Report for the council")},
            status=400,
        )
    pdf = reports.council_pdf(reports.build(scope))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"bericht-{scope.period.start:%Y-%m-%d}-{scope.period.end:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
