// The logic of search (themes/default/static/search-core.js) in Node, without a browser:
// folding and words as src/render/search/words.rs has them, matching words and prefixes
// against term buckets, ranking, facets and snippets. Most tests read a small index
// written by hand in the format of src/render/search/files.rs; the last ones read the
// index the quorum binary writes for tests/fixtures/search.
//
// Run with `node --test` in this folder (see run.sh); QUORUM_BIN names the binary
// (default target/debug/quorum). Node 20.19 or later loads search-core.js as an ES
// module by its syntax: the theme has no package.json to say so.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BACKOFF_LETTERS,
  BACKOFF_MIN,
  MIN_PREFIX,
  PREFIX_BUCKETS,
  SNIPPET_CHARS,
  decodePostings,
  facetTest,
  floor,
  fold,
  loadDoc,
  marks,
  match,
  rank,
  readMeta,
  search,
  snippetWindow,
  words,
} from '../../themes/default/static/search-core.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.resolve(repo, process.env.QUORUM_BIN || 'target/debug/quorum');

// Six documents, oldest first (a higher id is more recent):
//   0 "Over ons"               page
//   1 "Advies schuldhulp"      advice   2021  armoede, wmo  answered
//   2 "Vergaderingen 2021"     meeting  2021
//   3 "Nieuwe leden"           news     2021
//   4 "Verslag 8 maart"        minutes  2022  wmo
//   5 "Advies armoedebeleid"   advice   2022  armoede       awaiting
// Postings are gaps from the previous document (the first from -1), negative where the
// stem is in the title. "raad" is in four of the six documents, more than half.
const FILES = {
  'meta.json': {
    version: 'hand-made',
    docs: 6,
    chunk: 4,
    buckets: ['advies', 'armoedebeleid', 'raadslid'],
    facets: {
      area: { values: ['armoede', 'wmo'], docs: ',0.1,,,1,0' },
      kind: { values: ['advice', 'minutes', 'news', 'meeting', 'page'], docs: '4,0,3,2,1,0' },
      status: { values: ['answered', 'awaiting', 'overdue'], docs: ',0,,,,1' },
      year: { values: ['2022', '2021'], docs: ',1,1,1,0,0' },
    },
  },
  'terms/0.json': {
    forms: [['advies', 0], ['adviezen', 0], ['adviseert', 1], ['armoede', 2]],
    stems: [[0, 'advies', [-2, 3, -1]], [1, 'advis', [6]], [2, 'armoed', [2, 3, 1]]],
  },
  'terms/1.json': {
    forms: [['armoedebeleid', 0], ['client', 1], ['clienten', 1], ['raad', 2]],
    stems: [[3, 'armoedebeleid', [-6]], [4, 'client', [4]], [5, 'rad', [3, 1, 1, 1]]],
  },
  'terms/2.json': {
    forms: [['raadslid', 0], ['schulden', 1], ['vergadering', 2], ['vergaderingen', 2]],
    stems: [[6, 'raadslid', [1]], [7, 'schuld', [2, 4]], [8, 'vergader', [-3, 2]]],
  },
  'docs/0.json': [
    ['Over ons', '/over-ons/', '', '', 'Elk raadslid stelt zich voor.'],
    ['Advies schuldhulp', '/adviezen/2021-schuldhulp/', '2021-01-05', '5 januari 2021', 'Over schulden en armoede.'],
    ['Vergaderingen 2021', '/vergaderingen/2021/', '2021-01-10', '10 januari 2021', 'De data waarop de raad vergadert.'],
    ['Nieuwe leden', '/nieuws/2021-12-20-leden/', '2021-12-20', '20 december 2021', 'Twee cliënten zijn lid van de raad geworden.'],
  ],
  'docs/1.json': [
    ['Verslag 8 maart', '/verslagen/2022-03-08/', '2022-03-08', '8 maart 2022', 'De raad besprak in de vergadering het advies over armoede.'],
    ['Advies armoedebeleid', '/adviezen/2022-armoede/', '2022-06-01', '1 juni 2022', 'De raad adviseert over armoede en schulden.'],
  ],
};

