from django_tasks import task

from willkommen.intake import services
from willkommen.intake.models import Destination


@task()
def take_announced(destination_pk: int) -> dict:
    """Right after a callback: poll that destination (the poller is the safety net)."""
    destination = Destination.objects.get(pk=destination_pk)
    return vars(services.poll(destination))
