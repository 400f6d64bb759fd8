// Live reload as a webmaster sees it: a real (headless) Chromium showing a page of
// `quorum serve`, while the test edits the site's files. The page is never reloaded
// by the test; only the injected script may do that.
//
// Needs Chromium at /usr/bin/chromium and a built binary (QUORUM_BIN, default
// target/debug/quorum). Run: tests/browser/run.sh

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { chromiumOptions } from "./sites.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = path.resolve(repo, process.env.QUORUM_BIN ?? "target/debug/quorum");
const patience = 10_000;

let dir;
let site;
let server;
let origin;
let browser;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-browser-"));
  site = path.join(dir, "site");
  fs.cpSync(path.join(repo, "tests/fixtures/minimal"), site, { recursive: true });
  server = serve(await freePort());
  origin = await servingAt(server);
  browser = await chromium.launch(chromiumOptions);
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("an edited item shows in the open tab by itself", async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/nieuws/2021-12-20-nieuw-lid/`);
  await page.waitForFunction(() => document.body.innerText.includes("Wij verwelkomen"));

  edit("content/news/2021-12-20-nieuw-lid.md", "Wij verwelkomen", "Wij begroeten");

  await page.waitForFunction(
    () => document.body.innerText.includes("Wij begroeten"),
    null,
    { timeout: patience },
  );
  await page.close();
});

test("a stylesheet change is swapped in without a reload", async () => {
  const page = await browser.newPage();
  // Wait for the event stream, so the change arrives as an event and not as a
  // generation mismatch on connect (which reloads).
  const stream = page.waitForResponse((r) => r.url().endsWith("/__quorum/events"));
  await page.goto(`${origin}/`);
  await stream;
  await page.evaluate(() => {
    window.quorumTestMarker = "still here";
  });

  write("static/style.css", "body { background-color: rgb(1, 2, 3); }\n");

  await page.waitForFunction(
    () => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)",
    null,
    { timeout: patience },
  );
  assert.equal(await page.evaluate(() => window.quorumTestMarker), "still here");
  fs.rmSync(path.join(site, "static"), { recursive: true });
  await page.close();
});

test("a build error shows on the page and goes away when fixed", async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/over-ons/`);
  const file = "content/pages/over-ons.md";
  const good = fs.readFileSync(path.join(site, file), "utf8");

  write(file, good.replace("weight = 1", "weight = \"een\""));
  const overlay = page.locator("#quorum-errors");
  await overlay.waitFor({ timeout: patience });
  assert.match(await overlay.innerText(), /content\/pages\/over-ons\.md:\d+:\d+/);

  write(file, good);
  await overlay.waitFor({ state: "detached", timeout: patience });
  await page.close();
});

test("open tabs reload when the server restarts", async () => {
  const page = await browser.newPage();
  const stream = page.waitForResponse((r) => r.url().endsWith("/__quorum/events"));
  await page.goto(`${origin}/over-ons/`);
  await stream;
  await page.evaluate(() => {
    window.quorumTestMarker = "before restart";
  });

  server.kill();
  await new Promise((resolve) => server.once("exit", resolve));
  server = serve(new URL(origin).port);
  assert.equal(await servingAt(server), origin);

  await page.waitForFunction(() => window.quorumTestMarker === undefined, null, {
    timeout: patience,
  });
  await page.close();
});

function serve(port) {
  return spawn(binary, ["serve", "--root", site, "--port", String(port)], {
    env: { ...process.env, QUORUM_TODAY: "2021-12-01" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function write(file, text) {
  const target = path.join(site, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
}

function edit(file, from, to) {
  const text = fs.readFileSync(path.join(site, file), "utf8");
  assert.ok(text.includes(from), `${file} contains ${from}`);
  write(file, text.replace(from, to));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The origin the server announces ("Serving … at http://…/"); the port may move on. */
function servingAt(child) {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no server after ${patience} ms:\n${output}`)), patience);
    const read = (chunk) => {
      output += chunk;
      const found = output.match(/^Serving .* at (http:\/\/\S+?)\/?$/m);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => reject(new Error(`quorum serve exited with ${code}:\n${output}`)));
  });
}
