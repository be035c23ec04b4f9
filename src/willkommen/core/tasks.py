from django_tasks import task

from willkommen.core import outbox


@task()
def deliver_mail(mail_id: int) -> bool:
    """Prompt delivery right after the change committed: this mail, then every other
    due one (mails committed meanwhile enqueue no task of their own, see
    ``outbox._enqueue_delivery``). The sweep is the safety net."""
    sent = outbox.deliver(mail_id)
    outbox.deliver_due()
    return sent
