#!/usr/bin/env node
// From saving a file to the changed page being served: `quorum serve` and `hugo server`
// side by side on the benchmark's site of N items (made by bench/run.sh N).
//
// Each server is started on the site, one news item's page is fetched, and then the item
// is saved EDITS times with a new last paragraph; after each save the page is fetched
// every 5 ms until it shows the paragraph. Hugo keeps its default "fast render mode",
// which renders again only the pages a browser has asked for, as this one. A person
// runs this; it is not a test.
//
//   bench/run.sh 10000                     # once: makes the sites
//   node bench/reload.mjs [N=10000] [EDITS=10]
//   HUGO=0 node bench/reload.mjs 10000     # quorum only

import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const quorum = path.resolve(repo, process.env.QUORUM ?? "target/release/quorum");
const items = Number(process.argv[2] ?? 10000);
const edits = Number(process.argv[3] ?? 10);
const sites = path.join(process.env.BENCH_DIR ?? "/tmp/quorum-bench", String(items));
const withHugo = process.env.HUGO !== "0";

for (const needed of [path.join(sites, "quorum"), ...(withHugo ? [path.join(sites, "hugo")] : [])]) {
  if (!fs.existsSync(needed)) {
    console.error(`no site at ${needed}: run bench/run.sh ${items} first`);
    process.exit(2);
  }
}

// The same item in both sites: the newest news item, as an edit most often is.
const news = fs.readdirSync(path.join(sites, "quorum/content/news")).filter((n) => n.endsWith(".md"));
const name = news.sort().at(-1);
const slug = name.replace(/\.md$/, "");

const generators = [
  {
    label: "quorum serve",
    file: path.join(sites, "quorum/content/news", name),
    page: `/nieuws/${slug}/`,
    start: (port) =>
      spawn(quorum, ["serve", "--root", path.join(sites, "quorum"), "--port", String(port)], {
        env: { ...process.env, QUORUM_TODAY: "2026-01-01" },
      }),
  },
];
if (withHugo) {
  generators.push({
    label: "hugo server",
    file: path.join(sites, "hugo/content/news", name),
    page: `/news/${slug}/`,
    start: (port) =>
      spawn(process.env.HUGO_BIN ?? "hugo", [
        "server",
        "--source",
        path.join(sites, "hugo"),
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--baseURL",
        `http://127.0.0.1:${port}/`,
        "--appendPort=false",
        "--quiet",
      ]),
  });
}

const rows = [];
for (const generator of generators) {
  rows.push(await measure(generator));
}
console.log(`\n${items} items, ${edits} saves of the newest news item; save → page served with the edit (ms)`);
console.log(`${"server".padEnd(14)} ${"start".padStart(9)} ${"median".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)}`);
for (const row of rows) {
  const cells = [row.start, row.median, row.min, row.max].map((x) => x.toFixed(0).padStart(8));
  console.log(`${row.label.padEnd(14)} ${cells[0]} ${cells.slice(1).join(" ")}`);
}
if (rows.length === 2) {
  console.log(`ratio hugo / quorum (median): ${(rows[1].median / rows[0].median).toFixed(1)}×`);
}

async function measure({ label, file, page, start }) {
  const original = fs.readFileSync(file, "utf8");
  const restore = () => fs.writeFileSync(file, original);
  const port = await freePort();
  const started = performance.now();
  const server = start(port);
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const stop = () => server.kill();
  process.on("exit", () => {
    stop();
    restore();
  });
  try {
    const url = `http://127.0.0.1:${port}${page}`;
    await until(async () => (await get(url))?.status === 200, 600_000, () => output);
    const startup = performance.now() - started;
    const latencies = [];
    for (let i = 1; i <= edits; i++) {
      const marker = `Meetpunt ${i} van de herlaadtest.`;
      const saved = performance.now();
      fs.writeFileSync(file, `${original.trimEnd()}\n\n${marker}\n`);
      await until(async () => (await get(url))?.body.includes(marker), 60_000, () => output);
      latencies.push(performance.now() - saved);
      await sleep(300);
    }
    latencies.sort((a, b) => a - b);
    console.log(`${label}: ${latencies.map((x) => x.toFixed(0)).join(" ")} ms`);
    return {
      label,
      start: startup,
      median: latencies[Math.floor(latencies.length / 2)],
      min: latencies[0],
      max: latencies.at(-1),
    };
  } finally {
    restore();
    stop();
    await new Promise((resolve) => (server.exitCode === null ? server.on("exit", resolve) : resolve()));
  }
}

function get(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, body }));
    });
    request.on("error", () => resolve(null));
  });
}

async function until(check, timeout, log) {
  const deadline = performance.now() + timeout;
  while (!(await check())) {
    if (performance.now() > deadline) {
      throw new Error(`timed out; server output:\n${log()}`);
    }
    await sleep(5);
  }
}

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
