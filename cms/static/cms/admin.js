// A listing wider than a phone scrolls in its own box (editor.css): such a box takes the keyboard
// focus, so it can be scrolled with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable).
(() => {
  let queued = false;
  const mark = () => {
    queued = false;
    for (const table of document.querySelectorAll(".content-wrapper table.listing")) {
      if (table.scrollWidth > table.clientWidth + 1) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    mark();
    new ResizeObserver(mark).observe(document.documentElement);
    // Filtering a report replaces its listing in place.
    const main = document.querySelector(".content-wrapper");
    const later = () => {
      if (!queued) requestAnimationFrame(mark);
      queued = true;
    };
    if (main) new MutationObserver(later).observe(main, {childList: true, subtree: true});
  });
})();
