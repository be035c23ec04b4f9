from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from willkommen.accessibility.models import SignLanguageVideo
from willkommen.core.protection import ProtectedFormMixin, Protection
from willkommen.core.uploads import UploadRefused
from willkommen.core.uploads.video import check_captions, check_video

# Counts its own submissions per address; a report mails the office, not the
# reporter, so there is no limit per e-mail address, but the proof-of-work stays.
REPORT_FORM = Protection(
    scope="barrier-report-ip", per_address_setting="PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR"
)


class BarrierReportForm(ProtectedFormMixin, forms.Form):
    protection = REPORT_FORM
    email_field = "email"
    page = forms.CharField(
        label=_("Which page or which part of it?"),
        max_length=500,
        help_text=_(
            "The address of the page, or what it is called (e.g. “booking, choose a day”)."
        ),
    )
    problem = forms.CharField(
        label=_("What went wrong?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "E.g. what you wanted to do, what you use (screen reader, keyboard, magnifier)."
        ),
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Your e-mail"),
        required=False,
        help_text=_("Only if you would like an answer."),
    )
    phone = forms.CharField(label=_("Your telephone number"), max_length=40, required=False)


class SignLanguageVideoForm(forms.ModelForm):
    """The admin's form: the video and captions go through the video gate."""

    class Meta:
        model = SignLanguageVideo
        fields = [
            "title", "description", "file", "captions", "duration_seconds", "position",
            "is_published",
        ]  # fmt: skip

    checked_video = None
    checked_captions = None

    def _gate(self, name, check):
        """A new file goes through ``check``; its refusal is the field's error."""
        upload = self.cleaned_data.get(name)
        if not isinstance(upload, UploadedFile):
            return upload, None
        try:
            return upload, check(upload)
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message, code="refused") from None

    def clean_file(self):
        upload, self.checked_video = self._gate("file", check_video)
        return upload

    def clean_captions(self):
        upload, self.checked_captions = self._gate("captions", check_captions)
        return upload
