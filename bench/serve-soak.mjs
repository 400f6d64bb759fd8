#!/usr/bin/env node
// Soak test of `quorum serve`: load while editing, rapid file churn, and memory over
// many rebuilds. Run by bench/serve-soak.sh (which installs wrk and builds); takes a
// few minutes. Prints one `RESULT` line per check and exits non-zero if one fails.
//
// 1. wrk, 50 connections for 30 s on stable URLs while a file is edited every 100 ms:
//    no crash, no socket error, no answer other than 2xx/3xx; after the edits settle
//    the last edit shows and stays.
// 2. 1,000 rapid saves, deletes and folder renames: the server answers throughout, and
//    once settled every served file equals a full `quorum build`.
// 3. 1,000 rebuilds, one at a time: the resident memory (VmRSS) is sampled on the way.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const binary = path.resolve(repo, process.env.QUORUM_BIN ?? "target/release/quorum");
const seconds = Number(process.env.SOAK_SECONDS ?? 30);
const churn = Number(process.env.SOAK_CHURN ?? 1000);
const rebuilds = Number(process.env.SOAK_REBUILDS ?? 1000);
const today = "2026-11-22";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-soak-"));
const site = path.join(dir, "site");
for (const part of ["quorum.toml", "content", "static"]) {
  fs.cpSync(path.join(repo, part), path.join(site, part), { recursive: true });
}
let failed = false;
const result = (name, ok, detail) => {
  console.log(`RESULT ${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
  failed ||= !ok;
};

const server = spawn(binary, ["serve", "--root", site, "--port", "0"], {
  stdio: ["ignore", "pipe", "pipe"],
  env: { ...process.env, QUORUM_TODAY: today },
});
let log = "";
server.stdout.on("data", (d) => (log += d));
server.stderr.on("data", (d) => (log += d));
let exited = null;
server.on("exit", (code, signal) => (exited = `${code ?? signal}`));
const origin = await until(30, () => log.match(/ at (http:\/\/[^\s]+?)\/?\n/)?.[1]);
const { hostname, port } = new URL(origin);

try {
  await loadWhileEditing();
  await rapidChurn();
  await memoryOverRebuilds();
} finally {
  server.kill();
  result("server stayed up", exited === null, exited === null ? "no crash" : `exited ${exited}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function loadWhileEditing() {
  const news = path.join(site, "content/news/2025-02-20-twee-nieuwe-leden.md");
  const original = fs.readFileSync(news, "utf8");
  const script = path.join(dir, "paths.lua");
  fs.writeFileSync(
    script,
    `local paths = {"/", "/nieuws/", "/verslagen/", "/adviezen/", "/vergaderingen/",
  "/style.css", "/feed.xml", "/agenda.ics", "/api/index.json", "/sitemap.xml"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[i % #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("STATS requests=%d seconds=%.1f bad_status=%d connect=%d read=%d write=%d timeout=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\\n",
    summary.requests, summary.duration / 1e6, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
`,
  );
  let edits = 0;
  const editor = setInterval(() => {
    edits += 1;
    fs.writeFileSync(news, original.replace("Twee nieuwe leden", `Twee nieuwe leden (${edits})`));
  }, 100);
  const wrk = spawn("wrk", ["-t2", "-c50", `-d${seconds}s`, "-s", script, origin], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  wrk.stdout.on("data", (d) => (out += d));
  await new Promise((resolve) => wrk.on("exit", resolve));
  clearInterval(editor);
  const stats = Object.fromEntries(
    [...(out.match(/STATS (.*)/)?.[1] ?? "").matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]),
  );
  const errors = stats.bad_status + stats.connect + stats.read + stats.write + stats.timeout;
  result(
    "wrk while editing",
    stats.requests > 0 && errors === 0,
    `${stats.requests} requests in ${stats.seconds} s (${Math.round(stats.requests / stats.seconds)}/s), ` +
      `${edits} edits, ${stats.bad_status} non-2xx/3xx, socket errors ${stats.connect}/${stats.read}/${stats.write}/${stats.timeout} ` +
      `(connect/read/write/timeout), latency p50 ${stats.p50_ms} ms, p99 ${stats.p99_ms} ms, max ${stats.max_ms} ms`,
  );
  fs.writeFileSync(news, original.replace("Twee nieuwe leden", "Twee nieuwe leden (laatste)"));
  const shown = await until(30, async () => (await get("/nieuws/2025-02-20-twee-nieuwe-leden/")).body.includes("(laatste)"));
  let stale = 0;
  for (let n = 0; n < 50; n += 1) {
    if (!(await get("/nieuws/2025-02-20-twee-nieuwe-leden/")).body.includes("(laatste)")) stale += 1;
  }
  result("no stale page after the edits settle", shown && stale === 0, `last edit shown, ${stale} stale of 50 requests`);
}

async function rapidChurn() {
  const news = path.join(site, "content/news");
  const report = path.join(site, "content/annual-reports");
  let unanswered = 0;
  let folder = "2025";
  const started = Date.now();
  for (let n = 0; n < churn; n += 1) {
    switch (n % 4) {
      case 0:
        fs.writeFileSync(path.join(news, `2026-12-01-soak-${n}.md`), `+++\ntitle = "Soak ${n}"\ndate = 2026-12-01\n+++\nTekst ${n}.\n`);
        break;
      case 1:
        fs.rmSync(path.join(news, `2026-12-01-soak-${n - 1}.md`), { force: true });
        break;
      case 2: {
        const next = folder === "2025" ? "2025-hernoemd" : "2025";
        fs.renameSync(path.join(report, folder), path.join(report, next));
        folder = next;
        break;
      }
      default:
        fs.writeFileSync(path.join(news, "2026-12-02-blijft.md"), `+++\ntitle = "Blijft ${n}"\ndate = 2026-12-02\n+++\nVersie ${n}.\n`);
    }
    if (n % 50 === 0 && (await get("/")).status !== 200) unanswered += 1;
  }
  // The example site links to the 2025 report: it must end under its own name.
  if (folder !== "2025") fs.renameSync(path.join(report, folder), path.join(report, "2025"));
  const elapsed = (Date.now() - started) / 1000;
  result("serving during churn", unanswered === 0, `${churn} saves/deletes/renames in ${elapsed.toFixed(1)} s, ${unanswered} failed checks of ${Math.ceil(churn / 50)}`);

  const built = path.join(dir, "built");
  const build = spawnSync(binary, ["build", "--root", site, "--output", built, "--base-url", origin], {
    env: { ...process.env, QUORUM_TODAY: today },
  });
  if (build.status !== 0) {
    result("final output equals a full build", false, `quorum build failed: ${build.stderr}`);
    return;
  }
  const files = walk(built);
  let differing = [];
  const equal = await until(60, async () => {
    differing = [];
    for (const file of files) {
      const relative = path.relative(built, file).split(path.sep).join("/");
      const reply = await get(`/${encodeURI(relative)}`);
      const expected = fs.readFileSync(file);
      if (reply.status !== 200 || !withoutScript(reply.raw).equals(expected)) differing.push(relative);
    }
    return differing.length === 0;
  });
  result("final output equals a full build", equal, `${files.length} files compared, ${differing.length} differ ${differing.slice(0, 3).join(" ")}`);
}

async function memoryOverRebuilds() {
  const page = path.join(site, "content/pages/over-ons.md");
  const original = fs.readFileSync(page, "utf8");
  const samples = [];
  const rss = () => Number(fs.readFileSync(`/proc/${server.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]);
  const started = Date.now();
  for (let n = 1; n <= rebuilds; n += 1) {
    const marker = `Rebuild ${n} klaar.`;
    fs.writeFileSync(page, `${original}\n${marker}\n`);
    const shown = await until(30, async () => (await get("/over-ons/")).body.includes(marker));
    if (!shown) {
      result("memory over rebuilds", false, `rebuild ${n} never showed`);
      return;
    }
    if (n === 1 || n % 100 === 0) samples.push([n, rss()]);
  }
  const seconds = (Date.now() - started) / 1000;
  const [first, tenth, last] = [samples[0][1], samples[Math.min(1, samples.length - 1)][1], samples.at(-1)[1]];
  const text = samples.map(([n, kb]) => `${n}: ${(kb / 1024).toFixed(1)} MB`).join(", ");
  // Bounded: after the first hundred rebuilds warm the allocator, the rest may not keep growing.
  result(
    "memory over rebuilds",
    last <= tenth * 1.25 + 8192,
    `${rebuilds} rebuilds in ${seconds.toFixed(0)} s; VmRSS ${text}; growth after rebuild 100: ${((last - tenth) / 1024).toFixed(1)} MB, after rebuild 1: ${((last - first) / 1024).toFixed(1)} MB`,
  );
}

function get(target) {
  return new Promise((resolve) => {
    const request = http.get({ hostname, port, path: target, agent: false }, (response) => {
      const chunks = [];
      response.on("data", (c) => chunks.push(c));
      response.on("end", () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: response.statusCode, raw, body: raw.toString("utf8") });
      });
    });
    request.on("error", () => resolve({ status: 0, raw: Buffer.alloc(0), body: "" }));
  });
}

async function until(seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

function walk(folder) {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

// The served page without the reload script that `serve` adds before </body>.
function withoutScript(raw) {
  const text = raw.toString("latin1");
  const start = text.indexOf("<script>\n(() => {\n  const page = {");
  if (start < 0) return raw;
  const end = text.indexOf("</script>\n", start) + "</script>\n".length;
  return Buffer.concat([raw.subarray(0, start), raw.subarray(end)]);
}
