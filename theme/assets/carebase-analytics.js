/* Carebase content-gap analytics: the questions the help centre could not answer.
 *
 * On the pages only when `carebase/search` has `analytics` (off by default). It listens to
 * the search box's events (assets/carebase-search.js) and sends, once a search has settled
 * (the reader stopped typing for the configured seconds, closed the search or left the page):
 *   "Search: no results"  the last query found nothing;
 *   "Search: no click"    the last query found pages, and the reader opened none of them;
 * and Material's "Was this page helpful?" answers as "Feedback". Queries being typed are never
 * sent, nor queries that led to a click. E-mail addresses and long numbers are scrubbed first.
 * Plausible gets them straight from here (its Events API, no script, no cookie); GA4 through
 * Google's gtag.js, loaded by this file only when GA4 is configured.
 */
(() => {
  "use strict";

  const box = document.querySelector("[data-cb-search]");
  if (!box || !box.dataset.cbSearchAnalytics) return;
  const config = JSON.parse(box.dataset.cbSearchAnalytics);
  const lang = box.dataset.cbSearchLang || document.documentElement.lang || "";
  const MAX_QUERY = 300;

  const EVENTS = {
    none: { plausible: "Search: no results", ga4: "search_no_results" },
    unclicked: { plausible: "Search: no click", ga4: "search_no_click" },
    feedback: { plausible: "Feedback", ga4: "page_feedback" },
  };

  // Readers type account numbers, phone numbers and e-mail addresses into search boxes.
  const scrub = (query) =>
    query
      .replace(/[^\s@]+@[^\s@]+/g, "[email]")
      .replace(/\+?\d[\d\s-]{4,}\d/g, "[number]")
      .slice(0, MAX_QUERY);

  /* --- senders --------------------------------------------------------------------- */

  const plausible = (event, props) => {
    const body = JSON.stringify({
      name: EVENTS[event].plausible,
      url: window.location.origin + window.location.pathname, // Never ?q=… (a query).
      domain: config.domain,
      props, // No referrer: where a reader came from says nothing about what is missing.
    });
    // text/plain, as Plausible's own script sends it: a simple request, no CORS preflight;
    // keepalive lets it finish while the page unloads.
    fetch(`${config.endpoint}/api/event`, {
      method: "POST",
      body,
      headers: { "Content-Type": "text/plain" },
      keepalive: true,
      credentials: "omit",
    }).catch(() => {});
  };

  let gtag = null;
  const ga4 = (event, props) => {
    if (!gtag) {
      window.dataLayer = window.dataLayer || [];
      gtag = function () { window.dataLayer.push(arguments); };
      gtag("js", new Date());
      // Only these events: no page views, no Google signals or ad personalisation.
      gtag("config", config.measurement_id, {
        send_page_view: false,
        allow_google_signals: false,
        allow_ad_personalization_signals: false,
      });
      const script = document.createElement("script");
      script.async = true;
      script.src = `https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(config.measurement_id)}`;
      document.head.append(script);
    }
    gtag("event", EVENTS[event].ga4, props);
  };

  const send = (event, props) => {
    const all = { ...props, lang };
    if (config.provider === "ga4") ga4(event, all);
    else plausible(event, all);
  };

  /* --- searches: only the last query of a search is judged, once it has settled ------ */

  const pending = { query: "", count: 0, clicked: false, timer: 0 };

  const settle = () => {
    window.clearTimeout(pending.timer);
    const { query, count, clicked } = pending;
    pending.query = "";
    if (!query || clicked) return;
    send(count ? "unclicked" : "none", { query: scrub(query), results: String(count) });
  };

  box.addEventListener("carebase:search", (event) => {
    const { query, count } = event.detail;
    window.clearTimeout(pending.timer);
    if (!query) {
      settle(); // The reader emptied the box: the question before it was not answered.
      return;
    }
    Object.assign(pending, { query, count, clicked: false });
    pending.timer = window.setTimeout(settle, config.no_click_seconds * 1000);
  });
  box.addEventListener("carebase:search-click", () => {
    pending.clicked = true;
  });
  box.addEventListener("carebase:search-close", settle);
  window.addEventListener("pagehide", settle);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") settle();
  });

  /* --- Material's "Was this page helpful?" (extra.analytics.feedback) --------------- */
  // Material shows the form only from its Google Analytics script: without it, here.

  const feedback = document.forms.feedback;
  if (feedback) {
    feedback.querySelectorAll("[type=submit]").forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        const rating = button.getAttribute("data-md-value") || "";
        send("feedback", { page: window.location.pathname, rating });
        feedback.firstElementChild.disabled = true;
        const note = [...feedback.querySelectorAll(".md-feedback__note [data-md-value]")]
          .find((element) => element.getAttribute("data-md-value") === rating);
        if (note) note.hidden = false;
      });
    });
    feedback.hidden = false;
  }
})();
