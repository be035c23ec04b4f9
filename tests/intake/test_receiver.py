"""The FIT-Connect receiver against the double: poll, callback, crypto, idempotence."""

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.cases.factories import pdf_bytes, png_bytes
from willkommen.cases.models import Case, Document
from willkommen.core.models import OutboxMail
from willkommen.intake import services
from willkommen.intake.crypto import ACCEPT, REJECT
from willkommen.intake.models import Submission
from willkommen.intake.states import SubmissionState
from willkommen.intake.submission_api import DeliveryServiceUnavailable

PROBLEMS = "https://schema.fitko.de/fit-connect/events/problems/"


def two_attachments():
    return [
        ("Reisepass.pdf", "application/pdf", pdf_bytes()),
        ("Foto.png", "image/png", png_bytes()),
    ]


def only_event(double):
    assert len(double.received_events) == 1
    return double.received_events[0]


def test_poll_opens_the_case_with_two_documents_and_sends_a_signed_accept(
    double, destination, case_type, submit
):
    submitted = int(datetime(2026, 11, 30, 9, 0, tzinfo=UTC).timestamp())
    sent = submit(attachments=two_attachments(), submitted_at=submitted)

    call_command("fitconnect_poll")

    row = Submission.objects.get(submission_id=sent.submission_id)
    assert row.state == SubmissionState.ACCEPTED
    case = row.case
    assert case.source == "fitconnect" and case.case_type == case_type
    assert case.opened_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # the submission's date
    assert case.applicant().family_name == "Haddad"
    documents = Document.objects.filter(case=case).order_by("original_name")
    assert [(d.original_name, d.kind) for d in documents] == [
        ("Foto.png", "png"),
        ("Reisepass.pdf", "pdf"),
    ]
    event = only_event(double)
    assert event["header"] == {"typ": "secevent+jwt", "alg": "PS512", "kid": "sig-2026-01"}
    claims = event["claims"]
    assert claims["sub"] == f"submission:{sent.submission_id}"
    assert claims["txn"] == f"case:{sent.case_id}"
    assert claims["jti"] == str(row.event_jti)
    tags = claims["events"][ACCEPT]["authenticationTags"]
    assert tags["data"] == sent.data.rsplit(".", 1)[-1]
    assert set(tags["attachments"]) == set(sent.attachments)
    assert double.submissions[sent.submission_id].state == "accepted"
    receipt = OutboxMail.objects.get(to=case.contact_email)
    assert case.reference in receipt.body and "30 November 2026" in receipt.body
    assert double.token_requests == 1  # the token was reused for every call


def test_poll_pages_through_the_list(double, destination, case_type, submit, settings):
    settings.FITCONNECT_PAGE_SIZE = 2
    for _ in range(5):
        submit()
    result = services.poll(destination)
    assert result.announced == 5 and result.accepted == 5
    assert Case.objects.count() == 5


def rejected_with(double, sent):
    row = Submission.objects.get(submission_id=sent.submission_id)
    assert row.state == SubmissionState.REJECTED
    assert row.case is None and Case.objects.count() == 0
    problems = only_event(double)["claims"]["events"][REJECT]["problems"]
    assert double.submissions[sent.submission_id].state == "rejected"
    assert row.encrypted["submission"]["encryptedData"] == sent.data  # kept for staff
    return row, problems[0]


def test_tampered_ciphertext_is_rejected(double, destination, case_type, submit):
    sent = submit(tamper="ciphertext")
    services.poll(destination)
    _, problem = rejected_with(double, sent)
    assert problem["type"] == PROBLEMS + "encryption-issue" and problem["instance"] == "data"


def test_wrong_hash_is_rejected(double, destination, case_type, submit):
    sent = submit(tamper="hash")
    services.poll(destination)
    _, problem = rejected_with(double, sent)
    assert problem["type"] == PROBLEMS + "hash-mismatch"


def test_unknown_service_is_rejected(double, destination, case_type, submit):
    sent = submit(service_identifier="urn:de:fim:leika:leistung:00000000000000")
    services.poll(destination)
    row, problem = rejected_with(double, sent)
    assert problem["type"] == PROBLEMS + "service-mismatch"
    assert row.metadata["service"] == "urn:de:fim:leika:leistung:00000000000000"


