"""Who the client is: the address the outermost trusted proxy saw. Used by the form rate limit
(cms/ratelimit.py) and login throttling (cms/logins.py, AXES_CLIENT_IP_CALLABLE)."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address as the outermost trusted proxy saw it."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    # Each trusted proxy appends the address it was connected from: the entry `proxies` from the
    # right was written by the outermost trusted proxy; what stands left of it, by the client.
    # Fewer entries: the request came in through the inner proxies only, each entry is theirs.
    return hops[-min(proxies, len(hops))] if hops else remote
