"""Which applicant-facing texts still lack a language (see core.translations)."""

from django.core.management.base import BaseCommand, CommandError

from willkommen.core import translations
from willkommen.core.i18n import supported_languages


class Command(BaseCommand):
    help = (
        "Count, per language, the public strings (.po) and the catalogue texts (database) "
        "that have no translation; --list shows them. Exits 1 with --strict if any is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", choices=supported_languages())
        parser.add_argument("--list", action="store_true", help="print every missing text")
        parser.add_argument("--strict", action="store_true", help="fail when any is missing")

    def handle(self, *args, language, list, strict, **options):
        incomplete = False
        for code in language or supported_languages():
            messages = translations.missing_messages(code)
            texts = translations.missing_texts(code)
            incomplete |= bool(messages or texts)
            self.stdout.write(
                f"{code}: {len(messages)} strings, {len(texts)} catalogue texts missing"
            )
            if list:
                for message in messages:
                    context = f" [{message.msgctxt}]" if message.msgctxt else ""
                    self.stdout.write(f"  {message.app}: {message.msgid!r}{context}")
                for text in texts:
                    self.stdout.write(f"  {text.model} {text.pk} {text.field}: {text.german!r}")
        if strict and incomplete:
            raise CommandError("translations are missing")