// A `load` over `files` that records what was asked for, as the page's fetches would.
const loader = (files) => {
  const loads = [];
  const load = async (file) => {
    loads.push(file);
    if (!(file in files)) throw new Error(`no ${file}`);
    return files[file];
  };
  return { load, loads };
};

const meta = readMeta(structuredClone(FILES['meta.json']));
const find = async (query, filters = {}) => (await search(query, filters, meta, loader(FILES).load))?.docs;
const docsOf = async (word) => (await match(word, meta, loader(FILES).load)).docs;

describe('folding and words, as words.rs has them', () => {
  test('case, diacritics and compatibility forms fold away', () => {
    assert.equal(fold('Cliënt'), 'client');
    assert.equal(fold('Cli\u0308ent'), 'client', 'a mark typed as its own character');
    assert.equal(fold('ÉÉN café, ﬁets'), 'een cafe, fiets');
    assert.equal(fold('Ĳssel'), 'ijssel');
    assert.equal(fold('ΟΔΟΣ'), 'οδοσ');
    assert.equal(fold('οδός'), 'οδοσ', 'final sigma is plain sigma');
  });

  test('words are runs of letters and digits of 2 to 40 characters', () => {
    const text = fold("De Wmo-raad adviseerde op 14-12-2021 over 'schuldhulpverlening' (zie p. 3).");
    assert.deepEqual(words(text), [
      'de', 'wmo', 'raad', 'adviseerde', 'op', '14', '12', '2021', 'over', 'schuldhulpverlening', 'zie',
    ]);
    assert.deepEqual(words('x'.repeat(40)), ['x'.repeat(40)]);
    assert.deepEqual(words('x'.repeat(41)), []);
    const gothic = '\u{10330}'.repeat(40);
    assert.deepEqual(words(gothic), [gothic], 'characters are counted, not UTF-16 units');
    assert.deepEqual(words(' ,.!? - '), []);
  });
});

describe('the index format', () => {
  test('floor finds the last entry not greater than the key', () => {
    const sorted = ['advies', 'armoedebeleid', 'raadslid'];
    assert.equal(floor(sorted, 'aaa'), -1);
    assert.equal(floor(sorted, 'advies'), 0);
    assert.equal(floor(sorted, 'armoede'), 0);
    assert.equal(floor(sorted, 'raad'), 1);
    assert.equal(floor(sorted, 'raadslid'), 2);
    assert.equal(floor(sorted, 'zzz'), 2);
    assert.equal(floor([['b', 0], ['d', 1]], 'c', (f) => f[0]), 0);
  });

  test('postings are gaps from -1, negative in the title, a title kept once seen', () => {
    const docs = new Map();
    decodePostings([1, -3, 1], docs);
    assert.deepEqual([...docs], [[0, false], [3, true], [4, false]]);
    decodePostings([-1, 3], docs);
    assert.deepEqual([...docs], [[0, true], [3, true], [4, false]], 'another stem adds to it');
  });

  test('facet columns decode to the value positions of each document', () => {
    assert.deepEqual(meta.columns.area, [[], [0, 1], [], [], [1], [0]]);
    assert.deepEqual(meta.columns.kind, [[4], [0], [3], [2], [1], [0]]);
  });

  test('a document record comes from its chunk', async () => {
    const { load, loads } = loader(FILES);
    assert.equal((await loadDoc(0, meta, load))[0], 'Over ons');
    assert.equal((await loadDoc(5, meta, load))[0], 'Advies armoedebeleid');
    assert.deepEqual(loads, ['docs/0.json', 'docs/1.json']);
  });
});

