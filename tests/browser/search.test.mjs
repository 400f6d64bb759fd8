// Search in a real browser: builds the example site with the quorum binary, serves it
// from 127.0.0.1 and drives headless Chromium through the search page.
//
// Run with `node --test` in this folder (see run.sh); QUORUM_BIN names the binary
// (default target/debug/quorum), CHROMIUM the browser (default /usr/bin/chromium).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.resolve(repo, process.env.QUORUM_BIN || 'target/debug/quorum');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
};

let out;
let server;
let origin;
let browser;
const external = [];

// A static host in a few lines: files of `out`, never outside it, 404.html when missing.
const serve = (dir) =>
  http.createServer((request, response) => {
    let file = path.join(dir, path.normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)));
    if (!file.startsWith(dir)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': TYPES['.html'] });
      response.end(readFileSync(path.join(dir, '404.html')));
    }
  });

before(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'quorum-search-'));
  execFileSync(bin, ['build', '--output', path.join(out, 'public')], {
    cwd: repo,
    env: { ...process.env, QUORUM_TODAY: '2026-11-22' },
  });
  server = serve(path.join(out, 'public'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
  assert.deepEqual(external, [], 'the search page makes no requests outside the site');
});

const newPage = async (options = {}) => {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) external.push(request.url());
  });
  page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
  return page;
};

// The live region once a search has finished: "1 resultaat", "12 resultaten".
const RESULTS = /\d+ resulta(at|ten)$/;
const status = (page) => page.locator('#search-count');
const titles = (page) => page.locator('#search-results .card-title a').allTextContents();
const countOf = async (page) => Number((await status(page).textContent()).match(/\d+/)?.[0] ?? 0);

test('an inflected Dutch word finds its other forms, highlighted, title matches first', async () => {
  const page = await newPage();
  await page.goto(`${origin}/zoeken/`);
  await page.locator('#search-q').pressSequentially('vergaderingen', { delay: 20 });
  await page.waitForURL(/\?q=vergaderingen$/);
  await assert.doesNotReject(status(page).filter({ hasText: /\d+ resultaten/ }).waitFor());
  const first = await titles(page);
  assert.ok(first.length > 0 && first.length <= 10, `a first page of results: ${first}`);
  assert.match(first[0], /Vergadering/, 'items with the word in the title come first');
  const marks = await page.locator('#search-results mark').allTextContents();
  assert.ok(marks.some((m) => /^vergadering$/i.test(m)), `"vergadering" is highlighted too: ${marks}`);
  await page.context().close();
});

test('"adviezen" finds advice, a facet narrows it, and a result can be followed and come back', async () => {
  const page = await newPage();
  await page.goto(`${origin}/zoeken/`);
  await page.locator('#search-q').pressSequentially('adviezen', { delay: 20 });
  await page.waitForURL(/\?q=adviezen$/);
  await status(page).filter({ hasText: /resultaten/ }).waitFor();
  const all = await countOf(page);
  assert.ok(all > 1, `several results: ${all}`);

  await page.selectOption('#search-kind', 'advice');
  await page.waitForURL(/\?q=adviezen&kind=advice$/);
  await page.waitForFunction((n) => !document.querySelector('#search-count').textContent.startsWith(`${n} `), all);
  const advice = await countOf(page);
  assert.ok(advice > 0 && advice < all, `the facet narrows ${all} to ${advice}`);
  const kinds = await page.locator('#search-results .card-meta .kind').allTextContents();
  assert.ok(kinds.every((k) => k === 'Advies'), `only advice: ${kinds}`);

  const link = page.locator('#search-results .card-title a').first();
  const href = await link.getAttribute('href');
  assert.match(href, /^\/adviezen\/[^/]+\/$/);
  await link.click();
  await page.waitForURL(`${origin}${href}`);
  await page.goBack();
  await page.waitForURL(/\/zoeken\/\?q=adviezen&kind=advice$/);
  await status(page).filter({ hasText: `${advice} resultaten` }).waitFor();
  assert.equal(await page.locator('#search-q').inputValue(), 'adviezen');
  assert.equal(await page.locator('#search-kind').inputValue(), 'advice');
  await page.context().close();
});

test('a facet alone lists everything that matches it, newest first', async () => {
  const page = await newPage();
  await page.goto(`${origin}/zoeken/?status=answered`);
  await status(page).filter({ hasText: RESULTS }).waitFor();
  const badges = await page.locator('#search-results .badge').allTextContents();
  assert.ok(badges.length > 0 && badges.every((b) => b === 'Beantwoord'), `${badges}`);
  const dates = await page.locator('#search-results time').evaluateAll((ts) => ts.map((t) => t.dateTime));
  assert.deepEqual(dates, [...dates].sort().reverse());
  await page.context().close();
});

test('diacritics fold, an unknown last word matches as a prefix, back restores the search', async () => {
  const page = await newPage();
  await page.goto(`${origin}/zoeken/?q=cli%C3%ABnten`);
  await status(page).filter({ hasText: RESULTS }).waitFor();
  const accented = await titles(page);
  assert.ok(accented.length > 0);

  await page.locator('#search-q').fill('clienten');
  await page.locator('#search-q').press('Enter');
  await page.waitForURL(/\?q=clienten$/);
  await page.waitForFunction(() => document.querySelector('#search-count').textContent !== '');
  assert.deepEqual(await titles(page), accented, '"clienten" finds what "cliënten" finds');

  await page.locator('#search-q').fill('schuldhulpverl');
  await page.locator('#search-q').press('Enter');
  await page.waitForURL(/\?q=schuldhulpverl$/);
  // The count shows the previous search's number, then this one's before its results
  // are drawn (they load in chunks): wait for this search's results, not for a count.
  await page
    .waitForFunction(
      () => [...document.querySelectorAll('#search-results mark')].some((m) => m.textContent.toLowerCase().startsWith('schuldhulpverl')),
      null,
      { timeout: 5000 },
    )
    .catch(() => {});
  const marks = await page.locator('#search-results mark').allTextContents();
  assert.ok(marks.some((m) => m.toLowerCase().startsWith('schuldhulpverl')), `the prefix's words are highlighted: ${marks}`);
  await page.goBack();
  await page.waitForURL(/\?q=clienten$/);
  await page.waitForFunction(() => document.querySelector('#search-q').value === 'clienten');
  await page.context().close();
});

test('the header search box leads to the search page, with and without JavaScript', async () => {
  const page = await newPage();
  await page.goto(`${origin}/`);
  await page.locator('#site-search-q').fill('minimaregelingen');
  await page.locator('#site-search-q').press('Enter');
  await page.waitForURL(/\/zoeken\/\?q=minimaregelingen$/);
  await status(page).filter({ hasText: RESULTS }).waitFor();
  assert.match((await titles(page)).join('|'), /[Mm]inimaregelingen/);
  await page.context().close();

  const plain = await newPage({ javaScriptEnabled: false });
  await plain.goto(`${origin}/zoeken/?q=armoede`);
  const notice = plain.locator('.search-noscript');
  assert.match(await notice.textContent(), /JavaScript/);
  assert.equal(await notice.locator('a').count(), 3, 'links to years, topics and policy areas');
  await plain.context().close();
});
