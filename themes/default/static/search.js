// Search for quorum sites: the search page's form, results, URL and history. What it
// finds comes from search-core.js, on the index `quorum build` writes next to the search
// page (see src/render/search/mod.rs for its design). No framework, no requests beyond
// this site's own files.
import { FACETS, loadDoc, marks, readMeta, search, snippetWindow } from './search-core.js';

// Runs the search page whose form is `form`.
const searchPage = (form) => {
  const input = form.elements.q;
  const statusLine = document.getElementById('search-count');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const strings = form.dataset;
  const PAGE = 10;
  const TONES = { answered: 'done', awaiting: 'pending', overdue: 'warning' };

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
    if (!meta) meta = readMeta(await fetchJson('meta.json', { cache: 'no-cache' }));
    return meta;
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
  const appendMarked = (parent, text, forms, start = 0, end = text.length) => {
    let at = start;
    for (const [from, to] of marks(text, forms, start, end)) {
      const mark = document.createElement('mark');
      mark.textContent = text.slice(from, to);
      parent.append(text.slice(at, from), mark);
      at = to;
    }
    parent.append(text.slice(at, end));
    return parent;
  };

  // A piece of `text` around its first highlighted word.
  const snippet = (text, forms) => {
    const { start, end } = snippetWindow(text, forms);
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
    const records = await Promise.all(docs.map((doc) => loadDoc(doc, meta, load)));
    if (current !== run) return;
    docs.forEach((doc, i) => {
      list.append(card(doc, records[i], found.forms));
    });
    shown += docs.length;
    more.hidden = shown >= found.docs.length;
  };

  const filtersOf = () => Object.fromEntries(FACETS.map((name) => [name, form.elements[name].value]));

  const update = async () => {
    run += 1;
    const current = run;
    try {
      const result = await search(input.value, filtersOf(), await loadMeta(), load);
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
};

const form = document.getElementById('search');
if (form) searchPage(form);
