from django_tasks import task

from willkommen.core import outbox


@task()
def deliver_mail(mail_id: int) -> bool:
    """Prompt delivery right after the change committed (the sweep is the safety net)."""
    return outbox.deliver(mail_id)
