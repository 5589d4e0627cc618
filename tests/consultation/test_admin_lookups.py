"""modeladmin turns query parameters into ORM lookups: none may probe a speaker's name or a password."""

import pytest
from django.urls import reverse

from consultation.models import Deliberation

pytestmark = pytest.mark.django_db
INDEX = reverse("consultation_deliberation_modeladmin_index")


def _inspect(pk):
    return reverse("consultation_deliberation_modeladmin_inspect", args=(pk,))


# 1. Personal data / secrets: modeladmin index accepts arbitrary ORM lookups from the query string.
def test_reviewer_cannot_probe_speaker_names_through_index_lookups(client, reviewer_liuxi, xinghua):
    record = next(
        r
        for r in Deliberation.objects.filter(community=xinghua)
        if any(b.value["speaker_name"] == "王秀英" for b in r.opinions)
    )
    idx = next(i for i, b in enumerate(record.opinions) if b.value["speaker_name"] == "王秀英")
    client.force_login(reviewer_liuxi)
    key = f"opinions__{idx}__value__speaker_name"
    hit = client.get(INDEX, {key: "王秀英"}).content.decode()
    miss = client.get(INDEX, {key: "某某某"}).content.decode()
    # Correct behaviour: such a lookup is refused (400) or ignored, so hit and miss look the same.
    assert (_inspect(record.pk) in hit) == (_inspect(record.pk) in miss)


def test_index_lookups_cannot_reach_password_hashes(client, reviewer_liuxi, xinghua):
    own = Deliberation.objects.filter(community=xinghua).select_related("agenda").first()
    author = own.agenda.latest_revision.user
    assert author is not None  # the committee member who wrote the agenda
    client.force_login(reviewer_liuxi)
    key = "agenda__latest_revision__user__password__startswith"
    hit = client.get(INDEX, {key: author.password[:20]})
    miss = client.get(INDEX, {key: "zzzz"})
    assert hit.status_code == 400 or (
        (_inspect(own.pk) in hit.content.decode()) == (_inspect(own.pk) in miss.content.decode())
    )
