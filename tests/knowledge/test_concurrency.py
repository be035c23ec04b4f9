"""Two editors saving the same version at once: one new version, the other refused.

Threads with their own connections; on PostgreSQL the row lock decides, on SQLite the
IMMEDIATE transactions serialise the writers.
"""

import pytest

from tests.cases.test_concurrency import run_together
from tests.knowledge.factories import article, content, editor
from willkommen.knowledge import services
from willkommen.knowledge.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_edits_of_one_version_make_one_new_version():
    authors = [editor(username=f"lead{n}") for n in range(4)]
    made = article(authors[0])

    def save(index):
        body = f"Fassung von {authors[index].username}."
        return services.edit_article(
            made, content(authors[0], body=body), actor=authors[index], expected_version=1
        )

    results = run_together(4, save)
    saved = [r for r in results if isinstance(r, Article)]
    refused = [r for r in results if isinstance(r, services.KnowledgeError)]
    assert len(saved) == 1 and len(refused) == 3, results
    assert {error.code for error in refused} == {"stale_version"}
    current = Article.objects.get(pk=made.pk)
    assert current.version == 2 and current.body == saved[0].body
    assert list(current.versions.values_list("number", flat=True)) == [2, 1]
