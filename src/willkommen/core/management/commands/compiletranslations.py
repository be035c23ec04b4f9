"""Compile the .po catalogues to .mo without GNU gettext.

Django's ``compilemessages`` needs ``msgfmt``, which a fresh machine may lack;
the catalogues must still be built by ``make run`` and ``make test``.
"""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the .po files of willkommen's apps (and LOCALE_PATHS) into .mo files."

    def handle(self, *args, **options):
        compiled = 0
        package = Path(settings.PACKAGE_DIR)
        app_dirs = [
            Path(app.path) / "locale"
            for app in apps.get_app_configs()
            if Path(app.path).is_relative_to(package)
        ]
        for locale_dir in [*settings.LOCALE_PATHS, *app_dirs]:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"compiled {compiled} catalogue(s)")
