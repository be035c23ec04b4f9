"""Controlling's pages: the key figures (``figures``) and the planning tools (``planning``)."""

from willkommen.controlling.views.figures import (
    council_report,
    council_report_pdf,
    dashboard,
    export_kpis,
    next_free,
)
from willkommen.controlling.views.planning import (
    import_tasks,
    queue,
    simulation_run,
    simulations,
    staffing,
    staffing_run,
)

__all__ = [
    "council_report",
    "council_report_pdf",
    "dashboard",
    "export_kpis",
    "import_tasks",
    "next_free",
    "queue",
    "simulation_run",
    "simulations",
    "staffing",
    "staffing_run",
]
