import pytest
from django.core.management import call_command

from willkommen.outreach.models import ExtensionApplication, Invitation

pytestmark = pytest.mark.django_db


def test_the_demo_has_invited_persons_and_an_online_extension(demo, capsys):
    call_command("load_demo_outreach")
    assert "5 persons, 4 invitations, 1 online extension" in capsys.readouterr().out
    assert Invitation.objects.count() == 4  # the expired permit is not invited
    application = ExtensionApplication.objects.get()
    assert application.before_expiry and application.receipt_mail.language == "en"
    call_command("load_demo_outreach")
    assert Invitation.objects.count() == 4 and ExtensionApplication.objects.count() == 1
