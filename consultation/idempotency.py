"""One stored answer per key: the API's Idempotency-Key header and the one-time token of the site's
form (docs/api.md, docs/consultations.md).

The key is claimed by inserting an AnswerReceipt in the transaction that stores the answer; the
database's unique constraint (page, surface, key) makes a second request with the same key wait for
the first to commit, then find its receipt: one row, on every host, with or without the cache. Only
an accepted answer keeps its receipt; a refused one gives its key back, so the same key may carry
the corrected answers. Receipts are kept ANSWER_RECEIPT_HOURS (24 h), then purged
(`manage.py purge_answer_receipts`); the form's token is refused once older than that, so a token
can never outlive the receipt that makes its retry harmless.

Keys are per form, not per client address: a phone that moves from Wi-Fi to 4G between two tries
keeps its key. A key is a random value the client chose (a UUID), so another client never meets it.

This module does not import the models (they import the answer pipeline, which imports this)."""

from __future__ import annotations

import datetime
import json
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

if TYPE_CHECKING:
    from consultation.models import AnswerReceipt, CommunityFormSubmission

# Visible ASCII, no spaces: what a UUID, a ULID or a random token is made of.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,200}")
TOKEN_FIELD = "answer_token"
# Posted fields that are not the answer: the same answer sent again carries the same digest.
NOT_ANSWERS = frozenset({TOKEN_FIELD, "csrfmiddlewaretoken"})
_TOKEN_SALT = "consultation.answer-token"


@dataclass(frozen=True)
class Once:
    """The key an answer was sent with, and a digest of what it said. `fresh` is False for a form
    token older than the receipts kept: it may still be answered by its receipt, never store."""

    key: str
    digest: str
    fresh: bool = True


@dataclass(frozen=True)
class Replayed:
    """A retry of an answer already stored: the first answer's status and body."""

    status: int
    body: dict
    submission_id: int | None


class KeyReused:
    """The key already carried a different answer."""


REUSED = KeyReused()


def valid_key(key: str) -> bool:
    return KEY_PATTERN.fullmatch(key) is not None


def retention() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.ANSWER_RECEIPT_HOURS)


def digest(answer: Any) -> str:
    """A keyed hash of the answer: equal answers, equal digests; a mobile number in it cannot be
    found again by hashing every number (the key is the site's SECRET_KEY)."""
    canonical = json.dumps(answer, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return salted_hmac("consultation.answer-receipt", canonical, algorithm="sha256").hexdigest()


def post_digest(post) -> str:
    """The digest of a browser's post, without its CSRF token and one-time token."""
    return digest({name: post.getlist(name) for name in sorted(post) if name not in NOT_ANSWERS})


def _receipts():
    return apps.get_model("consultation", "AnswerReceipt").objects


def claim(page_id: int, surface: str, once: Once) -> AnswerReceipt | Replayed | KeyReused:
    """The receipt this request now holds (to remember() or release()), or what the key already
    answered. Call inside the transaction that stores the answer."""
    receipts = _receipts()
    mine = receipts.filter(page_id=page_id, surface=surface, key=once.key)
    mine.filter(created_at__lt=timezone.now() - retention()).delete()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return receipts.create(
                    page_id=page_id, surface=surface, key=once.key, digest=once.digest, status=0
                )
        except IntegrityError:  # another request holds the key, and has committed
            pass
        receipt = mine.first()
        if receipt is not None:
            if receipt.digest != once.digest:
                return REUSED
            return Replayed(receipt.status, receipt.body, receipt.submission_id)
    raise RuntimeError("an answer receipt was both present and absent")  # pragma: no cover


def remember(receipt: AnswerReceipt, status: int, submission: CommunityFormSubmission) -> None:
    receipt.status = status
    receipt.body = {"id": submission.pk}
    receipt.submission = submission
    receipt.save(update_fields=["status", "body", "submission"])


def release(receipt: AnswerReceipt) -> None:
    receipt.delete()


def purge(now: datetime.datetime | None = None) -> int:
    """Delete the receipts past their time; returns how many."""
    cutoff = (now or timezone.now()) - retention()
    return _receipts().filter(created_at__lt=cutoff).delete()[0]


def issue_token(page_id: int) -> str:
    """A one-time token for one rendering of a form page: signed, so that no write is needed to
    hand it out (a GET stays a read), and bound to the page."""
    signer = signing.TimestampSigner(salt=_TOKEN_SALT)
    return signer.sign(f"{page_id}.{secrets.token_urlsafe(16)}")


def read_token(token: str, page_id: int, post) -> Once | None:
    """The key of a token this site issued for this page, or None for any other."""
    signer = signing.TimestampSigner(salt=_TOKEN_SALT)
    try:
        value = signer.unsign(token)
    except signing.BadSignature:
        return None
    page, _, nonce = value.partition(".")
    if page != str(page_id) or not nonce:
        return None
    try:
        signer.unsign(token, max_age=retention())
        fresh = True
    except signing.SignatureExpired:
        fresh = False
    return Once(nonce, post_digest(post), fresh)
