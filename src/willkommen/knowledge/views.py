"""Staff pages of the knowledge base: the list with search, an article with its
versions and a diff between two, and the editors' forms.

Every article comes from ``selectors`` (who may see what); every write is one service.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.core import clock
from willkommen.knowledge import diff, search, selectors, services
from willkommen.knowledge.forms import ArticleForm, SearchForm
from willkommen.knowledge.models import ArticleAction
from willkommen.knowledge.states import TABLE

read_view = staff_view(*selectors.READ_ROLES)
edit_view = staff_view(*selectors.EDIT_ROLES)


def _article_or_404(request, pk):
    article = selectors.article_for_staff(request.user, pk)
    if article is None:
        # Also for a draft a reader may not see: whether it exists is not their business.
        raise Http404
    return article


@require_GET
@read_view
def article_list(request):
    editor = selectors.can_edit(request.user)
    form = SearchForm(request.GET or None, editor=editor)
    articles = selectors.visible_articles(request.user).select_related("owner")
    query = ""
    today = clock.office_today()
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        if data["kind"]:
            articles = articles.filter(kind=data["kind"])
        if data.get("status"):
            articles = articles.filter(status=data["status"])
        if data.get("review_due"):
            articles = articles.review_due(today)
    context = {
        "title": _("Knowledge base"),
        "form": form,
        "query": query,
        "editor": editor,
        "today": today,
    }
    if query:
        context["hits"] = search.search(articles, query)
    else:
        context["articles"] = articles.order_by("kind", "title")[:200]
    return render(
        request, "knowledge/article_list.html", context, status=400 if form.errors else 200
    )


def _diff_choice(request, versions):
    """The two version numbers to compare: from the query, else the last two."""
    numbers = [version.number for version in versions]
    try:
        old = int(request.GET.get("from", ""))
        new = int(request.GET.get("to", ""))
    except ValueError:
        old, new = (numbers[1], numbers[0]) if len(numbers) > 1 else (None, None)
    if old not in numbers or new not in numbers:
        return None, None
    return old, new


@require_GET
@read_view
def article_detail(request, pk):
    article = _article_or_404(request, pk)
    versions = list(selectors.versions_of(article))
    old, new = _diff_choice(request, versions)
    by_number = {version.number: version for version in versions}
    context = {
        "title": article.title,
        "article": article,
        "versions": versions,
        "events": article.events.select_related("actor"),
        "editor": selectors.can_edit(request.user),
        "actions": [
            (action, ArticleAction(action).label)
            for action in TABLE.allowed_actions(article.status)
        ],
        "review_due": article.review_on < clock.office_today(),
        "diff_from": old,
        "diff_to": new,
        "diff": diff.compare(by_number[old], by_number[new]) if old is not None else None,
        "services": article.services.all(),
        "case_types": article.case_types.select_related("service"),
        "checklist_items": article.checklist_items.select_related("service"),
    }
    return render(request, "knowledge/article_detail.html", context)


def _form_page(request, form, article=None, status=200):
    title = _("Edit article") if article else _("New article")
    return render(
        request,
        "knowledge/article_form.html",
        {"title": title, "form": form, "article": article},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@edit_view
def article_create(request):
    if request.method == "GET":
        return _form_page(request, ArticleForm(initial={"owner": request.user.pk}))
    form = ArticleForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    article = services.create_article(form.content(), actor=request.user)
    messages.success(request, _("Article created as a draft."))
    return redirect("knowledge:detail", article.pk)


@require_http_methods(["GET", "POST"])
@edit_view
def article_edit(request, pk):
    article = _article_or_404(request, pk)
    if request.method == "GET":
        return _form_page(request, ArticleForm.for_article(article), article)
    form = ArticleForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, article, status=400)
    try:
        saved = services.edit_article(
            article,
            form.content(),
            actor=request.user,
            expected_version=form.cleaned_data["expected_version"] or 0,
            note=form.cleaned_data["note"],
        )
    except services.KnowledgeError as error:
        messages.error(request, str(error.message))
        return _form_page(request, form, article, status=error.http_status)
    messages.success(request, _("Saved as version %(version)s.") % {"version": saved.version})
    return redirect("knowledge:detail", saved.pk)


@require_POST
@edit_view
def article_move(request, pk):
    article = _article_or_404(request, pk)
    action = request.POST.get("action", "")
    if action not in ArticleAction.values or action == ArticleAction.CREATE:
        messages.error(request, _("Unknown action."))
        return redirect("knowledge:detail", article.pk)
    try:
        moved = services.move_article(article, action, actor=request.user)
    except services.REFUSED as error:
        messages.error(request, str(error.message))
        return redirect("knowledge:detail", article.pk)
    messages.success(
        request, _("The article is now “%(state)s”.") % {"state": moved.get_status_display()}
    )
    return redirect("knowledge:detail", moved.pk)
