/* Carebase search: Pagefind (or Algolia) behind Material's header search box.
 *
 * The box's markup is partials/carebase/search.html; its options are data- attributes on
 * [data-cb-search]. Queries go to the backend; when no page has every word of a question
 * ("how do i get a refund for a late payment fee"), the fallback searches the important words
 * together, then each on its own, and ranks pages by how many of the rarer words they match.
 * window.carebaseSearch = {ready, search(query, {fallback, filters, limit})} is the same search
 * for scripts (the search-quality benchmark and the browser tests use it).
 */
(() => {
  "use strict";

  const box = document.querySelector("[data-cb-search]");
  if (!box) return;

  const STOPWORDS = {
    en: "a about an and are at be by can do does for from get got has have how i i'm if in is it " +
      "its me my no not of on or our so that the their there this to up was we what when where " +
      "which who why will with would you your",
    es: "a al con como cómo cuál cuándo de del el en es esta este hay la las lo los me mi mis no " +
      "para pero por puedo qué que se si sin su sus un una y yo",
    de: "am an auf aus bei das dem den der des die ein eine einen er es für hat ich ihr im in ist " +
      "kann man mein meine mich mir mit nicht oder sie und von was wie wo zu zum zur",
  };
  const MERGE_DEPTH = 40;
  const BUNDLE_FILTER = "carebase_bundle";
  const DEBOUNCE_MS = 120;

  const options = box.dataset;
  const lang = options.cbSearchLang || document.documentElement.lang || "en";
  const stopwords = new Set((STOPWORDS[lang] || STOPWORDS.en).split(" "));

  const words = (query) =>
    query.toLocaleLowerCase(lang).split(/[^\p{L}\p{N}'’-]+/u).filter((word) => word.length > 0);

  /* --- backends: raw hits for one query, each with a score and a way to load its data --- */

  const pagefindBackend = () => {
    const bundle = new URL(options.cbSearchBundle, window.location.href);
    // Each language's bundle sits in that language's folder: its pages' addresses start there.
    const root = new URL("..", bundle).pathname;
    // A large language's index comes in several bundles (pagefind/, pagefind-2/…): the first
    // one's script searches them all as one list, sorted by score. Each bundle tags its pages
    // with a filter of its own (BUNDLE_FILTER: "1", "2"…) so a search can tell them apart.
    const merged = JSON.parse(options.cbSearchMerge || "[]").map(
      (folder) => new URL(folder, window.location.href).pathname,
    );
    const tag = (number) => (merged.length ? { mergeFilter: { [BUNDLE_FILTER]: String(number) } } : {});
    let pagefind = null;
    const ready = import(bundle.href).then(async (module) => {
      await module.options({ baseUrl: root, excerptLength: 24, ...tag(1) });
      await module.init();
      await Promise.all(
        merged.map((folder, at) =>
          module.mergeIndex(folder, { baseUrl: root, excerptLength: 24, ...tag(at + 2) }).catch((error) => {
            console.warn(`Carebase search: bundle ${folder} could not be merged`, error);
          }),
        ),
      );
      pagefind = module;
    });
    // Which bundles hold a word as such (an exact search, counted per bundle), once per word.
    const holders = new Map();
    const bundlesWith = async (word) => {
      if (!holders.has(word)) {
        holders.set(word, pagefind.search(`"${word}"`, {}).then((response) =>
          new Set(Object.entries((response && response.filters[BUNDLE_FILTER]) || {})
            .filter(([, count]) => count > 0).map(([number]) => number))));
      }
      return holders.get(word);
    };
    return {
      ready,
      async hits(query, filters) {
        const response = await pagefind.search(query, { filters });
        if (!response || !merged.length || !response.results.length) return response ? response.results : [];
        // Pagefind stands in a shorter word for one a bundle lacks ("re" for "refund"): in a
        // single index that happens only for words the whole site lacks. Keep it so: a word
        // some bundle holds leaves out the bundles without it.
        const found = Object.entries(response.filters[BUNDLE_FILTER] || {})
          .filter(([, count]) => count > 0).map(([number]) => number);
        let keep = new Set(found);
        for (const word of new Set(words(query).filter((word) => /^[\p{L}\p{N}]+$/u.test(word)))) {
          const holding = await bundlesWith(word);
          if (holding.size) keep = new Set([...keep].filter((number) => holding.has(number)));
        }
        if (keep.size === found.length) return response.results;
        if (!keep.size) return [];
        const narrowed = await pagefind.search(query, {
          filters: { ...filters, [BUNDLE_FILTER]: { any: [...keep] } },
        });
        return narrowed ? narrowed.results : [];
      },
      async page(hit) {
        const data = await hit.data();
        const filters = data.filters || {};
        return {
          url: data.url,
          title: (data.meta && data.meta.title) || data.url,
          excerpt: data.excerpt || "",
          category: (filters.category || [])[0] || "",
          type: (filters.type || [])[0] || "",
          typeLabel: (filters.type || [])[0] || "",
        };
      },
    };
  };

  // Algolia records carry the kind of page as a word; readers see it in their language.
  const typeLabels = JSON.parse(options.cbSearchTypes || "{}");

  const algoliaBackend = () => {
    // Records hold the published address; a preview or a mirror links to its own pages.
    const sitePath = options.cbSearchSitePath || "/";
    const root = new URL(options.cbSearchRoot || ".", window.location.href).pathname;
    const local = (address) => {
      const parsed = new URL(address, window.location.href);
      const path = parsed.pathname.startsWith(sitePath)
        ? root + parsed.pathname.slice(sitePath.length)
        : parsed.pathname;
      return path + parsed.hash;
    };
    const url = `${options.cbSearchAlgoliaHost}/1/indexes/${encodeURIComponent(options.cbSearchAlgoliaIndex)}/query`;
    const quote = (value) => `"${String(value).replace(/"/g, '\\"')}"`;
    return {
      ready: Promise.resolve(),
      async hits(query, filters) {
        // The category readers see is the record's hierarchy.lvl0 (a faceted attribute).
        const names = { category: "hierarchy.lvl0" };
        const clauses = [`lang:${quote(lang)}`].concat(
          Object.entries(filters).map(([name, value]) => `${names[name] || name}:${quote(value)}`),
        );
        const params = new URLSearchParams({
          query,
          hitsPerPage: "20",
          filters: clauses.join(" AND "),
          attributesToSnippet: "content:24",
          highlightPreTag: "<mark>",
          highlightPostTag: "</mark>",
          removeWordsIfNoResults: "allOptional",
        });
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "X-Algolia-Application-Id": options.cbSearchAlgoliaApp,
            "X-Algolia-API-Key": options.cbSearchAlgoliaKey,
          },
          body: JSON.stringify({ params: params.toString() }),
        });
        if (!response.ok) throw new Error(`search failed (${response.status})`);
        const body = await response.json();
        return (body.hits || []).map((hit, position) => ({
          id: hit.objectID,
          score: 1 / (position + 1),
          data: async () => hit,
        }));
      },
      async page(hit) {
        const record = await hit.data();
        const snippet = (record._snippetResult && record._snippetResult.content) || {};
        return {
          url: local(record.url),
          title: (record.hierarchy && record.hierarchy.lvl1) || record.url,
          excerpt: snippet.value || "",
          category: (record.hierarchy && record.hierarchy.lvl0) || "",
          type: record.page_type || "",
          typeLabel: typeLabels[record.page_type] || record.page_type || "",
        };
      },
    };
  };

  const backend = options.cbSearchBackend === "algolia" ? algoliaBackend() : pagefindBackend();

  /* --- the search, with the fallback for long questions ------------------------------- */

  const mergeTerms = async (terms, filters) => {
    const perTerm = [];
    for (const term of terms) perTerm.push(await backend.hits(term, filters));
    const found = new Map();
    const most = Math.max(1, ...perTerm.map((hits) => hits.length));
    perTerm.forEach((hits) => {
      if (!hits.length) return;
      // Rarer words say more about what the reader wants (an inverse document frequency).
      const weight = Math.log(1 + most / hits.length);
      const top = hits[0].score || 1;
      hits.slice(0, MERGE_DEPTH).forEach((hit) => {
        const entry = found.get(hit.id) || { hit, score: 0 };
        entry.score += weight * (0.5 + 0.5 * ((hit.score || 0) / top));
        found.set(hit.id, entry);
      });
    });
    return [...found.values()].sort((a, b) => b.score - a.score).map((entry) => entry.hit);
  };

  const search = async (query, { fallback = options.cbSearchFallback !== "false", filters = {}, limit = 10 } = {}) => {
    await backend.ready;
    const text = query.trim();
    if (!text) return { strategy: "all-words", total: 0, results: [] };
    let strategy = "all-words";
    let hits = await backend.hits(text, filters);
    const typed = words(text);
    const terms = [...new Set(typed.filter((word) => !stopwords.has(word)))];
    if (fallback && options.cbSearchBackend !== "algolia" && hits.length < limit && terms.length > 0) {
      let more = [];
      if (terms.length < typed.length) {
        more = await backend.hits(terms.join(" "), filters);
        if (!hits.length && more.length) strategy = "fewer-words";
      }
      if (hits.length + more.length < limit && terms.length > 1) {
        const merged = await mergeTerms(terms, filters);
        if (!hits.length && !more.length && merged.length) strategy = "any-word";
        more = more.concat(merged);
      }
      const seen = new Set(hits.map((hit) => hit.id));
      for (const hit of more) {
        if (!seen.has(hit.id)) {
          seen.add(hit.id);
          hits.push(hit);
        }
      }
    }
    const results = await Promise.all(hits.slice(0, limit).map((hit) => backend.page(hit)));
    return { strategy, total: hits.length, results };
  };

  window.carebaseSearch = { ready: backend.ready, search };

  /* --- the search box ----------------------------------------------------------------- */

  const toggle = document.getElementById("__search");
  const input = box.querySelector("[data-cb-search-input]");
  const meta = box.querySelector("[data-cb-search-meta]");
  const list = box.querySelector("[data-cb-search-results]");
  const none = box.querySelector("[data-cb-search-none]");
  const noneText = box.querySelector("[data-cb-search-none-text]");
  const filterBar = box.querySelector("[data-cb-search-filters]");
  const channels = box.querySelector("div[data-cb-search-channels]");
  const pageChannels = document.querySelector(".cb-help__channels");
  if (channels && pageChannels) {
    const copy = pageChannels.cloneNode(true);
    copy.className = "cb-search__channels";
    copy.querySelectorAll("li").forEach((item) => { item.className = ""; });
    copy.querySelectorAll(".cb-help__response").forEach((note) => { note.className = "cb-search__response"; });
    copy.querySelectorAll(".cb-help__hours").forEach((note) => note.remove());
    channels.replaceWith(copy);
  }
  const state = { category: "", run: 0, timer: 0 };

  const open = () => {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.focus();
  };
  const close = () => {
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  };

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const renderFilters = (categories) => {
    filterBar.replaceChildren();
    if (categories.length < 2 && !state.category) {
      filterBar.hidden = true;
      return;
    }
    const chip = (label, value) => {
      const button = element("button", "cb-search__filter", label);
      button.type = "button";
      button.setAttribute("aria-pressed", String(state.category === value));
      button.dataset.cbCategory = value;
      button.addEventListener("click", () => {
        state.category = value;
        run();
        input.focus();
      });
      return button;
    };
    filterBar.append(chip(options.cbSearchTextAll, ""));
    categories.forEach((category) => filterBar.append(chip(category, category)));
    filterBar.hidden = false;
  };

  const renderResult = (result) => {
    const item = element("li", "md-search-result__item");
    item.setAttribute("role", "presentation"); // The list is a listbox: its options are the links.
    const link = element("a", "md-search-result__link");
    link.href = result.url;
    link.tabIndex = -1;
    link.setAttribute("role", "option");
    const article = element("article", "md-search-result__article md-typeset");
    article.append(element("h1", "", result.title));
    const facets = [result.category, result.typeLabel].filter(Boolean).join(" · ");
    if (facets) article.append(element("p", "cb-search__facets", facets));
    const excerpt = element("p", "cb-search__excerpt");
    // Pagefind escapes the page text and marks matches with <mark>; nothing else is kept.
    excerpt.innerHTML = result.excerpt.replace(/<(?!\/?mark>)[^>]*>/g, "");
    article.append(excerpt);
    link.append(article);
    link.addEventListener("click", close);
    item.append(link);
    return item;
  };

  const render = (query, answer) => {
    list.replaceChildren(...answer.results.map(renderResult));
    const count = answer.results.length;
    none.hidden = count > 0;
    if (!count) {
      meta.textContent = "";
      noneText.textContent = options.cbSearchTextNone.replace("{query}", query);
      return;
    }
    const total = answer.total;
    let text = total === 1 ? options.cbSearchTextOne : options.cbSearchTextResults.replace("{count}", total);
    if (answer.strategy !== "all-words") text = `${text}. ${options.cbSearchTextFewer}`;
    meta.textContent = text;
  };

  const run = async () => {
    const query = input.value.trim();
    const ticket = ++state.run;
    if (!query) {
      meta.textContent = options.cbSearchTextStart;
      list.replaceChildren();
      none.hidden = true;
      filterBar.hidden = true;
      state.category = "";
      return;
    }
    const filters = state.category ? { category: state.category } : {};
    const answer = await search(query, { filters });
    if (ticket !== state.run) return; // A newer query is on its way.
    if (!state.category) {
      const categories = [...new Set(answer.results.map((result) => result.category).filter(Boolean))];
      renderFilters(categories);
    } else {
      filterBar.querySelectorAll("button").forEach((button) => {
        button.setAttribute("aria-pressed", String(button.dataset.cbCategory === state.category));
      });
    }
    render(query, answer);
  };

  const links = () => [...list.querySelectorAll("a")];
  const moveFocus = (step) => {
    const all = links();
    if (!all.length) return;
    const at = all.indexOf(document.activeElement);
    const next = at + step;
    if (next < 0) {
      input.focus();
      return;
    }
    all[Math.min(next, all.length - 1)].focus();
  };

  input.addEventListener("focus", open);
  input.addEventListener("input", () => {
    window.clearTimeout(state.timer);
    state.category = "";
    state.timer = window.setTimeout(run, DEBOUNCE_MS);
  });
  box.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  box.querySelector("button[type=reset]").addEventListener("click", () => {
    input.value = "";
    run();
    input.focus();
  });

  // The home page's big search box, and links to "?q=…", open this search with their query.
  const start = (query) => {
    input.value = query;
    open();
    run();
  };
  document.querySelectorAll("form.cb-hero__form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      start(new FormData(form).get("q") || "");
    });
  });
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) start(asked);

  document.addEventListener("keydown", (event) => {
    const searching = toggle ? toggle.checked : document.activeElement === input;
    const typing = event.target instanceof HTMLElement &&
      (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName));
    if (!searching) {
      const shortcut = (event.key === "k" && (event.ctrlKey || event.metaKey)) ||
        (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && ["/", "s", "f"].includes(event.key));
      if (shortcut) {
        event.preventDefault();
        open();
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      moveFocus(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      moveFocus(-1);
    } else if (event.key === "Enter" && document.activeElement !== input && links().includes(document.activeElement)) {
      event.preventDefault();
      document.activeElement.click();
    }
  });
})();
