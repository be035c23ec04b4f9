"""Demo complaints and praise: a dozen, in several languages and states, with two answer
templates, written through complaints' services (so the outbox has their letters)."""

from datetime import timedelta

from willkommen.accounts.models import Team
from willkommen.complaints import letters, services
from willkommen.complaints.email_import import ImportedMail
from willkommen.complaints.models import AnswerTemplate
from willkommen.complaints.services import Links
from willkommen.core import clock

ANSWER_TITLE = "Demo: Entschuldigung"

# (days ago, category, language, name, e-mail, message, what staff did since)
COMPLAINTS = [
    (1, "waiting_time", "de", "Jonas Weber", "jonas.weber@example.org",
     "Trotz Termin um 9 Uhr wurde ich erst um 11:30 Uhr aufgerufen.", ""),
    (2, "treatment", "en", "Priya Nair", "priya.nair@example.org",
     "The clerk at counter 4 was very rude when I asked a question.", "start"),
    (3, "praise", "uk", "Олена Коваль", "olena.koval@example.org",
     "Дякую пані на рецепції за терплячу допомогу!", ""),
    (4, "decision", "ar", "ليلى حسن", "layla.hassan@example.org",
     "لم أفهم سبب رفض طلبي. أرجو توضيح القرار.", "start"),
    (5, "waiting_time", "tr", "Mehmet Yılmaz", "mehmet.yilmaz@example.org",
     "Üç haftadır başvurum hakkında hiçbir bilgi alamadım.", "answer"),
    (6, "accessibility", "de", "", "",
     "Der Aufzug im Hauptgebäude war defekt, ich kam mit dem Rollstuhl nicht hinauf.", "start"),
    (8, "treatment", "ru", "Анна Смирнова", "anna.smirnova@example.org",
     "Сотрудник говорил со мной очень громко и нетерпеливо.", "answer"),
    (9, "praise", "de", "Familie Berisha", "berisha@example.org",
     "Vielen Dank für die schnelle Bearbeitung unserer Verlängerung!", "close"),
    (12, "waiting_time", "fr", "Claire Dubois", "claire.dubois@example.org",
     "J'attends depuis deux mois un rendez-vous pour mon titre de séjour.", "start"),
    (13, "decision", "en", "Samuel Okoro", "samuel.okoro@example.org",
     "My application was refused although I sent every document.", "interim"),
    (16, "waiting_time", "de", "Ines Roth", "ines.roth@example.org",
     "Telefonisch erreicht man niemanden, seit Wochen.", "start"),
    (20, "treatment", "sq", "Arben Krasniqi", "arben.krasniqi@example.org",
     "Më trajtuan sikur të isha fajtor.", "answer_close"),
]  # fmt: skip


def _templates():
    answer = AnswerTemplate.objects.create(
        title=ANSWER_TITLE,
        kind=AnswerTemplate.Kind.ANSWER,
        subject={"de": "Ihre Beschwerde {reference}", "en": "Your complaint {reference}"},
        body={
            "de": "Guten Tag {name},\n\nes tut uns leid. Wir haben Ihre Beschwerde geprüft "
            "und mit dem Team besprochen.\n\nMit freundlichen Grüßen\nIhre Ausländerbehörde",
            "en": "Dear {name},\n\nwe are sorry. We looked into your complaint and talked it "
            "over with the team.\n\nKind regards\nYour immigration office",
        },
    )
    interim = AnswerTemplate.objects.create(
        title="Demo: Zwischennachricht",
        kind=AnswerTemplate.Kind.INTERIM,
        subject={"de": "Zwischennachricht zu {reference}", "en": "Update on {reference}"},
        body={
            "de": "Guten Tag {name},\n\nwir brauchen noch etwas Zeit und melden uns bald.",
            "en": "Dear {name},\n\nwe need a little more time and will write to you soon.",
        },
    )
    return answer, interim


def load() -> str:
    if AnswerTemplate.objects.filter(title=ANSWER_TITLE).exists():
        return "already loaded"
    answer, interim = _templates()
    teams = list(Team.objects.filter(is_active=True).order_by("name"))
    made = 0
    for index, (days, category, language, name, email, message, done) in enumerate(COMPLAINTS):
        team = teams[index % len(teams)] if teams else None
        mail = ImportedMail(
            name=name, email=email, subject="", text=message, language=language,
            sent_at=clock.now() - timedelta(days=days, hours=2), attachments=0,
        )  # fmt: skip
        if days <= 3:  # the recent ones as staff took them down at the counter or phone
            complaint = services.record_for_caller(
                actor=None, category=category, message=message, language=language,
                links=Links(), team=team, name=name, email=email,
            )  # fmt: skip
        else:
            complaint = services.import_email(
                mail, actor=None, category=category, team=team, language=language
            )
        if done:
            services.move(complaint, "start", actor=None)
        if done in ("answer", "answer_close", "interim"):
            template = interim if done == "interim" else answer
            letter = letters.from_template(template, complaint)
            services.reply(
                complaint, template=template, subject=letter.subject, body=letter.body,
                actor=None,
            )  # fmt: skip
        if done in ("answer_close", "close"):
            services.move(complaint, "close", actor=None)
        made += 1
    return f"{made} complaints"
