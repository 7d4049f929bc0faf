/* Carebase: hide a service notice once its window has passed, even on a page built earlier. */
(function () {
  function refresh() {
    var now = Date.now();
    document.querySelectorAll("[data-cb-notice]").forEach(function (el) {
      var ends = el.getAttribute("data-cb-ends");
      var starts = el.getAttribute("data-cb-starts");
      var over = ends && Date.parse(ends) <= now;
      var early = starts && Date.parse(starts) > now;
      el.hidden = Boolean(over || early);
    });
    document.querySelectorAll(".cb-notices").forEach(function (box) {
      var visible = box.querySelector("[data-cb-notice]:not([hidden])");
      var banner = box.closest(".md-banner");
      if (banner && !visible) banner.hidden = true;
    });
  }
  if (window.document$) { window.document$.subscribe(refresh); } else { refresh(); }
})();
