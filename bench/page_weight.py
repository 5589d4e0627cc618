"""Bytes a resident's phone downloads for each public page type, before images.

Run against the demo (python manage.py quickstart) and paste the table into docs/accessibility.md:

    python bench/page_weight.py [http://127.0.0.1:8000]

HTML and the stylesheets and scripts it loads are fetched uncompressed and summed; the gzip column
is what a server that compresses (level 6) sends. The pages are those of tests/browser/pages.py.
"""

import gzip
import re
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.pages import PUBLIC_PAGES as PAGES

BUDGET = 100 * 1024
ASSET = re.compile(
    r"""<link\b[^>]*\brel=["']?stylesheet[^>]*\bhref=["']([^"']+)|<script\b[^>]*\bsrc=["']([^"']+)"""
)


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def measure(base: str) -> list[dict]:
    rows = []
    for name, path in PAGES.items():
        url = urljoin(base, path)
        html = fetch(url)
        assets = [fetch(urljoin(url, css or js)) for css, js in ASSET.findall(html.decode())]
        total = len(html) + sum(len(a) for a in assets)
        rows.append(
            {
                "page": name,
                "path": path,
                "html": len(html),
                "css_js": sum(len(a) for a in assets),
                "total": total,
                "gzip": len(gzip.compress(html, 6)) + sum(len(gzip.compress(a, 6)) for a in assets),
            }
        )
    return rows


def main() -> int:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    rows = measure(base)
    print(f"`python bench/page_weight.py {base}`, budget {BUDGET} bytes before images\n")
    print("| page | path | HTML | CSS + JS | total | gzip |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['page']} | `{r['path']}` | {r['html']:,} | {r['css_js']:,} | {r['total']:,} "
            f"| {r['gzip']:,} |"
        )
    over = [r["page"] for r in rows if r["total"] >= BUDGET]
    if over:
        print(f"\nover budget: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
