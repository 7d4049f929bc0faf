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

/* Carebase: an untranslated article is published once, in the default language. A reader who
   arrives from another language (its pages remember it) sees the note in that language. */
(function () {
  var KEY = "carebase.lang";
  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function showFallbackNote() {
    var store = storage();
    var wanted = store && store.getItem(KEY);
    var box = document.querySelector("[data-cb-fallback]");
    var note = box && wanted ? box.querySelector('[data-cb-lang="' + wanted + '"]') : null;
    if (note) {
      box.hidden = false;
      note.hidden = false;
      // The article's end (related articles, help) in the reader's language, when it has one.
      document.querySelectorAll("[data-cb-ending]").forEach(function (ending) {
        ending.hidden = ending.getAttribute("data-cb-ending") !== wanted;
      });
    } else if (store) {
      store.setItem(KEY, document.documentElement.lang);
    }
  }
  if (window.document$) { window.document$.subscribe(showFallbackNote); } else { showFallbackNote(); }
})();
