/* Carebase search: Pagefind (or Algolia) behind Material's header search box.
 *
 * The box's markup is partials/carebase/search.html; its options are data- attributes on
 * [data-cb-search]. Queries go to the backend. For Pagefind, a question of several words
 * ("how do i get my money back for a late payment fee") is searched word by word: each content
 * word (stop words dropped), or a phrase of the site's synonyms file together with its
 * synonyms, is one Pagefind search, and a page's score is the sum of Pagefind's own (BM25-style)
 * scores over them, so rarer words and short pages about them count most.
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
  // Chosen on bench/search_questions/tune.yml and checked on heldout.yml (bench/RESULTS.md,
  // "Search quality on unseen questions"): a title match counts twice a body match, not the
  // default five times, which put any page titled with one common word on top.
  const RANKING = { metaWeights: { title: 2 } };
  const BUNDLE_FILTER = "carebase_bundle";
  const DEBOUNCE_MS = 120;

  const options = box.dataset;
  const lang = options.cbSearchLang || document.documentElement.lang || "en";
  const stopwords = new Set((STOPWORDS[lang] || STOPWORDS.en).split(" "));

  // Words on so many pages that searching one alone costs more than it tells (the build's
  // search-common.json, beside the vocabulary): word → pages holding it. Empty on a small site.
  // A word on `least` pages or more is common too, once a search as such has counted them
  // (the table holds words as written; Pagefind counts "restarting" with "restart").
  let common = new Map();
  let least = Infinity;

  const words = (query) =>
    query.toLocaleLowerCase(lang).split(/[^\p{L}\p{N}'’-]+/u).filter((word) => word.length > 0);

  /* --- backends: raw hits for one query, each with a score and a way to load its data --- */

  const pagefindBackend = () => {
    const bundle = new URL(options.cbSearchBundle, window.location.href);
    const path = (folder) => new URL(folder, window.location.href).pathname;
    // Each language's bundles sit in that language's folder and hold its own pages.
    const root = new URL(options.cbSearchRoot || ".", window.location.href).pathname;
    const languageRoot = new URL("..", bundle).pathname;
    // A large language's index comes in several bundles (pagefind/, pagefind-2/…): the first
    // one's script searches them all as one list, sorted by score. Each bundle tags its pages
    // with a filter of its own (BUNDLE_FILTER: "1", "2"…) so a search can tell them apart.
    // Another language than the default also merges the default language's bundles and keeps
    // only the pages whose readers filter lists it: the articles not translated yet.
    const fallbacks = JSON.parse(options.cbSearchFallbackBundles || "[]").map(path);
    const readers = fallbacks.length ? { readers: { any: [lang] } } : {};
    let merged = [...JSON.parse(options.cbSearchMerge || "[]").map(path), ...fallbacks];
    const tag = (number) => (merged.length ? { mergeFilter: { [BUNDLE_FILTER]: String(number) } } : {});
    const indexLanguage = (folder) =>
      fallbacks.includes(folder) ? { language: options.cbSearchDefaultLang || "en" } : {};
    const primary = async () => {
      try {
        return await import(bundle.href);
      } catch (error) {
        if (!fallbacks.length) throw error;
        // Nothing of this language's own to search yet: the default language's first bundle
        // leads (Pagefind then reads its one language's index), still kept to the fallbacks.
        merged = merged.filter((folder) => folder !== fallbacks[0]);
        return import(new URL("pagefind.js", new URL(fallbacks[0], window.location.href)).href);
      }
    };
    let pagefind = null;
    const ready = primary().then(async (module) => {
      const common = { baseUrl: root, excerptLength: 24, ranking: RANKING };
      await module.options({ ...common, ...tag(1) });
      await module.init();
      await Promise.all(
        merged.map((folder, at) =>
          module.mergeIndex(folder, { ...common, ...indexLanguage(folder), ...tag(at + 2) }).catch((error) => {
            console.warn(`Carebase search: bundle ${folder} could not be merged`, error);
          }),
        ),
      );
      // Pages per bundle, for the rarity of a word in the whole language (below).
      if (merged.length) sizes = ((await module.filters()) || {})[BUNDLE_FILTER] || {};
      pagefind = module;
    }).catch((error) => {
      // A language with nothing to search yet has no index: the box answers "no results".
      console.warn("Carebase search: no search index", error);
    });
    let sizes = {};
    // A word searched as such (quoted: Pagefind stands in a shorter indexed word for one it
    // lacks, "rom" for "roming"), once per word: which bundles hold it (counted per bundle)
    // and whether the index holds it at all (typos, below).
    const exact = new Map();
    const exactSearch = (word) => {
      // Over several bundles, counted only: a filter no page has leaves Pagefind nothing to
      // hand over (a third of the time of the search for a word on 11,000 pages).
      const none = merged.length ? { filters: { [BUNDLE_FILTER]: "none" } } : {};
      if (!exact.has(word)) exact.set(word, pagefind.search(`"${word}"`, none));
      return exact.get(word);
    };
    // A common word is on pages of every bundle: no search to know it (and one searched as
    // such costs as much as searching it).
    const bundlesWith = (word) => (common.has(word) ? Promise.resolve(new Set()) : exactSearch(word).then((response) =>
      new Set(Object.entries((response && response.totalFilters[BUNDLE_FILTER]) || {})
        .filter(([, count]) => count > 0).map(([number]) => number))));
    // How many pages hold word as such (common words from the table, without a search).
    const pagesWith = (word) => {
      if (common.has(word)) return Promise.resolve(common.get(word));
      if (!pagefind) return Promise.resolve(0);
      return exactSearch(word).then((response) => (response ? response.unfilteredResultCount : 0));
    };
    // Without an index there is nothing to correct a word to: every word counts as held.
    const holds = (word) => (pagefind ? pagesWith(word).then((pages) => pages > 0) : Promise.resolve(true));
    // Which bundle each page is in, learnt from searches narrowed to one bundle (asking a
    // bundle for all its pages loads its whole index): a word's hits need no narrowed search
    // in a bundle whose hits are all known already. Each narrowed search runs every bundle's
    // index again, so a query paid one per bundle per word before (issue 17).
    const owner = new Map();
    // The bundle left last needs no search of its own: the hits the others' narrowed
    // searches leave unclaimed are its pages.
    const learnOwners = async (query, filters, results, counts) => {
      const known = new Map();
      results.forEach((hit) => {
        const number = owner.get(hit.id);
        if (number) known.set(number, (known.get(number) || 0) + 1);
      });
      const unknown = Object.keys(counts).filter((number) => (known.get(number) || 0) < counts[number]);
      const last = unknown.pop();
      await Promise.all(unknown.map(async (number) => {
        const narrowed = await pagefind.search(query, {
          filters: { ...filters, [BUNDLE_FILTER]: { any: [number] } },
        });
        (narrowed ? narrowed.results : []).forEach((hit) => owner.set(hit.id, number));
      }));
      if (last) results.filter((hit) => !owner.has(hit.id)).forEach((hit) => owner.set(hit.id, last));
    };
    // Each bundle scores a word by how rare it is in that bundle (BM25's IDF): rescaled to its
    // rarity in the whole language, one bundle's scores compare with another's.
    const rarity = (pages, holding) => Math.log(1 + (pages - holding + 0.5) / (holding + 0.5));
    const rescaled = (results, counts) => {
      const found = Object.keys(counts);
      const site = rarity(
        Object.values(sizes).reduce((sum, size) => sum + size, 0),
        found.reduce((sum, number) => sum + counts[number], 0),
      );
      const factors = new Map(found.map((number) => {
        const own = rarity(sizes[number] || 0, counts[number]);
        return [number, own > 0 && site > 0 ? site / own : 1];
      }));
      // The hit itself stays referenced: Pagefind's worker forgets a page's data once the
      // result object it returned is garbage-collected.
      return results.map((hit) => ({
        id: hit.id, score: (hit.score || 0) * factors.get(owner.get(hit.id)), data: () => hit.data(),
      }));
    };
    const exactWords = (query) => [...new Set(words(query).filter((word) => /^[\p{L}\p{N}]+$/u.test(word)))];
    return {
      ready,
      holds,
      pagesWith,
      async hits(query, filters) {
        if (!pagefind) return [];
        filters = { ...filters, ...readers };
        if (!merged.length) {
          const response = await pagefind.search(query, { filters });
          return response ? response.results : [];
        }
        // Pagefind stands in a shorter word for one a bundle lacks ("re" for "refund"): in a
        // single index that happens only for words the whole site lacks. Keep it so: a word
        // some bundle holds leaves out the bundles without it, before the search.
        const holding = (await Promise.all(exactWords(query).map(bundlesWith))).filter((held) => held.size);
        const held = holding.length
          ? holding.reduce((keep, more) => new Set([...keep].filter((number) => more.has(number))))
          : null;
        if (held && !held.size) return [];
        const within = held ? { ...filters, [BUNDLE_FILTER]: { any: [...held] } } : filters;
        const response = await pagefind.search(query, { filters: within });
        if (!response || !response.results.length) return [];
        const counts = Object.fromEntries(Object.entries(response.filters[BUNDLE_FILTER] || {})
          .filter(([, count]) => count > 0));
        await learnOwners(query, within, response.results, counts);
        return rescaled(response.results, counts).sort((a, b) => b.score - a.score);
      },
      async page(hit) {
        const data = await hit.data();
        const filters = data.filters || {};
        const result = {
          url: data.url,
          title: (data.meta && data.meta.title) || data.url,
          excerpt: data.excerpt || "",
          category: (filters.category || [])[0] || "",
          type: (filters.type || [])[0] || "",
          typeLabel: (filters.type || [])[0] || "",
        };
        return inDefaultLanguage(result, data, languageRoot);
      },
    };
  };

  /* A default-language article in another language's search (not translated yet, from the
   * merged default-language bundles): outside the language's folder. It keeps its own filter values (the default language's words, which
   * categoryValues() adds to a chosen category) and says what they are in this language. */
  const inDefaultLanguage = (result, data, languageRoot) => {
    if (siteRoot() === languageRoot || data.url.startsWith(languageRoot)) return result;
    const meta = data.meta || {};
    return {
      ...result,
      fallback: true,
      filterCategory: result.category,
      category: meta[`category_${lang}`] || result.category,
      typeLabel: meta[`type_${lang}`] || result.typeLabel,
    };
  };
  const siteRoot = () => new URL(options.cbSearchRoot || ".", window.location.href).pathname;
  // Each category shown, with the values its pages are filed under (a fallback's own words).
  const categoryValues = new Map();
  const categoryFilter = (category) => {
    const values = [...(categoryValues.get(category) || new Set([category]))];
    return values.length > 1 ? { category: { any: values } } : { category };
  };
  const noteCategories = (results) => results.forEach((result) => {
    if (!result.category) return;
    if (!categoryValues.has(result.category)) categoryValues.set(result.category, new Set([result.category]));
    if (result.filterCategory) categoryValues.get(result.category).add(result.filterCategory);
  });

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
      holds: async () => true, // Algolia corrects typos itself.
      async hits(query, filters) {
        // The category readers see is the record's hierarchy.lvl0 (a faceted attribute).
        const names = { category: "hierarchy.lvl0" };
        // This language's records, and the default language's it falls back to (untranslated).
        const either = (name, values) => `(${values.map((value) => `${name}:${quote(value)}`).join(" OR ")})`;
        const clauses = [`(lang:${quote(lang)} OR fallback_for:${quote(lang)})`].concat(
          Object.entries(filters).map(([name, value]) => either(names[name] || name, value.any || [value])),
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
          fallback: Boolean(record.lang && record.lang !== lang),
        };
      },
    };
  };

  const backend = options.cbSearchBackend === "algolia" ? algoliaBackend() : pagefindBackend();

  // A file the build wrote for the box (synonyms, common words, vocabulary), read by read;
  // empty when there is none, or it is missing or unreadable (the box then searches without).
  const buildFile = (url, what, empty, read) => (url
    ? fetch(new URL(url, window.location.href))
      .then((response) => (response.ok ? read(response) : empty))
      .catch((error) => {
        console.warn(`Carebase search: no ${what}`, error);
        return empty;
      })
    : Promise.resolve(empty));

  /* --- synonyms: the site's content/.carebase/synonyms.yml, this language's part ----------- */

  // {"groups": [["refund", "money back"], …], "oneWay": [{"typed": "bb", "also": ["broadband"]}]}
  // becomes phrase → the other phrases it also searches for.
  const synonymTable = (data) => {
    const table = new Map();
    const add = (from, to) => {
      const key = words(from).join(" ");
      const others = to.map((phrase) => words(phrase).join(" ")).filter((phrase) => phrase && phrase !== key);
      if (!key || !others.length) return;
      table.set(key, [...new Set([...(table.get(key) || []), ...others])]);
    };
    (data.groups || []).forEach((group) => group.forEach((phrase) => add(phrase, group)));
    (data.oneWay || []).forEach((rule) => add(rule.typed, rule.also));
    return table;
  };
  const synonyms = buildFile(options.cbSearchSynonyms, "synonyms", new Map(),
    (response) => response.json().then(synonymTable));
  const commonWords = buildFile(
    options.cbSearchVocabulary && options.cbSearchBackend !== "algolia"
      ? new URL("search-common.json", new URL(options.cbSearchVocabulary, window.location.href))
      : "",
    "common words", {}, (response) => response.json(),
  ).then((data) => {
    common = new Map(Object.entries((data && data.words) || {}));
    least = (data && data.least) || Infinity;
  });
  const ready = Promise.all([backend.ready, synonyms, commonWords]).then(() => undefined);

  // The query as what to look for: each content word, or a phrase of the synonyms table (the
  // longest that fits) with its synonyms. Stop words are left out unless a phrase holds them.
  const lookFor = (typed, table) => {
    const longest = Math.max(1, ...[...table.keys()].map((key) => key.split(" ").length));
    const groups = new Map();
    for (let at = 0; at < typed.length;) {
      let size = Math.min(longest, typed.length - at);
      while (size > 1 && !table.has(typed.slice(at, at + size).join(" "))) size -= 1;
      const phrase = typed.slice(at, at + size).join(" ");
      if (table.has(phrase) || !stopwords.has(phrase)) {
        groups.set(phrase, [phrase, ...(table.get(phrase) || [])]);
      }
      at += size;
    }
    return [...groups.values()];
  };

  /* --- typos: Pagefind matches a word as typed (or as the start of a longer one) ------- */

  // The build lists the words of each language's pages, most common first (search-
  // vocabulary.txt, carebase.search.vocabulary); the box fetches it the first time the index
  // lacks a word of a query (an exact search finds nothing), and searches instead the closest listed word: one letter added,
  // dropped, changed or two swapped ("sginal", "roming"), two in a long word. As Meilisearch
  // by default: one typo from 5 letters ("voip" is no typo of "void"), two from 9.
  const SHORTEST_RESPELLED = 5;
  const LONG_WORD = 9;
  let vocabulary = null;
  const knownWords = () => {
    vocabulary = vocabulary || buildFile(options.cbSearchVocabulary, "vocabulary", [],
      (response) => response.text().then((text) => text.split("\n").filter(Boolean)));
    return vocabulary;
  };

  // Letters to add, drop, change or swap (two side by side) to turn a into b; limit + 1 once
  // that is more than limit.
  const editDistance = (a, b, limit) => {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, at) => at);
    for (let i = 1; i <= a.length; i += 1) {
      const row = [i];
      for (let j = 1; j <= b.length; j += 1) {
        const change = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + change);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          row[j] = Math.min(row[j], before[j - 2] + 1);
        }
      }
      if (Math.min(...row) > limit) return limit + 1;
      [before, previous] = [previous, row];
    }
    return previous[b.length];
  };

  // The most common word of the vocabulary nearest to word, within the distance allowed.
  const closestWord = (word, known) => {
    let best = null;
    let nearest = (word.length >= LONG_WORD ? 2 : 1) + 1;
    for (const candidate of known) {
      if (candidate === word) return null; // Listed, yet not searchable: nothing to correct.
      if (stopwords.has(candidate)) continue;
      const far = editDistance(word, candidate, nearest - 1);
      if (far < nearest) [best, nearest] = [candidate, far];
      if (nearest === 1) break;
    }
    return best;
  };

  // The groups with each word the index lacks replaced by the closest word it holds, and what
  // was replaced; null when nothing was. A word with no near spelling is left out when others
  // remain: Pagefind would stand in a shorter word for it ("tel" for "telly"), found anywhere.
  const respell = async (groups) => {
    const candidate = (phrases) => phrases.length === 1 &&
      phrases[0].length >= SHORTEST_RESPELLED && /^\p{L}+$/u.test(phrases[0]);
    const lacking = await Promise.all(groups.map(async (phrases) =>
      candidate(phrases) && !(await backend.holds(phrases[0]))));
    if (!lacking.some(Boolean)) return null;
    const known = await knownWords();
    const words = {};
    const respelled = await Promise.all(groups.map(async (phrases, at) => {
      const better = lacking[at] ? closestWord(phrases[0], known) : null;
      if (!better || !(await backend.holds(better))) return lacking[at] ? [] : phrases;
      words[phrases[0]] = better;
      return [better];
    }));
    const kept = respelled.filter((phrases) => phrases.length);
    if (kept.length && kept.length < groups.length) return { groups: kept, words };
    return Object.keys(words).length ? { groups: respelled, words } : null;
  };

  /* --- the search: Pagefind's scores summed over the words ----------------------------- */

  // A page's score for one group is its best Pagefind score among the group's phrases; its
  // score for the question is the sum over the groups. The hit kept is the one of the search
  // that scored it highest (its excerpt marks that search's words).
  // found.scores: each phrase → each page it found → its score.
  const sumScores = async (groups, filters) => {
    const found = new Map();
    found.scores = new Map();
    const searched = await Promise.all(
      groups.map((phrases) => Promise.all(phrases.map((phrase) => backend.hits(phrase, filters)))),
    );
    searched.forEach((perPhrase, at) => {
      groups[at].forEach((phrase, which) => found.scores.set(phrase,
        new Map(perPhrase[which].map((hit) => [hit.id, hit.score || 0]))));
      const best = new Map();
      perPhrase.flat().forEach((hit) => {
        const entry = best.get(hit.id);
        if (!entry || hit.score > entry.score) best.set(hit.id, hit);
      });
      best.forEach((hit, id) => {
        const entry = found.get(id) || { hit, top: hit.score, score: 0, groups: 0 };
        entry.score += hit.score || 0;
        entry.groups += 1;
        if (hit.score > entry.top) Object.assign(entry, { hit, top: hit.score });
        found.set(id, entry);
      });
    });
    return found;
  };

  // A common word (on hundreds of pages or more) searched alone costs Pagefind ≈ 40 µs a page
  // (0.4 s for a word on 11,000 pages) and adds little to a page's score (BM25's IDF of a word
  // on half the pages is small). So the words of a question are searched alone only when they
  // are rarer; each common one is searched together with each rarer one (Pagefind keeps the
  // pages holding both before it scores: cheap), and adds to a page found by the rarer word
  // what it adds to that search's score. A question of common words only finds the pages
  // holding them all, else searches its rarest word alone as the rarer word. A site of a few
  // hundred pages has no common word: everything is searched alone (issue 17, bench/RESULTS.md).
  const oneWord = (phrases) => phrases.length === 1 && /^[\p{L}\p{N}]+$/u.test(phrases[0]);
  const scoreGroups = async (groups, filters) => {
    if (least === Infinity) return sumScores(groups, filters);
    // Pages holding each group's word (null: a phrase, or synonyms: searched alone).
    const pages = await Promise.all(groups.map((phrases) =>
      (oneWord(phrases) ? backend.pagesWith(phrases[0]) : null)));
    // Where some words are common, a word the index lacks (one too short to respell) goes with
    // them: Pagefind stands in a shorter word for it ("bu" for "but"), which may be on every
    // page. Only a word the index holds narrows a search, and the rarest held word comes first.
    const lacking = (at) => pages[at] === 0 && common.size > 0;
    const isCommon = (at) => pages[at] !== null && (pages[at] >= least || lacking(at));
    const rare = groups.filter((_, at) => !isCommon(at));
    if (rare.length === groups.length) return sumScores(groups, filters);
    const held = (count) => (count === 0 ? Infinity : count);
    const rest = groups.map((phrases, at) => [phrases, pages[at]]).filter((_, at) => isCommon(at))
      .sort((a, b) => held(a[1]) - held(b[1]) || 0).map(([phrases]) => phrases);
    let anchors = rare.map((phrases) => phrases[0]);
    if (!anchors.length) {
      const all = await backend.hits(rest.map(([word]) => word).join(" "), filters);
      if (all.length) {
        return new Map(all.map((hit) => [hit.id, { hit, top: hit.score, score: hit.score || 0, groups: groups.length }]));
      }
      const rarest = rest.shift();
      rare.push(rarest);
      anchors = [rarest[0]];
    }
    const found = await sumScores(rare, filters);
    await Promise.all(rest.map(async ([word]) => {
      const added = new Map();
      await Promise.all(anchors.map(async (anchor) => {
        const alone = found.scores.get(anchor);
        (await backend.hits(`${anchor} ${word}`, filters)).forEach((hit) => {
          const more = Math.max(0, (hit.score || 0) - (alone.get(hit.id) || 0));
          if (found.has(hit.id) && !(added.get(hit.id) >= more)) added.set(hit.id, more);
        });
      }));
      added.forEach((more, id) => {
        const entry = found.get(id);
        entry.score += more;
        entry.groups += 1;
      });
    }));
    return found;
  };

  const search = async (query, { fallback = options.cbSearchFallback !== "false", filters = {}, limit = 10 } = {}) => {
    await ready;
    const text = query.trim();
    if (!text) return { strategy: "all-words", total: 0, results: [] };
    const typed = words(text);
    let groups = lookFor(typed, await synonyms);
    const plain = groups.length === 1 && groups[0].length === 1 && groups[0][0] === typed.join(" ");
    if (!fallback || options.cbSearchBackend === "algolia" || !groups.length || plain) {
      // A word the index lacks is respelled before the search: Pagefind would search a shorter
      // word in its place, found on many pages, for nothing.
      const respelled = fallback && plain ? await respell(groups) : null;
      if (!respelled) return respond("all-words", await backend.hits(text, filters), limit, unmarkStopwords);
      return respond("all-words", await backend.hits(respelled.groups[0][0], filters), limit,
        (excerpt) => markWords(excerpt, [respelled.groups[0][0]]), respelled.words);
    }
    // Pages holding every typed word ("how" and "does" too) are not put first: on the tuning
    // set that lost to the plain sum (bench/RESULTS.md, issue 17).
    const meant = groups.length;
    const respelled = await respell(groups);
    if (respelled) groups = respelled.groups;
    const found = await scoreGroups(groups, filters);
    const ranked = [...found.values()].sort((a, b) => b.score - a.score);
    // "Fewer words" tells readers that no page holds every word they meant (stop words aside;
    // a word no page holds, nor a near spelling of it, is left out of the search).
    const every = ranked.some((entry) => entry.groups === meant);
    // A synonym's phrase ("devolver el dinero") may hold stop words: those stay unmarked too.
    const marked = groups.flat().flatMap((phrase) => phrase.split(" "))
      .filter((word) => !stopwords.has(word));
    return respond(every ? "all-words" : "any-word", ranked.map((entry) => entry.hit), limit,
      (excerpt) => markWords(excerpt, marked), respelled ? respelled.words : {});
  };

  // respelled: each word typed that matched nothing → the word searched instead (typos, below).
  const respond = async (strategy, hits, limit, mark, respelled = {}) => {
    const results = await Promise.all(hits.slice(0, limit).map((hit) => backend.page(hit)));
    results.forEach((result) => { result.excerpt = mark(result.excerpt); });
    return { strategy, total: hits.length, results, respelled };
  };

  // Backends mark every word of the query they matched, "how" and "a" too: only content words
  // stay marked.
  const unmarkStopwords = (excerpt) =>
    excerpt.replace(/<mark>([^<]*)<\/mark>/g, (marked, word) =>
      (stopwords.has(word.trim().toLocaleLowerCase(lang)) ? word : marked));

  // A page found word by word has an excerpt marked for one of the searches: mark instead every
  // word of it that is one the reader meant, or shares its stem ("refunds", "charging").
  const stem = (word, wanted) => {
    if (word === wanted) return true;
    if (wanted.length < 3) return false; // "tv" marks "tv", not every word starting so.
    let same = 0;
    while (same < word.length && same < wanted.length && word[same] === wanted[same]) same += 1;
    return same === wanted.length || (same >= 5 && same >= wanted.length - 2);
  };
  const markWords = (excerpt, wanted) =>
    excerpt.replace(/<\/?mark>/g, "").replace(/&[#\w]+;|[\p{L}\p{N}]+/gu, (token) => {
      if (token.startsWith("&")) return token;
      const word = token.toLocaleLowerCase(lang);
      return wanted.some((want) => stem(word, want)) ? `<mark>${token}</mark>` : token;
    });

  window.carebaseSearch = { ready, search };

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

  /* --- what the box tells other scripts (assets/carebase-analytics.js), and the link to
     ask the community: the search itself never sends a query anywhere but its backend. --- */
  const tell = (name, detail) => {
    box.dispatchEvent(new CustomEvent(`carebase:${name}`, { bubbles: true, detail }));
  };
  const communityLink = box.querySelector("[data-cb-search-community-link]");
  // Discourse's new-topic page, prefilled: each value percent-encoded (never "+" for a space,
  // which a forum may keep as a plus), on the configured http(s) address only.
  const askCommunity = (query) => {
    if (!communityLink) return;
    const values = { title: query, body: options.cbSearchCommunityBody || "" };
    if (options.cbSearchCommunityCategory) values.category = options.cbSearchCommunityCategory;
    const search = Object.entries(values)
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
    communityLink.href = `${options.cbSearchCommunity}?${search}`;
  };

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
    tell("search-close", {});
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
    if (result.fallback) markDefaultLanguage(article);
    const excerpt = element("p", "cb-search__excerpt");
    // Pagefind escapes the page text and marks matches with <mark>; nothing else is kept.
    excerpt.innerHTML = result.excerpt.replace(/<(?!\/?mark>)[^>]*>/g, "");
    article.append(excerpt);
    link.append(article);
    link.addEventListener("click", () => tell("search-click", { url: result.url }));
    link.addEventListener("click", close);
    item.append(link);
    return item;
  };

  // As category pages mark them: the title and text in the default language, a badge in this one.
  const markDefaultLanguage = (article) => {
    const facets = article.querySelector(".cb-search__facets") || article.appendChild(element("p", "cb-search__facets"));
    const badge = element("span", "cb-badge cb-badge--lang", options.cbSearchTextFallback || "English");
    badge.lang = lang;
    facets.lang = lang;
    facets.append(" ", badge);
    article.lang = options.cbSearchDefaultLang || "en";
  };

  const render = (query, answer) => {
    list.replaceChildren(...answer.results.map(renderResult));
    const count = answer.results.length;
    none.hidden = count > 0;
    tell("search", { query, count, total: answer.total, strategy: answer.strategy });
    if (!count) {
      meta.textContent = "";
      noneText.textContent = options.cbSearchTextNone.replace("{query}", query);
      askCommunity(query);
      return;
    }
    const total = answer.total;
    let text = total === 1 ? options.cbSearchTextOne : options.cbSearchTextResults.replace("{count}", total);
    if (answer.strategy !== "all-words") text = `${text}. ${options.cbSearchTextFewer}`;
    // Words the index lacks were searched as their nearest spelling (typos): say so, with
    // the question as searched.
    const respelled = Object.entries(answer.respelled || {});
    if (respelled.length && options.cbSearchTextRespelled) {
      const searched = respelled.reduce((text, [typed, meant]) => text.replace(
        new RegExp(`(^|[^\\p{L}\\p{N}])${typed}(?![\\p{L}\\p{N}])`, "giu"), `$1${meant}`), query);
      text = `${text}. ${options.cbSearchTextRespelled.replace("{query}", searched)}`;
    }
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
      tell("search", { query: "", count: 0, total: 0, strategy: "" });
      return;
    }
    const filters = state.category ? categoryFilter(state.category) : {};
    const answer = await search(query, { filters });
    if (ticket !== state.run) return; // A newer query is on its way.
    noteCategories(answer.results);
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
