"""Invitations, pauses and applications, for inspection: they change through outreach's
services (the sweep, the register, the online form), never by hand."""

from django.contrib import admin

from willkommen.core.admin import ReadOnlyAdmin
from willkommen.core.admin_site import admin_site
from willkommen.outreach.models import ExtensionApplication, Invitation, InvitationPause


@admin.register(Invitation, site=admin_site)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["case", "permit_expires_on", "lead_weeks", "sent_at"]
    list_filter = ["lead_weeks"]
    exclude = ["mail"]


@admin.register(InvitationPause, site=admin_site)
class InvitationPauseAdmin(ReadOnlyAdmin):
    list_display = ["case", "reason", "paused_at", "lifted_at"]


@admin.register(ExtensionApplication, site=admin_site)
class ExtensionApplicationAdmin(ReadOnlyAdmin):
    list_display = ["opened_case", "case", "permit_expires_on", "applied_at", "before_expiry"]
    list_filter = ["before_expiry"]
    exclude = ["receipt_pdf", "receipt_mail"]