def test_hostile_attachment_is_rejected_and_nothing_stored(
    double, destination, case_type, submit, settings
):
    fake_pdf = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    sent = submit(attachments=[("a.pdf", "application/pdf", fake_pdf)])
    services.poll(destination)
    _, problem = rejected_with(double, sent)
    assert problem["type"] == PROBLEMS + "invalid-attachment-content"
    assert problem["instance"] == f"attachment:{next(iter(sent.attachments))}"
    assert Document.objects.count() == 0


def callback_url(destination):
    return reverse("intake:callback", args=[destination.destination_id])


def test_callback_announces_and_a_replay_takes_nothing_twice(
    double, destination, case_type, submit, live_server
):
    sent = submit()
    url = live_server.url + callback_url(destination)
    answer, body, headers = double.send_callback(url, "callback-s3cret", [sent])
    assert answer.status_code == 204
    assert Submission.objects.get().state == SubmissionState.ANNOUNCED
    services.poll(destination)  # what the task enqueued by the callback does
    replay = httpx.post(url, content=body, headers=headers)
    assert replay.status_code == 204
    services.poll(destination)
    assert Submission.objects.count() == 1 and Case.objects.count() == 1
    assert len(double.received_events) == 1


def test_callback_with_a_bad_signature_is_refused(double, destination, case_type, submit, client):
    sent = submit()
    body = b'{"type": "x"}'
    answer = client.post(
        callback_url(destination),
        data=body,
        content_type="application/json",
        headers={"callback-timestamp": str(int(time.time())), "callback-authentication": "00" * 64},
    )
    assert answer.status_code == 401
    assert Submission.objects.count() == 0 and sent.state == "submitted"


def test_callback_with_the_wrong_secret_or_an_old_timestamp_is_refused(
    double, destination, case_type, submit, live_server
):
    sent = submit()
    url = live_server.url + callback_url(destination)
    wrong, _, _ = double.send_callback(url, "callback-s3cret", [sent], secret_override="guess")
    old, _, _ = double.send_callback(
        url, "callback-s3cret", [sent], timestamp=int(time.time()) - 301
    )
    assert (wrong.status_code, old.status_code) == (401, 401)
    assert Submission.objects.count() == 0


def test_duplicate_delivery_by_callback_and_poll_opens_one_case(
    double, destination, case_type, submit
):
    sent = submit()
    assert services.announce(destination, sent.submission_id, sent.case_id) is True
    assert services.announce(destination, sent.submission_id, sent.case_id) is False
    services.poll(destination)
    services.poll(destination)
    assert Case.objects.count() == 1 and Submission.objects.count() == 1
    assert len(double.received_events) == 1


def test_crash_between_case_and_event_is_retried_without_a_second_case(
    double, destination, case_type, submit
):
    submit(attachments=two_attachments())
    double.fail_events_with = 500  # the event does not get through: as if we died after commit
    services.poll(destination)
    row = Submission.objects.get()
    assert row.state == SubmissionState.ACCEPTING and Case.objects.count() == 1
    jti = row.event_jti
    double.fail_events_with = None
    Submission.objects.filter(pk=row.pk).update(next_attempt_at=row.announced_at)
    result = services.poll(destination)
    assert result.events_sent == 1
    row.refresh_from_db()
    assert row.state == SubmissionState.ACCEPTED and Case.objects.count() == 1
    assert only_event(double)["claims"]["jti"] == str(jti)


def test_event_delivered_before_a_crash_is_recognised_by_its_jti(
    double, destination, case_type, submit
):
    sent = submit()
    services.poll(destination)
    row = Submission.objects.get()
    # As if the process died after FIT-Connect took the event but before we recorded it.
    Submission.objects.filter(pk=row.pk).update(state=SubmissionState.ACCEPTING)
    row.refresh_from_db()
    assert services.send_event(row, services.api_for(destination)) is True
    row.refresh_from_db()
    assert row.state == SubmissionState.ACCEPTED
    assert double.refused_events == [(409, ACCEPT)]
    assert Case.objects.count() == 1 and sent.state == "accepted"


