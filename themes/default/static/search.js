// Search for quorum sites: runs in the browser on the index `quorum build` writes next
// to the search page (see src/render/search/mod.rs for its design). No framework, no
// requests beyond this site's own index files.
//
// The build stemmed every word form of the content; this script only folds what is
// typed exactly as the build did (NFKD, marks dropped, lower case), splits it into words
// and looks each word form up in the sorted term buckets. A form found leads to its stem
// and so to every document with any form of that stem; a form not found (a word still
// being typed) is matched as a prefix of the forms instead.
'use strict';

(() => {
  const form = document.getElementById('search');
  if (!form) return;
  const input = form.elements.q;
  const statusLine = document.getElementById('search-count');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const strings = form.dataset;
  const FACETS = ['kind', 'year', 'area', 'status'];
  const PAGE = 10;
  // A prefix spanning more term buckets than this waits for another letter: the few
  // letters typed first would otherwise download a large part of the index.
  const PREFIX_BUCKETS = 4;
  const MIN_PREFIX = 3;
  const SNIPPET_CHARS = 220;
  const TONES = { answered: 'done', awaiting: 'pending', overdue: 'warning' };

  const fold = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ς/g, 'σ');
  const words = (folded) =>
    (folded.match(/[\p{Alphabetic}\p{N}]+/gu) || []).filter((w) => {
      const chars = [...w].length;
      return chars >= 2 && chars <= 40;
    });

  // Index files, each fetched once per page view.
  let meta = null;
  const files = new Map();
  const fetchJson = async (path, options) => {
    const response = await fetch(form.dataset.index + path, options);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  };
  const load = (path) => {
    if (!files.has(path)) {
      const promise = fetchJson(`${path}?v=${meta.version}`);
      promise.catch(() => files.delete(path));
      files.set(path, promise);
    }
    return files.get(path);
  };
  const loadMeta = async () => {
    if (meta) return meta;
    const loaded = await fetchJson('meta.json', { cache: 'no-cache' });
    loaded.columns = {};
    for (const [name, facet] of Object.entries(loaded.facets)) {
      loaded.columns[name] = facet.docs
        .split(',')
        .map((values) => (values === '' ? [] : values.split('.').map(Number)));
    }
    meta = loaded;
    return meta;
  };

  // The last index whose first entry is not greater than `key` (-1 if none).
  const floor = (sorted, key, first = (x) => x) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (first(sorted[mid]) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };

  // Documents holding a stem: Map of doc id to whether the stem is in its title.
  const decodePostings = (gaps, into) => {
    let doc = -1;
    for (const gap of gaps) {
      doc += Math.abs(gap);
      into.set(doc, into.get(doc) || gap < 0);
    }
  };

  // The documents one typed word matches, and the forms to highlight for it.
  const match = async (word) => {
    const docs = new Map();
    const forms = new Set();
    if (!meta.buckets.length) return { docs, forms };
    const first = Math.max(0, floor(meta.buckets, word));
    const bucket = await load(`terms/${first}.json`);
    const found = floor(bucket.forms, word, (f) => f[0]);
    let buckets = [bucket];
    let wanted;
    if (found >= 0 && bucket.forms[found][0] === word) {
      const slot = bucket.forms[found][1];
      wanted = (f, b) => b === bucket && f[1] === slot;
    } else if ([...word].length >= MIN_PREFIX) {
      const last = Math.max(0, floor(meta.buckets, `${word}\uffff`));
      if (last - first >= PREFIX_BUCKETS) return { docs, forms };
      const rest = [];
      for (let i = first + 1; i <= last; i += 1) rest.push(load(`terms/${i}.json`));
      buckets = [bucket, ...(await Promise.all(rest))];
      wanted = (f) => f[0].startsWith(word);
    } else {
      return { docs, forms };
    }
    const stems = new Set();
    for (const b of buckets) {
      for (const f of b.forms) {
        if (!wanted(f, b)) continue;
        forms.add(f[0]);
        const [id, , gaps] = b.stems[f[1]];
        if (stems.has(id)) continue;
        stems.add(id);
        decodePostings(gaps, docs);
      }
    }
    // Other forms of the same stems are highlighted too ("vergadering" for "vergaderingen").
    for (const b of buckets) {
      for (const f of b.forms) if (stems.has(b.stems[f[1]][0])) forms.add(f[0]);
    }
    return { docs, forms };
  };

  // Whether a document passes the chosen facets.
  const facetTest = (filters) => {
    const tests = [];
    for (const name of FACETS) {
      if (!filters[name]) continue;
      const value = meta.facets[name].values.indexOf(filters[name]);
      const column = meta.columns[name];
      tests.push((doc) => column[doc].includes(value));
    }
    return tests.length ? (doc) => tests.every((test) => test(doc)) : null;
  };

  // Ranks documents for a query: documents matching the most of its words (words found
  // in over half of all documents only count when nothing else is asked), then those
  // with more words in the title, then the most recent (the lowest id).
  const rank = (matches, allowed) => {
    const rare = matches.filter((m) => m.docs.size <= meta.docs / 2);
    const counted = rare.length ? rare : matches;
    const hits = new Map();
    for (const m of counted) {
      for (const [doc, inTitle] of m.docs) {
        if (allowed && !allowed(doc)) continue;
        const hit = hits.get(doc) || { doc, words: 0, title: 0 };
        hit.words += 1;
        hit.title += inTitle ? 1 : 0;
        hits.set(doc, hit);
      }
    }
    let best = 0;
    for (const hit of hits.values()) best = Math.max(best, hit.words);
    return [...hits.values()]
      .filter((hit) => hit.words === best)
      .sort((a, b) => b.title - a.title || a.doc - b.doc)
      .map((hit) => hit.doc);
  };

  const search = async (query, filters) => {
    await loadMeta();
    const allowed = facetTest(filters);
    const typed = [...new Set(words(fold(query)))];
    if (!typed.length) {
      if (!allowed) return null;
      const docs = [];
      for (let doc = 0; doc < meta.docs; doc += 1) if (allowed(doc)) docs.push(doc);
      return { docs, forms: new Set() };
    }
    const matches = await Promise.all(typed.map(match));
    const forms = new Set(matches.flatMap((m) => [...m.forms]));
    return { docs: rank(matches, allowed), forms };
  };

  // The option text of a facet value, as the page's own filter shows it.
  const label = (name, value) => {
    const option = [...form.elements[name].options].find((o) => o.value === value);
    return option ? option.textContent : value;
  };
  const facetValues = (name, doc) =>
    meta.columns[name][doc].map((i) => meta.facets[name].values[i]);

  // `text[start, end)` into `parent`, with the words whose folded form is in `forms`
  // wrapped in <mark>.
  const WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  const appendMarked = (parent, text, forms, start = 0, end = text.length) => {
    let at = start;
    for (const t of text.slice(start, end).matchAll(WORD)) {
      if (!forms.has(fold(t[0]))) continue;
      const mark = document.createElement('mark');
      mark.textContent = t[0];
      parent.append(text.slice(at, start + t.index), mark);
      at = start + t.index + t[0].length;
    }
    parent.append(text.slice(at, end));
    return parent;
  };

  // A piece of `text` around its first highlighted word.
  const snippet = (text, forms) => {
    const hit = [...text.matchAll(WORD)].find((t) => forms.has(fold(t[0])));
    let start = 0;
    if (hit && hit.index + hit[0].length > SNIPPET_CHARS) {
      const before = text.lastIndexOf(' ', Math.max(0, hit.index - 60));
      start = before < 0 ? 0 : before + 1;
    }
    let end = Math.min(text.length, start + SNIPPET_CHARS);
    if (end < text.length) end = Math.max(text.lastIndexOf(' ', end), start + 1);
    const p = document.createElement('p');
    p.className = 'card-summary';
    if (start > 0) p.append('…');
    appendMarked(p, text, forms, start, end);
    if (end < text.length) p.append('…');
    return p;
  };

  const card = (doc, record, forms) => {
    const [title, href, iso, long, text] = record;
    const kind = facetValues('kind', doc)[0];
    const li = document.createElement('li');
    li.className = `card card-${kind}`;
    const h2 = document.createElement('h2');
    h2.className = 'card-title';
    const a = document.createElement('a');
    a.href = href;
    appendMarked(a, title, forms);
    h2.append(a);
    const info = document.createElement('p');
    info.className = 'card-meta';
    const add = (tag, className, content, marked = new Set()) => {
      const el = document.createElement(tag);
      el.className = className;
      appendMarked(el, content, marked);
      info.append(el, ' ');
      return el;
    };
    add('span', 'kind', label('kind', kind));
    if (iso) add('time', 'date', long).dateTime = iso;
    for (const status of facetValues('status', doc)) {
      add('span', `badge badge-${TONES[status]}`, label('status', status));
    }
    const areas = facetValues('area', doc).map((area) => label('area', area));
    if (areas.length) add('span', 'areas', areas.join(', '), forms);
    li.append(h2, info);
    if (text) li.append(snippet(text, forms));
    return li;
  };

  // Search state: which run is current, what it found, how much of it is shown.
  let run = 0;
  let found = null;
  let shown = 0;

  const showMore = async (current) => {
    const docs = found.docs.slice(shown, shown + PAGE);
    const chunks = await Promise.all(docs.map((doc) => load(`docs/${Math.floor(doc / meta.chunk)}.json`)));
    if (current !== run) return;
    docs.forEach((doc, i) => {
      list.append(card(doc, chunks[i][doc % meta.chunk], found.forms));
    });
    shown += docs.length;
    more.hidden = shown >= found.docs.length;
  };

  const filtersOf = () => Object.fromEntries(FACETS.map((name) => [name, form.elements[name].value]));

  const update = async () => {
    run += 1;
    const current = run;
    try {
      const result = await search(input.value, filtersOf());
      if (current !== run) return;
      found = result;
      shown = 0;
      list.replaceChildren();
      more.hidden = true;
      if (!found) {
        statusLine.textContent = '';
        return;
      }
      const n = found.docs.length;
      statusLine.textContent = n === 0 ? strings.none : n === 1 ? strings.one : strings.many.replace('{n}', n);
      await showMore(current);
    } catch (error) {
      if (current !== run) return;
      statusLine.textContent = strings.error;
      console.error(error);
    }
  };

  // The URL holds the search, so it can be shared and the back button works. Typing
  // replaces the current history entry; submitting or filtering keeps it, so the next
  // keystroke starts a new entry.
  let kept = false;
  const urlOfForm = () => {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set('q', input.value.trim());
    for (const [name, value] of Object.entries(filtersOf())) if (value) params.set(name, value);
    const query = params.toString();
    return location.pathname + (query ? `?${query}` : '');
  };
  const record = (keep) => {
    const url = urlOfForm();
    if (url !== location.pathname + location.search) {
      if (kept) history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    }
    kept = keep;
  };
  const readUrl = () => {
    const params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    for (const name of FACETS) form.elements[name].value = params.get(name) || '';
    kept = params.toString() !== '';
  };

  let typing = 0;
  input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      record(false);
      update();
    }, 120);
  });
  form.addEventListener('change', (event) => {
    if (event.target === input) return;
    record(true);
    update();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(typing);
    record(true);
    update();
  });
  more.addEventListener('click', () => showMore(run));
  window.addEventListener('popstate', () => {
    readUrl();
    update();
  });

  readUrl();
  update();
})();
