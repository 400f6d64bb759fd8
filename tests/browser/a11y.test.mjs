// WCAG 2.1 AA of the default theme, checked on one page of every kind of the example
// site, built in Dutch and in English: axe-core in headless Chromium at desktop and
// phone widths, light and dark, plus what axe does not check (heading order, one h1,
// landmarks, current page in the menu, keyboard focus, reflow at 320 px, no scripts,
// no request to any other host, print styles).
//
// Needs Chromium at /usr/bin/chromium and a built binary (QUORUM_BIN, default
// target/debug/quorum). Run: tests/browser/run.sh

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { buildSites, chromiumOptions, pageKinds, serveStatic } from "./sites.mjs";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const wcag21aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const views = [
  { name: "desktop", viewport: { width: 1280, height: 900 }, colorScheme: "light" },
  { name: "phone", viewport: { width: 390, height: 844 }, colorScheme: "light" },
  { name: "desktop, dark", viewport: { width: 1280, height: 900 }, colorScheme: "dark" },
  { name: "phone, dark", viewport: { width: 390, height: 844 }, colorScheme: "dark" },
];

let sites;
let browser;
const servers = [];
const origins = {};

before(async () => {
  sites = buildSites();
  for (const lang of ["nl", "en"]) {
    const { server, origin } = await serveStatic(sites[lang]);
    servers.push(server);
    origins[lang] = origin;
  }
  browser = await chromium.launch(chromiumOptions);
});

after(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  if (sites) fs.rmSync(sites.dir, { recursive: true, force: true });
});

/**
 * A browser context that records, and stops before it leaves the machine, any request
 * to a host other than 127.0.0.1; the tests fail on any recorded in `foreign`.
 */
async function context(options, foreign) {
  const ctx = await browser.newContext(options);
  await ctx.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.hostname === "127.0.0.1") return route.continue();
    foreign.push(url.href);
    return route.abort("blockedbyclient");
  });
  return ctx;
}

function pathOf(lang, kind) {
  return lang === "nl" ? kind[1] : kind[2];
}

/**
 * Opens the page of `kind`. A redirect page leaves at once (meta refresh 0), so it is
 * checked with the refresh held back for a day, which axe's meta-refresh rule allows.
 */
async function visit(page, lang, kind) {
  const url = origins[lang] + pathOf(lang, kind);
  if (kind[0] === "redirect") {
    await page.route(url, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/content="0; url=/, 'content="86400; url=');
      assert.match(body, /content="86400; url=/, "the redirect page has a meta refresh");
      await route.fulfill({ response, body });
    });
  }
  await page.goto(url);
}

for (const lang of ["nl", "en"]) {
  describe(`example site in ${lang === "nl" ? "Dutch" : "English"}`, () => {
    for (const view of views) {
      test(`axe-core: no WCAG 2.1 A/AA violations, ${view.name}`, async () => {
        const foreign = [];
        const ctx = await context({ viewport: view.viewport, colorScheme: view.colorScheme }, foreign);
        const page = await ctx.newPage();
        const problems = [];
        for (const kind of pageKinds) {
          await visit(page, lang, kind);
          await page.evaluate(axeSource);
          const result = await page.evaluate(
            (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
            wcag21aa,
          );
          for (const v of result.violations) {
            const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
            problems.push(`${kind[0]} (${pathOf(lang, kind)}): ${v.id}: ${v.help} – ${where}`);
          }
        }
        await ctx.close();
        assert.deepEqual(problems, [], problems.join("\n"));
        assert.deepEqual(foreign, [], "requests to other hosts");
      });
    }

    test("structure: landmarks, one h1, no skipped heading levels, current page, tables", async () => {
      const ctx = await context({ viewport: { width: 1280, height: 900 } }, []);
      const page = await ctx.newPage();
      const problems = [];
      for (const kind of pageKinds) {
        await visit(page, lang, kind);
        const found = await page.evaluate(structureProblems, kind[0] === "redirect");
        problems.push(...found.map((p) => `${kind[0]}: ${p}`));
      }
      await ctx.close();
      assert.deepEqual(problems, [], problems.join("\n"));
    });

    test("reflow: nothing scrolls sideways at 320 px", async () => {
      const ctx = await context({ viewport: { width: 320, height: 640 } }, []);
      const page = await ctx.newPage();
      const wide = [];
      for (const kind of pageKinds) {
        await visit(page, lang, kind);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 0) wide.push(`${kind[0]}: ${overflow}px too wide`);
      }
      await ctx.close();
      assert.deepEqual(wide, [], wide.join("\n"));
    });

    test("keyboard: skip link first, then every focused element shows a focus ring", async () => {
      const ctx = await context({ viewport: { width: 390, height: 844 } }, []);
      const page = await ctx.newPage();
      const problems = [];
      for (const kind of pageKinds.filter((k) => k[0] !== "redirect")) {
        await visit(page, lang, kind);
        await page.keyboard.press("Tab");
        const skip = await page.evaluate(() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          return { isSkip: el.matches(".skip-link"), visible: box.top >= 0 && box.height > 0 };
        });
        if (!skip.isSkip || !skip.visible) problems.push(`${kind[0]}: the skip link is not the visible first stop`);
        await page.keyboard.press("Enter");
        if (!(await page.evaluate(() => document.activeElement?.id === "main"))) {
          problems.push(`${kind[0]}: the skip link does not move focus to main`);
        }
        const stops = await page.evaluate(() =>
          document.querySelectorAll("a[href], [tabindex='0'], button, input, select, textarea").length,
        );
        for (let i = 0; i < Math.min(stops, 60); i++) {
          await page.keyboard.press("Tab");
          const ring = await page.evaluate(focusRing);
          if (ring) problems.push(`${kind[0]}: ${ring}`);
        }
      }
      await ctx.close();
      assert.deepEqual([...new Set(problems)], [], problems.join("\n"));
    });

    test("print: no navigation, link targets written out, headings kept with their text", async () => {
      const ctx = await context({ viewport: { width: 1280, height: 900 } }, []);
      const page = await ctx.newPage();
      for (const kind of pageKinds.filter((k) => ["minutes with actions and footnotes", "advice"].includes(k[0]))) {
        await visit(page, lang, kind);
        await page.emulateMedia({ media: "print" });
        const print = await page.evaluate(() => {
          const hidden = (sel) => [...document.querySelectorAll(sel)].every((el) => getComputedStyle(el).display === "none");
          const link = document.querySelector(".body a[href^='/'], .body a[href^='http'], .attachments a, .minutes-link a");
          return {
            navHidden: hidden(".main-nav, .breadcrumbs, .site-footer, .skip-link, .toc"),
            linkTarget: link ? getComputedStyle(link, "::after").content : "none",
            headingBreak: getComputedStyle(document.querySelector("main h2")).breakAfter,
          };
        });
        assert.ok(print.navHidden, `${kind[0]}: navigation shows in print`);
        assert.match(print.linkTarget, /\S/, `${kind[0]}: link target not written out`);
        assert.notEqual(print.linkTarget, "none", `${kind[0]}: link target not written out`);
        assert.equal(print.headingBreak, "avoid", `${kind[0]}: a heading may be cut from its text`);
        const pdf = await page.pdf({ format: "A4" });
        assert.ok(pdf.length > 1000, "a PDF was printed");
        await page.emulateMedia({ media: "screen" });
      }
      await ctx.close();
    });
  });
}