describe('matching a word', () => {
  test('a form leads to its stem and so to every document with any form of it', async () => {
    const { load, loads } = loader(FILES);
    const found = await match('adviezen', meta, load);
    assert.deepEqual([...found.docs], [[1, true], [4, false], [5, true]]);
    assert.deepEqual([...found.forms].sort(), ['advies', 'adviezen'], 'every form of the stem is highlighted');
    assert.deepEqual(loads, ['terms/0.json'], 'one bucket answers one word');
    assert.deepEqual([...(await docsOf('vergaderingen')).keys()], [2, 4]);
  });

  test('a form that exists is not also taken as a prefix', async () => {
    assert.deepEqual([...(await docsOf('raad')).keys()], [2, 3, 4, 5], 'not "raadslid" of 0');
    assert.deepEqual([...(await docsOf('advies')).keys()], [1, 4, 5], 'not "adviseert", another stem');
  });

  test('a word being typed matches as a prefix of the forms, across buckets', async () => {
    const { load, loads } = loader(FILES);
    const found = await match('raa', meta, load);
    assert.deepEqual([...found.docs.keys()].sort(), [0, 2, 3, 4, 5]);
    assert.deepEqual([...found.forms].sort(), ['raad', 'raadslid']);
    assert.deepEqual(loads, ['terms/1.json', 'terms/2.json']);
    const armoed = await docsOf('armoed');
    assert.equal(armoed.get(5), true, 'in the title by "armoedebeleid" of the next bucket');
    assert.equal(armoed.get(4), false);
    assert.deepEqual([...(await match('adviez', meta, loader(FILES).load)).forms].sort(), ['advies', 'adviezen']);
  });

  test('an inflection found nowhere backs off to a shorter prefix', async () => {
    assert.deepEqual([...(await docsOf('armoedes')).keys()], [...(await docsOf('armoede')).keys()]);
    const clientjes = await match('clientjes', meta, loader(FILES).load);
    assert.deepEqual([...clientjes.docs.keys()], [3], 'three letters off: "client"');
    assert.deepEqual([...clientjes.forms].sort(), ['client', 'clienten']);
    assert.equal((await docsOf('clientjesx')).size, 0, `at most ${BACKOFF_LETTERS} letters off`);
    assert.equal((await docsOf('raadsleden')).size, 0, 'a changed stem vowel is beyond it');
    assert.equal((await docsOf('raadx')).size, 4, '"raad" keeps four letters');
    assert.equal((await docsOf('rax')).size, 0, `never below ${BACKOFF_MIN} letters`);
    assert.equal((await docsOf('raa')).size, 5, 'a prefix that matches needs no back-off');
  });

  test(`a prefix needs ${MIN_PREFIX} characters`, async () => {
    assert.deepEqual([...(await docsOf('clienten'.slice(0, MIN_PREFIX))).keys()], [3]);
    assert.equal((await docsOf('clienten'.slice(0, MIN_PREFIX - 1))).size, 0);
    assert.equal((await docsOf('zzz')).size, 0, 'a word that matches nothing');
  });

  test(`a prefix spanning more than ${PREFIX_BUCKETS} buckets waits for another letter`, async () => {
    // One form per bucket: "taa0".."taa3", then "tbb0".."tbb3". "taa" spans buckets 0 to
    // 3; "tbb" spans 3 (whose forms after "taa3" could start with "tbb") to 7.
    const forms = [];
    for (const prefix of ['taa', 'tbb']) {
      for (let i = 0; i < PREFIX_BUCKETS; i += 1) forms.push(`${prefix}${i}`);
    }
    const files = { 'meta.json': { docs: forms.length, buckets: forms } };
    forms.forEach((form, i) => {
      files[`terms/${i}.json`] = { forms: [[form, 0]], stems: [[i, form, [i + 1]]] };
    });
    const small = files['meta.json'];
    const all = await match('taa', small, loader(files).load);
    assert.deepEqual([...all.docs.keys()], [...Array(PREFIX_BUCKETS).keys()]);
    const { load, loads } = loader(files);
    const none = await match('tbb', small, load);
    assert.equal(none.docs.size, 0);
    assert.deepEqual(loads, [`terms/${PREFIX_BUCKETS - 1}.json`], 'no more buckets are fetched');
    assert.deepEqual([...(await match('tbb1', small, loader(files).load)).docs.keys()], [PREFIX_BUCKETS + 1]);
  });

  test('an empty index matches nothing', async () => {
    const { load, loads } = loader({});
    assert.equal((await match('advies', { docs: 0, buckets: [] }, load)).docs.size, 0);
    assert.deepEqual(loads, []);
  });
});

