"""Logins are throttled per account and per address, page passwords per address, with a Chinese
lockout page that an administrator can lift; staff passwords are long; idle admin sessions end
(docs/roles.md, logins)."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.sessions import LAST_SEEN
from community.models import NoticeIndexPage

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "gongzhi-demo-2026"  # the demo accounts' published password


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


def _login(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_thirty_wrong_admin_passwords_lock_the_address_with_a_chinese_page(client):
    statuses = [_login(client, "weiyuan_xinghua", f"wrong{i}").status_code for i in range(30)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[5:]) == {429}
    locked = _login(client, "weiyuan_xinghua", PASSWORD)
    assert locked.status_code == 429  # even the right password, while locked
    body = locked.content.decode()
    assert "尝试次数过多" in body and "分钟后再试" in body
    assert locked["Retry-After"]


def test_an_account_is_locked_whatever_the_address(client):
    for i in range(5):
        _login(client, "weiyuan_xinghua", "wrong", address=f"198.51.100.{i}")
    assert _login(client, "weiyuan_xinghua", PASSWORD, address="192.0.2.99").status_code == 429
    # Another account from yet another address still logs in.
    assert _login(client, "weiyuan_shiqiao", PASSWORD, address="192.0.2.100").status_code == 302


def test_an_address_is_locked_whatever_the_account(client):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _login(client, name, "wrong")
    assert _login(client, "weiyuan_shiqiao", PASSWORD).status_code == 429
    assert _login(client, "weiyuan_shiqiao", PASSWORD, address="192.0.2.1").status_code == 302


def test_a_success_clears_the_accounts_failures(client):
    for _ in range(4):
        _login(client, "weiyuan_xinghua", "wrong")
    assert _login(client, "weiyuan_xinghua", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "weiyuan_xinghua", "wrong")
    assert _login(client, "weiyuan_xinghua", PASSWORD).status_code == 302


@pytest.fixture
def protected(xinghua):
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    restriction = PageViewRestriction.objects.create(
        page=board, restriction_type=PageViewRestriction.PASSWORD, password="xinghua-2026"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, board.pk))
    return board, url


def _guess(client, url, password, address="203.0.113.8"):
    return client.post(url, {"password": password, "return_url": "/"}, REMOTE_ADDR=address)


def test_twenty_page_password_guesses_are_throttled_per_address(client, protected):
    _board, url = protected
    statuses = [_guess(client, url, f"guess{i}").status_code for i in range(20)]
    assert statuses[0] == 200 and set(statuses[5:]) == {429}
    assert _guess(client, url, "xinghua-2026").status_code == 429
    # The village's other residents (other addresses) are not locked out of their own notices.
    assert _guess(client, url, "xinghua-2026", address="192.0.2.50").status_code == 302


def test_an_administrator_lifts_a_lockout(client, superuser):
    for _ in range(6):
        _login(client, "weiyuan_xinghua", "wrong")
    assert _login(client, "weiyuan_xinghua", PASSWORD).status_code == 429
    admin = type(client)()
    admin.force_login(superuser)
    page = admin.get(reverse("gongzhi_login_lockouts"))
    assert page.status_code == 200 and "weiyuan_xinghua" in page.content.decode()
    attempt = AccessAttempt.objects.get(username="weiyuan_xinghua")
    admin.post(
        reverse("gongzhi_login_lockouts"),
        {"username": attempt.username, "ip_address": attempt.ip_address},
    )
    assert _login(client, "weiyuan_xinghua", PASSWORD).status_code == 302


def test_only_administrators_see_the_lockouts(client, committee_xinghua, district_staff):
    for user in (committee_xinghua, district_staff):
        client.force_login(user)
        response = client.get(reverse("gongzhi_login_lockouts"))
        # Wagtail answers a refusal by sending the user back to the dashboard.
        assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))


def test_staff_passwords_have_at_least_twelve_characters(client, superuser):
    with pytest.raises(ValidationError):
        validate_password("Xq7!pz9#Lm2")  # 11 characters
    validate_password("Xq7!pz9#Lm2w")
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "weiyuan_new",
            "email": "new@example.cn",
            "first_name": "新",
            "last_name": "委员",
            "password1": "Xq7!pz9#Lm2",
            "password2": "Xq7!pz9#Lm2",
        },
    )
    assert response.status_code == 200  # the form again, refused
    assert "12" in response.content.decode()


def test_an_idle_admin_session_ends(client, committee_xinghua, settings):
    settings.ADMIN_IDLE_TIMEOUT_MINUTES = 120
    client.force_login(committee_xinghua)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 121 * 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert client.get("/admin/").status_code == 302  # logged out, not only redirected once


def test_an_active_admin_session_stays(client, committee_xinghua):
    client.force_login(committee_xinghua)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 119 * 60
    session.save()
    assert client.get("/admin/").status_code == 200


def test_the_lockouts_page_lifts_an_account_locked_from_many_addresses(client, superuser):
    for i in range(5):
        _login(client, "weiyuan_yinxing", "wrong", address=f"10.68.0.{i}")
    assert _login(client, "weiyuan_yinxing", PASSWORD, address="192.0.2.7").status_code == 429
    admin = type(client)()
    admin.force_login(superuser)
    page = admin.get(reverse("gongzhi_login_lockouts")).content.decode()
    assert "weiyuan_yinxing" in page
    admin.post(reverse("gongzhi_login_lockouts"), {"username": "weiyuan_yinxing"})
    assert _login(client, "weiyuan_yinxing", PASSWORD, address="192.0.2.7").status_code == 302


def test_the_lockouts_page_lifts_an_address_locked_over_many_accounts(client, superuser, protected):
    _board, url = protected
    for name in ("admin", "nouser1", "nouser2"):
        _login(client, name, "wrong", address="10.66.0.1")
    _guess(client, url, "guess1", address="10.66.0.1")
    _guess(client, url, "guess2", address="10.66.0.1")
    assert _login(client, "weiyuan_shiqiao", PASSWORD, address="10.66.0.1").status_code == 429
    admin = type(client)()
    admin.force_login(superuser)
    page = admin.get(reverse("gongzhi_login_lockouts")).content.decode()
    assert "10.66.0.1" in page
    assert "页面密码:" not in page  # a page password is named by its page, not by a key
    admin.post(reverse("gongzhi_login_lockouts"), {"ip_address": "10.66.0.1"})
    assert _login(client, "weiyuan_shiqiao", PASSWORD, address="10.66.0.1").status_code == 302


def test_the_page_password_form_is_the_sites_own_page(client, protected):
    board, _url = protected
    response = client.get(board.url)
    body = response.content.decode()
    assert 'name="viewport"' in body and "需要访问密码" in body
    assert "Password required" not in body
