// The logic of search, apart from the page: folding and splitting what is typed,
// matching words against the index `quorum build` writes (see src/render/search/mod.rs
// for its design and src/render/search/files.rs for its files), ranking and the facets.
// No DOM and no fetch: index files come from a `load(path)` function the caller gives,
// which resolves to the parsed JSON of e.g. `terms/3.json`. search.js uses it in the
// page; tests/browser/search-core.test.mjs tests it in Node.
//
// The build stemmed every word form of the content; this module only folds what is
// typed exactly as the build did (NFKD, marks dropped, lower case), splits it into words
// and looks each word form up in the sorted term buckets. A form found leads to its stem
// and so to every document with any form of that stem; a form not found (a word still
// being typed) is matched as a prefix of the forms instead.

export const FACETS = ['kind', 'year', 'area', 'status'];
// A prefix spanning more term buckets than this waits for another letter: the few
// letters typed first would otherwise download a large part of the index.
export const PREFIX_BUCKETS = 4;
export const MIN_PREFIX = 3;
// A word that matches nothing, not even as a prefix, may be an inflection that occurs
// nowhere in the content ("adviezen" where only "advies" is written): up to this many
// letters are taken off its end, keeping at least BACKOFF_MIN, and the rest is matched
// again. The stemmer of the build cannot run here; this catches most endings, not a
// changed vowel ("raadsleden" for "raadslid").
export const BACKOFF_LETTERS = 3;
export const BACKOFF_MIN = 4;
export const SNIPPET_CHARS = 220;

// As `fold` and `tokens` in src/render/search/words.rs.
export const fold = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ς/g, 'σ');
export const words = (folded) =>
  (folded.match(/[\p{Alphabetic}\p{N}]+/gu) || []).filter((w) => {
    const chars = [...w].length;
    return chars >= 2 && chars <= 40;
  });

// `meta.json` as loaded, with each facet's document column decoded into `columns`:
// per facet name, per document, the indices of its values.
export const readMeta = (loaded) => {
  loaded.columns = {};
  for (const [name, facet] of Object.entries(loaded.facets)) {
    loaded.columns[name] = facet.docs
      .split(',')
      .map((values) => (values === '' ? [] : values.split('.').map(Number)));
  }
  return loaded;
};

// The last index whose first entry is not greater than `key` (-1 if none).
export const floor = (sorted, key, first = (x) => x) => {
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
export const decodePostings = (gaps, into) => {
  let doc = -1;
  for (const gap of gaps) {
    doc += Math.abs(gap);
    into.set(doc, into.get(doc) || gap < 0);
  }
};

// The documents one typed word matches, and the forms to highlight for it.
export const match = async (word, meta, load) => {
  const found = await matchForm(word, meta, load);
  const letters = [...word];
  for (let cut = 1; found.docs.size === 0 && cut <= BACKOFF_LETTERS; cut += 1) {
    if (letters.length - cut < BACKOFF_MIN) break;
    const shorter = await matchForm(letters.slice(0, -cut).join(''), meta, load);
    if (shorter.docs.size) return shorter;
  }
  return found;
};

// `match` without the back-off: the form itself, or the forms it begins.
const matchForm = async (word, meta, load) => {
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

// Whether a document passes the chosen facets (`filters`: facet name to value, '' for
// any); null when none is chosen.
export const facetTest = (filters, meta) => {
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
// in over half of all `total` documents only count when nothing else is asked), then
// those with more words in the title, then the most recent (the highest id).
export const rank = (matches, total, allowed) => {
  // A word found nowhere (a typo) is not rare: it would leave nothing to count.
  const rare = matches.filter((m) => m.docs.size > 0 && m.docs.size <= total / 2);
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
    .sort((a, b) => b.title - a.title || b.doc - a.doc)
    .map((hit) => hit.doc);
};

// The ranked document ids for a query and the folded forms to highlight, or null when
// neither a word nor a facet is given. A facet alone lists its documents newest first.
export const search = async (query, filters, meta, load) => {
  const allowed = facetTest(filters, meta);
  const typed = [...new Set(words(fold(query)))];
  if (!typed.length) {
    if (!allowed) return null;
    const docs = [];
    for (let doc = meta.docs - 1; doc >= 0; doc -= 1) if (allowed(doc)) docs.push(doc);
    return { docs, forms: new Set() };
  }
  const matches = await Promise.all(typed.map((word) => match(word, meta, load)));
  const forms = new Set(matches.flatMap((m) => [...m.forms]));
  return { docs: rank(matches, meta.docs, allowed), forms };
};

// A document's record: `[title, href, iso date, written date, text]`.
export const loadDoc = async (doc, meta, load) =>
  (await load(`docs/${Math.floor(doc / meta.chunk)}.json`))[doc % meta.chunk];

// The words of `text[start, end)` to highlight, those whose folded form is in `forms`,
// as [from, to) positions in `text`.
const WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
export const marks = (text, forms, start = 0, end = text.length) => {
  const found = [];
  for (const t of text.slice(start, end).matchAll(WORD)) {
    if (forms.has(fold(t[0]))) found.push([start + t.index, start + t.index + t[0].length]);
  }
  return found;
};

// The piece `[start, end)` of `text` a snippet shows: its beginning, or, when the first
// highlighted word would not fit, from a space about 60 characters before that word;
// cut at a space within SNIPPET_CHARS.
export const snippetWindow = (text, forms) => {
  const hit = marks(text, forms)[0];
  let start = 0;
  if (hit && hit[1] > SNIPPET_CHARS) {
    const before = text.lastIndexOf(' ', Math.max(0, hit[0] - 60));
    start = before < 0 ? 0 : before + 1;
  }
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length) end = Math.max(text.lastIndexOf(' ', end), start + 1);
  return { start, end };
};
