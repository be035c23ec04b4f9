from django.core.management.base import BaseCommand

from willkommen.demo import knowledge


class Command(BaseCommand):
    help = (
        "Publish the demo knowledge-base articles (legal bases for the demo services, an "
        "instruction, a process guide; marked as demo). Once: existing demo articles stay."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"knowledge base: {knowledge.load()}")
