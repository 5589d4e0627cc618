"""Who sees which history: the district everything, a reviewer their townships' communities, a
committee its own community; by the listing, by the filters and by typing the URL."""

import pytest
from django.contrib.auth import get_user_model

from community.models import CommunityPage
from tests.community.review.helpers import FACTORIES, history_url

pytestmark = pytest.mark.django_db
AUDIT = "/admin/review/audit/"


def _communities_in_export(client, **params) -> set[str]:
    import csv
    import io

    response = client.get(AUDIT, {**params, "export": "csv"})
    text = b"".join(response.streaming_content).decode()
    return {row["村/社区"] for row in csv.DictReader(io.StringIO(text))}


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.mark.parametrize(
    ("username", "communities"),
    [
        ("minzheng", {"杏花村", "石桥村", "南山村", "银杏社区", "和平里社区"}),
        ("shenhe_liuxi", {"杏花村", "石桥村", "南山村"}),
        ("shenhe_dongcheng", {"银杏社区", "和平里社区"}),
        ("weiyuan_xinghua", {"杏花村"}),
        ("weiyuan_yinxing", {"银杏社区"}),
        ("jiandu_xinghua", {"杏花村"}),
    ],
)
def test_audit_log_is_scoped_per_role(client, username, communities):
    client.force_login(_user(username))
    assert _communities_in_export(client) == communities


@pytest.mark.parametrize("key", sorted(FACTORIES))
@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("minzheng", 200),
        ("shenhe_liuxi", 200),
        ("weiyuan_xinghua", 200),
        ("jiandu_xinghua", 200),
        ("shenhe_dongcheng", 404),
        ("jiandu_shiqiao", 404),
        ("weiyuan_shiqiao", 404),
        ("weiyuan_yinxing", 404),
    ],
)
def test_history_of_a_xinghua_record_by_url(
    client, committee_xinghua, xinghua, key, username, status
):
    record = FACTORIES[key][0](xinghua, committee_xinghua)
    client.force_login(_user(username))
    if key == "community.supervisionreport" and username == "weiyuan_xinghua":
        status = 404  # the supervision committee's reports about the committee are not its to read
    assert client.get(history_url(record)).status_code == status


def test_reviewer_cannot_reach_another_township_through_the_filters(
    client, reviewer_dongcheng, liuxi, xinghua
):
    client.force_login(reviewer_dongcheng)
    assert _communities_in_export(client, township=liuxi.pk) <= {"银杏社区", "和平里社区"}
    assert _communities_in_export(client, community=xinghua.pk) <= {"银杏社区", "和平里社区"}
    html = client.get(AUDIT).content.decode()
    assert "柳溪镇" not in html and "杏花村" not in html


def test_users_without_a_role_are_refused(client, django_user_model, xinghua, committee_xinghua):
    from django.contrib.auth.models import Permission

    outsider = django_user_model.objects.create_user("outsider", password="x")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    record = FACTORIES["consultation.decision"][0](xinghua, committee_xinghua)
    client.force_login(outsider)
    for url in (
        AUDIT,
        history_url(record),
        "/admin/review/report/",
        "/admin/review/notifications/",
    ):
        assert client.get(url).status_code in (302, 403), url
    client.logout()
    assert client.get(AUDIT).status_code == 302  # to the login page


def test_superuser_sees_everything(client, superuser):
    client.force_login(superuser)
    assert _communities_in_export(client) == set(
        CommunityPage.objects.values_list("title", flat=True)
    )