test("the third-party guard notices a request to another host", async () => {
  const foreign = [];
  const ctx = await context({}, foreign);
  const page = await ctx.newPage();
  await page.goto(`${origins.nl}/`);
  // TEST-NET-2 address: never routed, and the guard stops the request first anyway.
  await page.evaluate(() => fetch("http://198.51.100.7/font.woff2").catch(() => null));
  await ctx.close();
  assert.deepEqual(foreign, ["http://198.51.100.7/font.woff2"]);
});

test("light: the stylesheet is under 30 KB and needs no web font or other host", () => {
  for (const lang of ["nl", "en"]) {
    const css = fs.readFileSync(`${sites[lang]}/style.css`, "utf8");
    assert.ok(Buffer.byteLength(css) < 30 * 1024, `style.css is ${Buffer.byteLength(css)} bytes`);
    assert.doesNotMatch(css, /@font-face|@import|url\(/, "no web fonts, imports or other files");
  }
});

test("pages carry no script but JSON-LD, so everything works without JavaScript", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  for (const lang of ["nl", "en"]) {
    await page.goto(origins[lang] + "/");
    const scripts = await page.$$eval("script", (all) => all.map((s) => s.type).filter((t) => t !== "application/ld+json"));
    assert.deepEqual(scripts, []);
    assert.ok(await page.locator(".main-nav a").first().isVisible(), "the menu shows without script");
  }
  await ctx.close();
});

// Runs in the page: what axe leaves to people. Returns a list of problems.
function structureProblems(isRedirect) {
  const problems = [];
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements`);
  let previous = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1) problems.push(`heading level skipped before "${h.textContent.trim()}" (h${previous} → h${level})`);
    previous = level;
  }
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one main");
  if (!isRedirect) {
    for (const landmark of ["body > header", "nav", "body > footer", "a.skip-link[href='#main']"]) {
      if (!document.querySelector(landmark)) problems.push(`no ${landmark}`);
    }
    if (!document.querySelector("#main")) problems.push("the skip link has no target");
    const current = document.querySelectorAll("header [aria-current], .breadcrumbs [aria-current], .pagination [aria-current], .register-filters [aria-current]");
    if (current.length === 0) problems.push("no link marks the current page (aria-current)");
  }
  for (const table of document.querySelectorAll("table")) {
    if (!table.querySelector("th")) problems.push("a table without header cells");
    const named = table.caption?.textContent.trim() || table.closest("[role=region]")?.getAttribute("aria-label") || table.closest("[role=region]")?.getAttribute("aria-labelledby");
    if (!table.caption) problems.push(`a table without caption${named ? "" : " or name"}`);
  }
  return problems;
}

// Runs in the page: why the focused element shows no focus indicator, or null.
function focusRing() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== "none";
  if (outline || shadow) return null;
  const name = el.textContent.trim().slice(0, 40) || el.outerHTML.slice(0, 60);
  return `no visible focus on <${el.tagName.toLowerCase()}> "${name}"`;
}