describe('ranking', () => {
  test('documents matching the most of the words, the rest left out', async () => {
    assert.deepEqual(await find('armoede schulden'), [5, 1]);
    assert.deepEqual(await find('vergadering armoede'), [4]);
  });

  test('a word in over half of the documents only counts when nothing else is asked', async () => {
    assert.deepEqual(await find('raad'), [5, 4, 3, 2]);
    assert.deepEqual(await find('raad schulden'), [5, 1], 'doc 1 has no "raad", still ranks');
    assert.deepEqual(await find('armoede'), [5, 4, 1], 'in exactly half still counts');
  });

  test('a word found nowhere does not hide what the other words find', async () => {
    assert.deepEqual(await find('qwxz raad'), [5, 4, 3, 2], 'a typo beside a common word');
    assert.deepEqual(await find('qwxz schulden'), [5, 1]);
    assert.deepEqual(await find('qwxz'), []);
  });

  test('title matches first, then the most recent', async () => {
    assert.deepEqual(await find('vergaderingen'), [2, 4], 'the older title match first');
    assert.deepEqual(await find('adviezen'), [5, 1, 4]);
    assert.deepEqual(await find('advies armoede'), [5, 1, 4]);
  });

  test('more words in the title rank higher', () => {
    const m = (pairs) => ({ docs: new Map(pairs) });
    const matches = [m([[0, false], [1, true], [2, true]]), m([[0, false], [1, false], [2, true]])];
    assert.deepEqual(rank(matches, 10, null), [2, 1, 0]);
    assert.deepEqual(rank(matches, 10, (doc) => doc !== 2), [1, 0]);
  });

  test('what is typed is folded and split before it is looked up', async () => {
    assert.deepEqual(await find('ADVIEZEN'), [5, 1, 4]);
    assert.deepEqual(await find('Cliënten!'), [3]);
  });
});

describe('facets', () => {
  test('an empty query without facets shows nothing, with facets lists newest first', async () => {
    assert.equal(await find(''), undefined);
    assert.equal(await find(' ,. ', { kind: '', year: '' }), undefined);
    assert.deepEqual(await find('', { kind: 'advice' }), [5, 1]);
    assert.deepEqual(await find('', { area: 'wmo' }), [4, 1], 'one of a document\'s values');
    assert.deepEqual(await find('', { year: '2021', status: 'answered' }), [1]);
    assert.deepEqual(await find('', { kind: 'advice', year: '2023' }), []);
    assert.deepEqual(await find('', { kind: 'nonsense' }), [], 'an unknown value in the URL');
  });

  test('facets narrow a query before its best documents are chosen', async () => {
    assert.deepEqual(await find('armoede', { year: '2021' }), [1]);
    assert.deepEqual(await find('armoede', { area: 'armoede', status: 'awaiting' }), [5]);
    assert.deepEqual(await find('vergadering armoede', { kind: 'meeting' }), [2]);
  });

  test('facetTest is null when no facet is chosen', () => {
    assert.equal(facetTest({ kind: '', year: '', area: '', status: '' }, meta), null);
    const advice = facetTest({ kind: 'advice' }, meta);
    assert.deepEqual([0, 1, 2, 3, 4, 5].filter(advice), [1, 5]);
  });
});

