"""Planning pages: the staffing calculation, the queue model and the simulation."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from willkommen.controlling import (
    kpis,
    selectors,
    services,
    simulation,
)
from willkommen.controlling.forms import (
    DEFAULT_SCENARIOS,
    QueueForm,
    ScenarioForm,
    SimulationForm,
    StaffingForm,
    TaskImportForm,
)
from willkommen.controlling.models import SimulationRun, StaffingRun
from willkommen.controlling.periods import Period
from willkommen.controlling.queueing import QueueError, counters_needed, queue_figures
from willkommen.controlling.staffing import StaffingInputError, parse_task_csv
from willkommen.controlling.views.common import controlling_view
from willkommen.core import clock


@controlling_view
def staffing(request):
    parameters = selectors.current_parameters()
    tasks = selectors.active_tasks()
    initial_cases, records, label = selectors.last_cases(), None, None
    if request.method == "GET" and "from_records" in request.GET:
        period = selectors.records_period()
        records = {"period": period, "cases": selectors.case_numbers_from_records(tasks, period)}
        initial_cases |= records["cases"]
        label = _("From the records %(period)s") % {"period": period.label()}
    form = StaffingForm(
        request.POST or None,
        tasks=tasks,
        initial_cases=initial_cases,
        initial={"label": label} if label else None,
    )
    if request.method == "POST" and parameters is None:
        messages.error(request, _("Enter the staffing parameters (annual working minutes) first."))
    elif request.method == "POST" and form.is_valid():
        run = services.run_staffing(
            user=request.user,
            label=form.cleaned_data["label"],
            parameters=parameters,
            cases=form.cases(),
            posts=form.cleaned_data["posts"],
            vacant_posts=form.cleaned_data["vacant_posts"],
        )
        return redirect("controlling:staffing_run", run.pk)
    return render(
        request,
        "controlling/staffing.html",
        {
            "form": form,
            "parameters": parameters,
            "tasks": tasks,
            "runs": selectors.recent_runs(),
            "import_form": TaskImportForm(),
            "records": records,
            "title": _("Staffing calculation"),
        },
        status=400 if form.errors else 200,
    )


@controlling_view
def import_tasks(request):
    form = TaskImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.import_tasks(parse_task_csv(form.cleaned_data["file"].read()))
        except StaffingInputError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated, %(deactivated)d deactivated.")
                % counts,
            )
            return redirect("controlling:staffing")
    return render(
        request,
        "controlling/import_tasks.html",
        {"form": form, "errors": errors, "title": _("Import task times")},
        status=400 if (errors or form.errors) else 200,
    )


@controlling_view
def staffing_run(request, pk):
    run = get_object_or_404(StaffingRun, pk=pk)
    previous = StaffingRun.objects.filter(created_at__lt=run.created_at).first()
    return render(
        request,
        "controlling/staffing_run.html",
        {"run": run, "previous": previous, "title": run.label},
    )


@controlling_view
def queue(request):
    form = QueueForm(request.GET or None)
    figures = error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["counters"]:
                figures = queue_figures(
                    data["counters"], data["arrivals_per_hour"], data["mean_service_minutes"],
                    data["target_wait_minutes"],
                )  # fmt: skip
            else:
                figures = counters_needed(
                    data["arrivals_per_hour"], data["mean_service_minutes"],
                    data["target_wait_minutes"], data["target_level"] / 100,
                )  # fmt: skip
        except QueueError as exc:
            error = _translate_queue_error(exc)
    return render(
        request,
        "controlling/queue.html",
        {
            "form": form,
            "figures": figures,
            "error": error,
            "title": _("Counters needed (Erlang C)"),
        },
        status=400 if (form.errors or error) else 200,
    )


def _translate_queue_error(exc: QueueError) -> str:
    from willkommen.controlling.queueing import UnstableQueue

    if isinstance(exc, UnstableQueue):
        return _(
            "With these figures more people arrive than the counters can serve: the queue "
            "grows all day and there is no stable waiting time. Open more counters or "
            "shorten serving times."
        )
    return _("These figures have no meaningful answer: %(reason)s") % {"reason": exc}


@controlling_view
def simulations(request):
    prefixes = ["a", "b"]
    if request.method == "POST":
        scenario_forms = [ScenarioForm(request.POST, prefix=p) for p in prefixes]
        run_form = SimulationForm(request.POST)
        if run_form.is_valid() and all(f.is_valid() for f in scenario_forms):
            scenarios = [
                _scenario(f.cleaned_data, run_form.cleaned_data["days"]) for f in scenario_forms
            ]
            try:
                run = services.start_simulation(
                    user=request.user,
                    scenarios=scenarios,
                    replications=run_form.cleaned_data["replications"],
                    seed=run_form.cleaned_data["seed"],
                )
            except QueueError as exc:
                messages.error(request, _translate_queue_error(exc))
            else:
                return redirect("controlling:simulation", run.pk)
    else:
        initials = DEFAULT_SCENARIOS
        if "from_records" in request.GET:
            initials = _recorded_scenarios(request) or initials
        scenario_forms = [
            ScenarioForm(initial=d, prefix=p) for p, d in zip(prefixes, initials, strict=True)
        ]
        run_form = SimulationForm()
    has_errors = request.method == "POST" and (
        run_form.errors or any(f.errors for f in scenario_forms)
    )
    return render(
        request,
        "controlling/simulations.html",
        {
            "scenario_forms": scenario_forms,
            "run_form": run_form,
            "runs": selectors.simulation_runs(),
            "title": _("Queue simulation"),
        },
        status=400 if has_errors else 200,
    )


RECORDED_WEEKS = 8


def _recorded_scenarios(request) -> list[dict] | None:
    """Scenario 1 as the last weeks were recorded; scenario 2 the same with one counter more."""
    yesterday = clock.local_today(kpis.OFFICE_TIMEZONE) - timedelta(days=1)
    period = Period(
        yesterday - timedelta(weeks=RECORDED_WEEKS) + timedelta(days=1), yesterday, "range"
    )
    profile = kpis.arrival_profile(kpis.Scope(period))
    if not profile.office_days or profile.mean_service_minutes is None:
        messages.info(
            request,
            _("Too little was recorded in the last %(weeks)d weeks to fill in a scenario.")
            % {"weeks": RECORDED_WEEKS},
        )
        return None

    def numbers(values):
        return ", ".join(f"{value:g}" for value in values)

    recorded = {
        "name": _("As recorded %(period)s") % {"period": period.label()},
        "counters_by_hour": numbers(profile.counters_by_hour),
        "walk_ins_by_hour": numbers(profile.walk_ins_by_hour),
        "appointments_by_hour": numbers(round(v) for v in profile.appointments_by_hour),
        "mean_service_minutes": profile.mean_service_minutes,
        "no_show_percent": profile.no_show_percent,
    }
    more = recorded | {
        "name": _("As recorded, one counter more"),
        "counters_by_hour": numbers(c + 1 for c in profile.counters_by_hour),
    }
    messages.info(
        request,
        _("Scenario 1 shows an average of the %(days)d office days %(period)s (8:00 to 14:00).")
        % {"days": profile.office_days, "period": period.label()},
    )
    return [recorded, more]


def _scenario(data: dict, days: int) -> simulation.Scenario:
    return simulation.Scenario(
        name=data["name"],
        opening_hour=8,
        counters_by_hour=tuple(data["counters_by_hour"]),
        walk_ins_by_hour=tuple(data["walk_ins_by_hour"]),
        appointments_by_hour=tuple(data["appointments_by_hour"]),
        mean_service_minutes=data["mean_service_minutes"],
        no_show_rate=data["no_show_percent"] / 100,
        days=days,
    )


@controlling_view
def simulation_run(request, pk):
    run = get_object_or_404(SimulationRun, pk=pk)
    template = "controlling/_simulation_result.html" if request.headers.get("HX-Request") else None
    rows = _result_rows(run)
    context = {
        "run": run,
        "rows": rows,
        "chart_height": 10 * len(rows) + 2,
        "title": _("Simulation result"),
    }
    if template:
        return render(request, template, context)
    return render(request, "controlling/simulation_run.html", context)


def _result_rows(run):
    if run.status != SimulationRun.Status.DONE:
        return []
    if len(run.results) != len(run.scenarios):
        raise Http404
    rows = []
    for index, (scenario, result) in enumerate(zip(run.scenarios, run.results, strict=True)):
        # Chart geometry (SVG user units): one band of 10 per scenario, bars up to 300 wide.
        top = index * 10
        bar = round(result["within_target"] * 300)
        rows.append(
            {"scenario": scenario, "result": result, "label_y": top + 4, "bar_y": top + 5,
             "value_y": top + 8, "bar": bar, "value_x": bar + 4}
        )  # fmt: skip
    return rows
