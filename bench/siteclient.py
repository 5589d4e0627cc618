"""What a resident's phone and a committee member's browser do, over HTTP, for the bench scripts
that drive a running site (bench/two_hosts.py, bench/faults.py): answer a form through the API,
log in to the admin, publish a page through its edit form, upload a document.

Plain `requests` with no Django imported: the scripts talk to the site as clients do.
"""

import json
import re
import time
import uuid
from dataclasses import dataclass, field

import bs4
import requests

from bench.cluster import ADMIN_PASSWORD, ADMIN_USER

TIMEOUT = 10


def answers_for(schema: dict, marker: str) -> dict:
    """Answers filling the form's required fields; the first text field carries `marker`, by
    which the script finds the answer in the database afterwards."""
    answers, marked = {}, False
    for f in schema["fields"]:
        if f["type"] in ("multiline", "singleline") and not marked:
            answers[f["name"]], marked = marker, True
        elif f["type"] == "consent" or (f["type"] == "checkbox" and f["required"]):
            answers[f["name"]] = True
        elif f["required"] and f["choices"]:
            answers[f["name"]] = f["choices"][0]["value"]
        elif f["required"]:
            answers[f["name"]] = "基准测试"
    if not marked:
        raise ValueError(f"form {schema['id']} has no text field to carry the marker")
    return answers


def resident_address(n: int) -> str:
    """A distinct client address per resident (10.x.y.z), as a gateway in front would write it."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@dataclass
class Outcome:
    marker: str
    key: str
    status: int | None  # the last attempt's status; None: no answer (connection cut, timeout)
    attempts: int
    host: str = ""
    acknowledged: bool = False
    statuses: list = field(default_factory=list)
    times: list = field(default_factory=list)  # when each attempt began (time.monotonic())
    started: float = 0.0
    ended: float = 0.0


def answer(
    base: str,
    form_id: int,
    schema: dict,
    marker: str,
    address: str,
    retries: int = 3,
    session: requests.Session | None = None,
    timeout: float = TIMEOUT,
) -> Outcome:
    """POST one answer with an Idempotency-Key; retry (same key) on no answer or a 5xx, as the
    mini-program guide asks (docs/api.md). Acknowledged = a 201 reached the client."""
    http = session or requests
    key = str(uuid.uuid4())
    body = json.dumps({"answers": answers_for(schema, marker)})
    headers = {"Content-Type": "application/json", "Idempotency-Key": key,
               "X-Forwarded-For": address}  # fmt: skip
    outcome = Outcome(marker=marker, key=key, status=None, attempts=0, started=time.monotonic())
    for attempt in range(retries + 1):
        outcome.attempts = attempt + 1
        outcome.times.append(time.monotonic())
        try:
            response = http.post(f"{base}/api/v3/forms/{form_id}/submissions/", data=body,
                                 headers=headers, timeout=timeout)  # fmt: skip
        except requests.RequestException as error:
            outcome.status = None
            outcome.statuses.append(type(error).__name__)
        else:
            outcome.status = response.status_code
            outcome.statuses.append(response.status_code)
            outcome.host = response.headers.get("Server", "")
            if response.status_code == 201:
                outcome.acknowledged = True
                break
            if response.status_code < 500 and response.status_code != 429:
                break
        time.sleep(min(0.2 * 2**attempt, 2))
    outcome.ended = time.monotonic()
    return outcome


def schema(base: str, form_id: int) -> dict:
    response = requests.get(f"{base}/api/v3/forms/{form_id}/", timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def _form_data(form: bs4.Tag) -> list[tuple[str, str]]:
    """What a browser would send for this form as it stands (no JS run)."""
    data = []
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        kind = element.get("type", "")
        if element.name == "input" and kind in ("checkbox", "radio"):
            if element.get("checked") is not None:
                data.append((name, element.get("value", "on")))
        elif element.name == "input" and kind in ("submit", "button", "file", "image"):
            continue
        elif element.name == "textarea":
            data.append((name, element.text))
        elif element.name == "select":
            chosen = element.find("option", selected=True) or element.find("option")
            if chosen is not None and element.get("multiple") is None:
                data.append((name, chosen.get("value", chosen.text)))
        else:
            data.append((name, element.get("value", "")))
    return data


class Admin:
    """A committee member's browser session on one host (or the balancer)."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def _csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token on the page")
        return match.group(1)

    def login(self, username=ADMIN_USER, password=ADMIN_PASSWORD) -> requests.Response:
        page = self.http.get(f"{self.base}/admin/login/", timeout=TIMEOUT)
        return self.http.post(
            f"{self.base}/admin/login/",
            data={
                "csrfmiddlewaretoken": self._csrf(page.text),
                "username": username,
                "password": password,
                "next": "/admin/",
            },
            timeout=TIMEOUT,
            allow_redirects=False,
        )

    def is_logged_in(self, base: str | None = None) -> bool:
        response = self.http.get(
            f"{base or self.base}/admin/", timeout=TIMEOUT, allow_redirects=False
        )
        return response.status_code == 200

    def publish(self, page_id: int, title: str, base: str | None = None) -> requests.Response:
        """Change a page's title through its edit form and publish it (a page without a
        StreamField: its form round-trips without JS)."""
        base = base or self.base
        edit = self.http.get(f"{base}/admin/pages/{page_id}/edit/", timeout=TIMEOUT)
        edit.raise_for_status()
        form = bs4.BeautifulSoup(edit.text, "html.parser").find("form", id="page-edit-form")
        data = [(k, v) for k, v in _form_data(form) if k != "title"]
        data += [("title", title), ("action-publish", "action-publish")]
        return self.http.post(f"{base}/admin/pages/{page_id}/edit/", data=data,
                              timeout=30, allow_redirects=False)  # fmt: skip

    def upload_document(self, name: str, content: bytes, title: str) -> requests.Response:
        page = self.http.get(f"{self.base}/admin/documents/add/", timeout=TIMEOUT)
        page.raise_for_status()
        form = bs4.BeautifulSoup(page.text, "html.parser").find(
            "form", enctype="multipart/form-data"
        )
        data = [(k, v) for k, v in _form_data(form) if k != "title"] + [("title", title)]
        return self.http.post(f"{self.base}/admin/documents/add/", data=data,
                              files={"file": (name, content)}, timeout=60,
                              allow_redirects=False)  # fmt: skip

    def document_url(self, title: str) -> str | None:
        """The serve URL of the newest document with this title (from the admin's listing)."""
        listing = self.http.get(
            f"{self.base}/admin/documents/", params={"q": title}, timeout=TIMEOUT
        )
        match = re.search(r'href="(/documents/\d+/[^"]+)"', listing.text)
        return match.group(1) if match else None
