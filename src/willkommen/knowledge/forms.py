"""The knowledge base's forms: search and filter, and an article's edit form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from willkommen.cases.models import CaseType
from willkommen.catalog.models import ChecklistItem, Service
from willkommen.core.i18n import tr
from willkommen.knowledge import selectors
from willkommen.knowledge.models import ArticleKind, ArticleStatus
from willkommen.knowledge.services import ArticleContent

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all kinds")), *ArticleKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("State"), choices=[("", _("all states")), *ArticleStatus.choices], required=False
    )
    review_due = forms.BooleanField(label=_("only those past their review date"), required=False)

    def __init__(self, *args, editor=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editor:  # others see published articles only: nothing to choose
            del self.fields["status"]
            del self.fields["review_due"]


class ChecklistItemChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        return f"{tr(item.service.name)}: {tr(item.title)}"


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    paragraph = forms.CharField(
        label=_("Paragraph"), max_length=40, required=False, help_text=_("e.g. § 81 Abs. 4")
    )
    statute = forms.CharField(
        label=_("Statute"), max_length=40, required=False, help_text=_("e.g. AufenthG")
    )
    link = forms.URLField(
        label=_("Link to the source"),
        required=False,
        assume_scheme="https",
        help_text=_("e.g. the paragraph on gesetze-im-internet.de"),
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=50_000
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=selectors.possible_owners())
    review_on = forms.DateField(
        label=_("Review by"), widget=DATE_INPUT, help_text=_("The owner is reminded after it.")
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=Service.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    case_types = forms.ModelMultipleChoiceField(
        label=_("Case types"),
        queryset=CaseType.objects.select_related("service"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    checklist_items = ChecklistItemChoice(
        label=_("Checklist items"),
        queryset=ChecklistItem.objects.select_related("service").order_by("service__slug", "pk"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=200,
        required=False,
        help_text=_("A short note for the version history."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ArticleKind.LEGAL_BASIS and not data.get("paragraph"):
            self.add_error("paragraph", _("A legal basis names its paragraph."))
        return data

    def content(self) -> ArticleContent:
        data = self.cleaned_data
        return ArticleContent(
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            owner=data["owner"],
            review_on=data["review_on"],
            statute=data["statute"],
            paragraph=data["paragraph"],
            link=data["link"],
            services=list(data["services"]),
            case_types=list(data["case_types"]),
            checklist_items=list(data["checklist_items"]),
        )

    @classmethod
    def for_article(cls, article):
        return cls(
            initial={
                "kind": article.kind,
                "title": article.title,
                "paragraph": article.paragraph,
                "statute": article.statute,
                "link": article.link,
                "body": article.body,
                "owner": article.owner_id,
                "review_on": article.review_on,
                "services": list(article.services.values_list("pk", flat=True)),
                "case_types": list(article.case_types.values_list("pk", flat=True)),
                "checklist_items": list(article.checklist_items.values_list("pk", flat=True)),
                "expected_version": article.version,
            }
        )
