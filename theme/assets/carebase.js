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

/* Carebase: opened from elsewhere (the "/" key, the home page's box, the search icon), the
   search dialog keeps the keyboard inside (Tab and Shift+Tab cycle through it) and gives focus
   back to what had it when it closes. Reached by tabbing into the header's box, it is not a
   trap: tabbing on past it closes it. */
(function () {
  var toggle = document.querySelector("[data-md-toggle=search]");
  var dialog = document.querySelector("[data-cb-search]");
  if (!toggle || !dialog) return;
  var modal = false;
  var opener = null;
  function focusable() {
    return Array.prototype.filter.call(
      dialog.querySelectorAll("input, button, a[href], [tabindex]"),
      function (el) { return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0; });
  }
  function close() {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
  }
  toggle.addEventListener("change", function () {
    var active = document.activeElement;
    if (toggle.checked) {
      modal = !dialog.contains(active);
      opener = modal && active !== document.body ? active : null;
    } else if (opener && document.contains(opener)) {
      var back = opener;
      opener = null;
      // After the search script's own blur() of its box.
      window.setTimeout(function () { back.focus(); }, 0);
    }
  });
  document.addEventListener("focusin", function (event) {
    if (toggle.checked && !modal && !dialog.contains(event.target)) close();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !toggle.checked || !modal) return;
    var stops = focusable();
    if (!stops.length) return;
    var first = stops[0];
    var last = stops[stops.length - 1];
    var inside = dialog.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });
})();