describe('highlights and snippets', () => {
  const forms = new Set(['advies', 'adviezen']);

  test('the words whose folded form is asked for are marked', () => {
    const text = 'Adviezen, een ADVIES en adviesraad: Advíes.';
    const at = (range) => text.slice(...range);
    assert.deepEqual(marks(text, forms).map(at), ['Adviezen', 'ADVIES', 'Advíes']);
    assert.deepEqual(marks(text, forms, 10).map(at), ['ADVIES', 'Advíes'], 'positions stay those of text');
    assert.deepEqual(marks(text, forms, 0, 5), [], 'a word cut by the window is not the word');
  });

  test('a short text is shown whole', () => {
    const text = 'De raad gaf een advies.';
    assert.deepEqual(snippetWindow(text, forms), { start: 0, end: text.length });
  });

  test('a long text is cut at a space, from the start when the first match fits', () => {
    const text = `${'woorden '.repeat(12)}het advies ${'woorden '.repeat(30)}einde`;
    const { start, end } = snippetWindow(text, forms);
    assert.equal(start, 0, 'the match, at 100, fits');
    assert.ok(end <= SNIPPET_CHARS && text[end] === ' ', `cut at a space: ${end}`);
  });

  test('the window moves to about 60 characters before a match further on', () => {
    const before = 'voor '.repeat(60);
    const text = `${before}het advies ${'na '.repeat(80)}einde`;
    const at = text.indexOf('advies');
    const { start, end } = snippetWindow(text, forms);
    assert.ok(start > 0 && text[start - 1] === ' ', `starts after a space: ${start}`);
    assert.ok(at - start >= 59 && at - start <= 64, `about 60 before the match: ${at - start}`);
    assert.ok(end > at + 'advies'.length && end - start <= SNIPPET_CHARS, `the match is shown: ${start}..${end}`);
    assert.equal(text[end], ' ');
    assert.equal(snippetWindow(text, new Set()).start, 0, 'no match: the start');
  });
});

describe('the index quorum writes for tests/fixtures/search', () => {
  let out;
  let real;
  let load;

  before(() => {
    out = mkdtempSync(path.join(os.tmpdir(), 'quorum-search-core-'));
    execFileSync(bin, ['build', '--root', path.join(repo, 'tests/fixtures/search'), '--output', out], {
      env: { ...process.env, QUORUM_TODAY: '2026-11-22' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const dir = path.join(out, 'zoeken/index');
    load = async (file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    real = readMeta(JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')));
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const titles = async (query, filters = {}) => {
    const found = await search(query, filters, real, load);
    return Promise.all(found.docs.map(async (doc) => (await loadDoc(doc, real, load))[0]));
  };

  test('"adviezen" finds what says "advies", title matches above newer body matches', async () => {
    assert.deepEqual(await titles('adviezen'), ['Advies mantelzorg', 'Jaarplan 2024', 'Terugblik']);
    assert.deepEqual(await titles('advies'), ['Advies mantelzorg', 'Jaarplan 2024', 'Terugblik']);
    assert.deepEqual(await titles('vergaderingen'), ['Openbare vergadering in maart', 'Over ons']);
  });

  test('prefixes, diacritics, common words and facets on the real index', async () => {
    assert.deepEqual(await titles('mantelz'), ['Advies mantelzorg']);
    assert.deepEqual(await titles('adviesr'), ['Over ons']);
    assert.deepEqual(await titles('clienten'), ['Terugblik']);
    assert.deepEqual(await titles('CLIËNTEN'), ['Terugblik']);
    assert.deepEqual(await titles('raad welkom'), ['Openbare vergadering in maart'], '"raad" is in 3 of 5');
    assert.deepEqual(await titles('adviezen', { kind: 'news' }), ['Jaarplan 2024', 'Terugblik']);
    assert.deepEqual(await titles('', { kind: 'advice' }), ['Advies mantelzorg']);
  });

  test('every form the build wrote is one word as search-core.js folds and splits it', async () => {
    const forms = [];
    for (let i = 0; i < real.buckets.length; i += 1) {
      forms.push(...(await load(`terms/${i}.json`)).forms.map((f) => f[0]));
    }
    assert.ok(forms.includes('clienten'), `the build folded "cliënten": ${forms}`);
    for (const form of forms) assert.deepEqual(words(fold(form)), [form]);
    assert.deepEqual(forms, [...forms].sort(), 'sorted as the browser compares');
  });
});
