// A table wider than the screen scrolls sideways inside its own box (portal.css). Someone who
// uses the keyboard must be able to reach such a box to scroll it, so while a table overflows
// it gets a tab stop; when it fits again (a wider window) the tab stop goes, so that nobody
// tabs through tables that do not scroll. Tables put in later (the live report) count too.
(function () {
  function mark() {
    document.querySelectorAll("table.list").forEach(function (table) {
      if (table.parentElement.classList.contains("scroll")) { return; }  // its wrapper scrolls and has a tab stop
      var overflows = table.scrollWidth > table.clientWidth + 1;
      if (overflows && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.dataset.scrollStop = "true";
      } else if (!overflows && table.dataset.scrollStop) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollStop;
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
  new MutationObserver(mark).observe(document.querySelector("main") || document.body, {childList: true, subtree: true});
}());
