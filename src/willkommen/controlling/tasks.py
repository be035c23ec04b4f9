from django_tasks import task

from willkommen.controlling.services import execute_simulation


@task()
def simulate_run(run_id: int) -> str:
    return execute_simulation(run_id).status
