"""In-page checks shared by the browser tests: axe-core, text zoom, headings, labels, focus."""

import itertools

from tests.browser.conftest import AXE_JS

BLOCKING_IMPACTS = ("serious", "critical")
AXE_URL = "/__axe-core.js"  # answered by the test itself, never by the site


def _inject_axe(page) -> None:
    """axe-core as a same-origin script file: the site's Content-Security-Policy refuses the
    inline script Playwright's `add_script_tag(path=…)` would write."""
    if not getattr(page, "_axe_routed", False):
        page.route(
            f"**{AXE_URL}",
            lambda route: route.fulfill(path=str(AXE_JS), content_type="text/javascript"),
        )
        page._axe_routed = True
    page.add_script_tag(url=AXE_URL)


def axe_violations(page, impacts=BLOCKING_IMPACTS, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core (WCAG 2.x A/AA and best practices, or only `rules`) in the page; violations
    of these impacts."""
    page.wait_for_load_state("load")  # colours and sizes are the stylesheets', once they are in
    _inject_axe(page)
    options = {"resultTypes": ["violations"], **({"runOnly": rules} if rules else {})}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def zoom_text(page, factor: float = 2.0) -> None:
    """Text-only zoom, as a browser's "text size" setting does it: the root font size is
    multiplied (every size in the stylesheet is in rem/em or %, so all text follows)."""
    page.evaluate(
        """factor => {
            const root = document.documentElement;
            const px = parseFloat(getComputedStyle(root).fontSize);
            root.style.fontSize = (px * factor) + 'px';
        }""",
        factor,
    )


def horizontal_overflow(page) -> dict:
    """The page's scroll width against the viewport, and the elements and texts that stick out of
    it (a text can run past its box, which then stays inside: an unbreakable address), whether
    the page scrolls sideways to them or a box cuts them off."""
    # Measured once the stylesheets are in: Chromium 156 lays a page out before its <link>ed CSS
    # arrives when a script asks, and an unstyled print view's address ran past 360 px.
    page.wait_for_load_state("load")
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            // Content inside a scrolling box (a wide table) may scroll there; inside a box that
            // hides its overflow (Wagtail's <main> on a phone) it is cut off, which is reported.
            // What is not shown (a closed side panel parked off screen) is not.
            const scrolls = el => {
                for (let p = el; p; p = p.parentElement) {
                    const s = getComputedStyle(p).overflowX;
                    if (s === 'auto' || s === 'scroll') return true;
                }
                return false;
            };
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => {
                    const r = el.getBoundingClientRect();
                    return r.width > 0 && r.right > width + 1 && !scrolls(el.parentElement)
                        && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
                })
                .slice(0, 5)
                .map(el => el.outerHTML.slice(0, 120));
            const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node; (node = texts.nextNode()) && wide.length < 5; ) {
                const range = document.createRange();
                range.selectNodeContents(node);
                const out = [...range.getClientRects()].some(r => r.right > width + 1);
                const shown = node.parentElement.checkVisibility(
                    {visibilityProperty: true, opacityProperty: true});
                if (out && shown && !scrolls(node.parentElement)) {
                    wide.push(`text in <${node.parentElement.tagName.toLowerCase()} class="`
                        + `${node.parentElement.className}">: ${node.textContent.slice(0, 80)}`);
                }
            }
            return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide};
        }"""
    )


def heading_levels(page) -> list[int]:
    return page.evaluate(
        "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
        ".filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))"
    )


def heading_problems(levels: list[int]) -> list[str]:
    """One h1, first; no level deeper than one below the heading before it."""
    problems = []
    if not levels or levels[0] != 1:
        problems.append(f"the first heading is not an h1: {levels}")
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 elements")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{before} is followed by h{after}")
    return problems


def unlabelled_controls(page) -> list[str]:
    """Inputs, selects and textareas (not hidden ones) with no label and no aria name."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden')
            .filter(el => !(el.labels && [...el.labels].some(l => l.textContent.trim()))
                && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML.slice(0, 120))"""
    )


def focused_outline(page) -> dict:
    """The focused element and its outline, as computed."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40),
                    style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor};
        }"""
    )


def broken_aria_references(page) -> list[str]:
    """aria-describedby / aria-labelledby / aria-controls naming an id that is not in the page."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '[aria-describedby], [aria-labelledby], [aria-controls]')]
            .flatMap(el => ['aria-describedby', 'aria-labelledby', 'aria-controls']
                .flatMap(name => (el.getAttribute(name) || '').split(/\\s+/).filter(Boolean)
                    .filter(id => !document.getElementById(id))
                    .map(id => `${el.tagName.toLowerCase()}#${el.id} ${name}=${id}`)))"""
    )


def small_targets(page, minimum: int = 24) -> list[str]:
    """Visible form controls smaller than minimum×minimum CSS px (WCAG 2.2 target size, AA)."""
    return page.evaluate(
        """minimum => [...document.querySelectorAll('input, select, textarea, button')]
            .filter(el => el.type !== 'hidden' && el.getClientRects().length)
            .filter(el => !el.closest('[aria-hidden="true"]'))
            .filter(el => {
                const r = el.getBoundingClientRect();
                return r.width < minimum || r.height < minimum;
            })
            .map(el => el.outerHTML.slice(0, 120))""",
        minimum,
    )


# Latin text that is not English UI: abbreviations residents know, file types, and identifiers.
LATIN_ALLOWED = ("QR", "API", "URL", "ID", "PDF", "CSV", "XLSX", "PNG", "SVG", "Excel", "Wagtail")


def latin_only_texts(page, allow: tuple[str, ...] = ()) -> list[str]:
    """Visible texts of the page (text nodes, and the placeholder, aria-label and title of visible
    elements) that have Latin letters and no Chinese: untranslated UI. Left out: text in code/pre,
    URLs, e-mail addresses, numbers and dates, words of LATIN_ALLOWED, and `allow` (usernames).
    Screen-reader-only text counts: it is the admin speaking too."""
    return page.evaluate(
        """allowed => {
            const cjk = /[\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef]/;
            const ignorable = new RegExp(
                '(https?://\\\\S+|/[\\\\w./%?=&#-]*|[\\\\w.+-]+@[\\\\w.-]+|\\\\b(' +
                allowed.map(w => w.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')).join('|') +
                ')\\\\b|[\\\\d.,:%+×x-]+)', 'g');
            const untranslated = t => /[A-Za-z]/.test(t.replace(ignorable, '')) && !cjk.test(t);
            const shown = el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
            const found = new Set();
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode());) {
                const parent = node.parentElement;
                if (!parent || parent.closest('script, style, noscript, template, code, pre')) continue;
                const text = node.textContent.replace(/\\s+/g, ' ').trim();
                if (text && untranslated(text) && shown(parent)) found.add(text);
            }
            for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
                if (!shown(el)) continue;
                for (const name of ['placeholder', 'aria-label', 'title']) {
                    const text = (el.getAttribute(name) || '').trim();
                    if (text && untranslated(text)) found.add(`${name}="${text}"`);
                }
            }
            return [...found];
        }""",
        [*LATIN_ALLOWED, *allow],
    )
