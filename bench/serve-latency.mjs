#!/usr/bin/env node
// How long from saving a content file until open tabs hear of the rebuild.
//
// Generates a site of N minutes (a few paragraphs each) in a temporary folder, starts
// `quorum serve` on it, listens to the event stream like a tab does, then saves one
// minutes file EDITS times and measures save → `reload` event. A person runs this; it
// is not a test.
//
//   cargo build --release
//   node bench/serve-latency.mjs [N=1000] [EDITS=20]
//   QUORUM_BIN=target/debug/quorum node bench/serve-latency.mjs 100

import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const binary = path.resolve(repo, process.env.QUORUM_BIN ?? "target/release/quorum");
const items = Number(process.argv[2] ?? 1000);
const edits = Number(process.argv[3] ?? 20);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-bench-"));
const site = path.join(dir, "site");
generate(site, items);

const server = spawn(binary, ["serve", "--root", site, "--port", "0"], {
  stdio: ["ignore", "pipe", "inherit"],
});
let log = "";
server.stdout.on("data", (chunk) => (log += chunk));
process.on("exit", () => {
  server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

try {
  const origin = await until(() => log.match(/^Serving .* at (http:\/\/\S+?)\/?$/m)?.[1], 120_000);
  console.log(log.split("\n")[0]);
  const events = await eventStream(`${origin}/__quorum/events`);
  await events.next("hello");
  const file = path.join(site, "content/minutes", `${date(0)}.md`);
  const original = fs.readFileSync(file, "utf8");
  const latencies = [];
  for (let i = 1; i <= edits; i++) {
    const started = performance.now();
    fs.writeFileSync(file, original.replace("De voorzitter opent", `Bewerking ${i}: de voorzitter opent`));
    await events.next("reload");
    latencies.push(performance.now() - started);
    // Let the editor-save debounce of this edit pass before the next one.
    await sleep(150);
  }
  latencies.sort((a, b) => a - b);
  const builds = [...log.matchAll(/ in (\d+) ms$/gm)].slice(1).map((m) => Number(m[1]));
  builds.sort((a, b) => a - b);
  const ms = (x) => `${x.toFixed(0)} ms`;
  console.log(
    `${items} items, ${edits} edits: save → event median ${ms(median(latencies))}` +
      ` (min ${ms(latencies[0])}, max ${ms(latencies.at(-1))});` +
      ` build alone median ${ms(median(builds))}`,
  );
  process.exit(0);
} catch (error) {
  console.error(`${error.message}\n${log}`);
  process.exit(1);
}

function generate(root, count) {
  fs.mkdirSync(path.join(root, "content/minutes"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "quorum.toml"),
    'title = "Benchmarkraad"\nbase_url = "https://raad.example.nl"\nlanguage = "nl"\n' +
      '[policy_areas]\nwmo = "Wmo en ondersteuning"\n',
  );
  const body = [
    "De voorzitter opent de vergadering en heet iedereen welkom.",
    "## Mededelingen\n\nDe secretaris meldt dat het advies over armoedebeleid is verstuurd. " +
      "De wethouder heeft toegezegd binnen zes weken te reageren.",
    "## Rondvraag\n\nEen lid vraagt naar de **toegankelijkheid** van het stadhuis. " +
      "Dit wordt meegenomen in de volgende vergadering.",
    "De voorzitter sluit de vergadering om 21.30 uur.",
  ].join("\n\n");
  for (let i = 0; i < count; i++) {
    const front = `+++\ndate = ${date(i)}\ntopics = ["thema-${i % 50}"]\npolicy_areas = ["wmo"]\n+++\n`;
    fs.writeFileSync(path.join(root, "content/minutes", `${date(i)}.md`), front + body + "\n");
  }
}

/** Item i's date: one meeting a day, counting back from 2030. */
function date(i) {
  return new Date(Date.UTC(2030, 0, 1) - i * 86_400_000).toISOString().slice(0, 10);
}

/** Reads Server-Sent Events; `next(name)` resolves with the next event of that name. */
function eventStream(url) {
  return new Promise((resolve, reject) => {
    const seen = [];
    let waiting = null;
    let buffer = "";
    http
      .get(url, (response) => {
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = block.match(/^event: (.*)$/m)?.[1];
            if (name) seen.push(name);
          }
          deliver();
        });
        resolve({
          next: (name) =>
            new Promise((done) => {
              waiting = { name, done };
              deliver();
            }),
        });
      })
      .on("error", reject);
    function deliver() {
      if (!waiting) return;
      const index = seen.indexOf(waiting.name);
      if (index >= 0) {
        seen.splice(0, index + 1);
        const { done } = waiting;
        waiting = null;
        done();
      }
    }
  });
}

async function until(check, timeout) {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error("the server did not start");
    await sleep(20);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values) {
  return values[Math.floor(values.length / 2)] ?? NaN;
}
