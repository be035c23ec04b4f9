"""core.rows: plain statements made once must store and read exactly what the ORM does,
on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from tests.booking.factories import AppointmentFactory
from willkommen.booking.models import Appointment
from willkommen.core import clock, rows
from willkommen.core.models import OutboxAttachment, OutboxMail

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_insert_stores_what_save_would_and_sets_the_key():
    now = clock.now()
    mail = OutboxMail(to="amira@example.org", subject="Termin", body="Hallo", next_attempt_at=now)
    assert rows.insert(mail) is True
    assert mail.pk is not None
    assert not mail._state.adding and mail._state.db == "default"
    stored = OutboxMail.objects.get(pk=mail.pk)
    assert stored.created_at is not None  # auto_now_add ran (pre_save), as with save()
    assert _fields(stored) == _fields(mail)
    assert stored.status == OutboxMail.Status.PENDING and stored.dedupe_key is None


def test_insert_binary_and_foreign_key():
    mail = OutboxMail(to="a@example.org", subject="s", body="b", next_attempt_at=clock.now())
    rows.insert(mail)
    attachment = OutboxAttachment(
        mail=mail,
        filename="T-1.ics",
        content=b"BEGIN:VCALENDAR\r\n\x00\xff",
        mimetype="text/calendar",
    )
    rows.insert(attachment)
    stored = OutboxAttachment.objects.get(pk=attachment.pk)
    assert stored.mail_id == mail.pk
    assert bytes(stored.content) == b"BEGIN:VCALENDAR\r\n\x00\xff"


def test_on_conflict_skips_a_duplicate_and_keeps_the_transaction_usable():
    now = clock.now()
    with transaction.atomic():
        first = OutboxMail(
            to="a@example.org", subject="1", body="b", dedupe_key="k", next_attempt_at=now
        )
        again = OutboxMail(
            to="a@example.org", subject="2", body="b", dedupe_key="k", next_attempt_at=now
        )
        assert rows.insert(first, on_conflict=("dedupe_key",)) is True
        assert rows.insert(again, on_conflict=("dedupe_key",)) is False
        assert again.pk is None and again._state.adding
        # No error was raised inside the transaction: it goes on.
        assert OutboxMail.objects.filter(dedupe_key="k").count() == 1
    assert OutboxMail.objects.get(dedupe_key="k").subject == "1"


def test_a_unique_violation_without_on_conflict_is_djangos_integrity_error():
    existing = AppointmentFactory()
    duplicate = AppointmentFactory.build(
        location=existing.location, service=existing.service, reference=existing.reference
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(duplicate)
    assert Appointment.objects.filter(reference=existing.reference).count() == 1


def test_update_writes_only_the_fields_named():
    appointment = AppointmentFactory(applicant_name="Amira")
    appointment.status = "cancelled"
    appointment.applicant_name = "changed in memory only"
    rows.update(appointment, ["status"])
    stored = Appointment.objects.get(pk=appointment.pk)
    assert stored.status == "cancelled"
    assert stored.applicant_name == "Amira"


def test_update_of_a_missing_row_raises_like_save():
    appointment = AppointmentFactory()
    gone = Appointment.objects.get(pk=appointment.pk)
    gone.pk = appointment.pk + 10_000  # no such row
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(gone, ["status"])
    with pytest.raises(DatabaseError), transaction.atomic():
        gone.save(update_fields=["status"])  # the ORM's behaviour it copies


def test_get_locked_reads_what_the_orm_reads():
    appointment = AppointmentFactory(
        checklist_answers={"children": True, "employer": "Siemens"},
        hold_expires_at=clock.now() + timedelta(minutes=10),
        birth_date=clock.local_today("Europe/Berlin") - timedelta(days=12_000),
        nationality="Syrien",
    )
    with transaction.atomic():
        read = rows.get_locked(Appointment, "reference", appointment.reference)
    expected = Appointment.objects.get(pk=appointment.pk)
    assert _fields(read) == _fields(expected)
    assert read.checklist_answers == {"children": True, "employer": "Siemens"}
    assert read.starts_at.utcoffset() == timedelta(0)  # aware, in UTC (invariant 7)
    assert not read._state.adding and read._state.db == "default"
    assert read.location == appointment.location  # relations load as usual


def test_get_locked_of_a_missing_row_is_does_not_exist():
    with pytest.raises(Appointment.DoesNotExist), transaction.atomic():
        rows.get_locked(Appointment, "reference", "T-NOPE00")


@pytest.mark.django_db(transaction=True)
def test_get_locked_outside_a_transaction_is_refused_like_select_for_update():
    from django.db.transaction import TransactionManagementError

    appointment = AppointmentFactory()
    with pytest.raises(TransactionManagementError):
        rows.get_locked(Appointment, "reference", appointment.reference)


@pytest.mark.django_db(transaction=True)
def test_get_locked_holds_the_row_lock_until_the_transaction_ends():
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite locks the whole database)")
    from tests.booking.test_concurrency import _run_at_once

    appointment = AppointmentFactory()

    def lock_again(_index):
        with transaction.atomic():
            return Appointment.objects.select_for_update(nowait=True).get(pk=appointment.pk)

    with transaction.atomic():
        rows.get_locked(Appointment, "reference", appointment.reference)
        (while_held,) = _run_at_once(1, lock_again)
    (after,) = _run_at_once(1, lock_again)
    assert isinstance(while_held, DatabaseError), while_held  # "could not obtain lock"
    assert isinstance(after, Appointment)