def test_delivery_service_down_changes_nothing(double, destination, case_type, submit):
    sent = submit()
    services.announce(destination, sent.submission_id, sent.case_id)
    double.stop()
    services.take(Submission.objects.get(), services.api_for(destination))
    row = Submission.objects.get()
    assert row.state == SubmissionState.ANNOUNCED and row.lease_until is None
    assert row.last_error and Case.objects.count() == 0
    double.start()  # a new port: the destination moves with it
    destination.api_base_url, destination.token_url = double.url, double.url + "/token"
    destination.save()
    services.poll(destination)
    assert Case.objects.count() == 1


def test_old_submissions_warn_on_the_staff_start_page(destination, client, settings):
    from tests.cases.factories import staff
    from willkommen.core import clock

    Submission.objects.create(
        destination=destination,
        submission_id="2b0e6c33-6f53-4a1a-9d0a-1d1f1f1f1f1f",
        fitconnect_case_id="3b0e6c33-6f53-4a1a-9d0a-1d1f1f1f1f1f",
        announced_at=clock.now() - timedelta(days=4),
    )
    client.force_login(staff(None))
    page = client.get("/en/staff/")
    body = page.content.decode()
    assert "1 online application (FIT-Connect) has waited more than 3 days" in body
    assert '<div class="kern-alert kern-alert--warning" role="alert">' in body  # not escaped
    assert not mail.outbox


def test_an_expired_token_is_renewed_once(double, destination, case_type, submit):
    submit()
    services.poll(destination)
    double.tokens.clear()  # FIT-Connect forgot our token before its time
    submit()
    result = services.poll(destination)
    assert result.accepted == 1 and double.token_requests == 2


def test_wrong_client_secret_takes_nothing(double, destination, case_type, submit, settings):
    sent = submit()
    folder = settings.FITCONNECT_KEYS_DIR / str(destination.destination_id)
    (folder / "client_secret").write_text("wrong")
    with pytest.raises(DeliveryServiceUnavailable, match="token endpoint answered 401"):
        services.poll(destination)
    assert Submission.objects.count() == 0 and sent.state == "submitted"


def test_the_callback_wants_https_in_production(destination, client, settings):
    settings.FITCONNECT_REQUIRE_HTTPS = True
    answer = client.post(callback_url(destination), data=b"{}", content_type="application/json")
    assert answer.status_code == 403
    assert Submission.objects.count() == 0


def test_a_key_for_another_kid_is_an_encryption_issue(
    double, destination, case_type, submit, key_material
):
    from jwcrypto import jwk

    stranger = jwk.JWK.generate(kty="RSA", size=2048, kid="someone-else")
    sent = double.submit(
        destination_id=str(destination.destination_id),
        encryption_key=stranger,
        kid="someone-else",
        service_identifier="urn:x",
        data={},
    )
    services.poll(destination)
    _, problem = rejected_with(double, sent)
    assert problem["type"] == PROBLEMS + "encryption-issue"
    assert problem["instance"] == "metadata"


def test_an_attachment_too_large_is_rejected(double, destination, case_type, submit, settings):
    settings.UPLOAD_MAX_BYTES = 500
    sent = submit(attachments=[("gross.pdf", "application/pdf", pdf_bytes(pages=3))])
    services.poll(destination)
    _, problem = rejected_with(double, sent)
    assert problem["type"] == PROBLEMS + "invalid-attachment-content"
    assert "larger than" in problem["detail"]


def test_an_attachment_far_too_large_is_not_even_downloaded_whole(
    double, destination, case_type, submit, settings
):
    settings.UPLOAD_MAX_BYTES = 1000
    sent = submit(attachments=[("gross.pdf", "application/pdf", b"%PDF-1.4\n" + b"0" * 200_000)])
    services.poll(destination)
    _, problem = rejected_with(double, sent)
    assert problem["type"] == PROBLEMS + "invalid-attachment-content"
    assert "exceeds" in problem["detail"]


def test_a_rejection_shows_on_the_team_leads_start_page(
    double, destination, case_type, submit, client
):
    from tests.cases.factories import staff
    from willkommen.accounts.roles import Role

    submit(tamper="hash")
    services.poll(destination)
    client.force_login(staff(None, role=Role.TEAM_LEAD))
    page = client.get("/de/staff/").content.decode()
    assert "1 Online-Antrag (FIT-Connect) wurde in den letzten 7 Tagen abgelehnt" in page
