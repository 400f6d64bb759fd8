// The example site built twice (Dutch and English) and served from a tiny static
// server on 127.0.0.1, for the accessibility and HTML checks.
//
// Needs a built binary (QUORUM_BIN, default target/debug/quorum).

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = path.resolve(repo, process.env.QUORUM_BIN ?? "target/debug/quorum");

/** Chromium as Debian installs it, with no network chatter of its own. */
export const chromiumOptions = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

/**
 * One page of every kind, as [kind, Dutch path, English path]. The English site has the
 * same content under English URL words.
 */
export const pageKinds = [
  ["home", "/", "/"],
  ["minutes list", "/verslagen/", "/minutes/"],
  ["news list", "/nieuws/", "/news/"],
  ["annual reports list", "/jaarverslagen/", "/annual-reports/"],
  ["advice register", "/adviezen/", "/advice/"],
  ["advice by status", "/adviezen/status/te-laat/", "/advice/status/overdue/"],
  ["advice by year", "/adviezen/jaar/2025/", "/advice/year/2025/"],
  ["advice by policy area", "/adviezen/beleidsterreinen/wmo/", "/advice/policy-areas/wmo/"],
  ["action list", "/actielijst/", "/actions/"],
  ["meetings", "/vergaderingen/", "/meetings/"],
  ["minutes with actions and footnotes", "/verslagen/2025-03-11/", "/minutes/2025-03-11/"],
  ["minutes with tables", "/verslagen/2025-01-14/", "/minutes/2025-01-14/"],
  ["upcoming meeting", "/vergaderingen/2026-12-08/", "/meetings/2026-12-08/"],
  ["past meeting", "/vergaderingen/2025-03-11/", "/meetings/2025-03-11/"],
  ["advice", "/adviezen/2025-armoedebeleid/", "/advice/2025-armoedebeleid/"],
  ["news item", "/nieuws/2025-02-20-twee-nieuwe-leden/", "/news/2025-02-20-twee-nieuwe-leden/"],
  ["annual report", "/jaarverslagen/2025/", "/annual-reports/2025/"],
  ["page", "/toegankelijkheidsverklaring/", "/toegankelijkheidsverklaring/"],
  ["page with a table", "/leden/", "/leden/"],
  ["years", "/jaar/", "/year/"],
  ["year", "/jaar/2025/", "/year/2025/"],
  ["topics", "/onderwerpen/", "/topics/"],
  ["topic", "/onderwerpen/mantelzorg/", "/topics/mantelzorg/"],
  ["policy areas", "/beleidsterreinen/", "/policy-areas/"],
  ["policy area", "/beleidsterreinen/wmo/", "/policy-areas/wmo/"],
  ["policy area, page 2", "/beleidsterreinen/wmo/pagina/2/", "/policy-areas/wmo/page/2/"],
  ["search", "/zoeken/?q=vergaderingen", "/search/?q=meetings"],
  ["not found", "/404.html", "/404.html"],
  ["redirect", "/oude-site/verslag-14-01-2025.html", "/oude-site/verslag-14-01-2025.html"],
];

/** Builds the example site in Dutch and in English into a new temporary folder. */
export function buildSites() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quorum-a11y-"));
  const english = path.join(dir, "en-site");
  fs.mkdirSync(english);
  fs.copyFileSync(path.join(repo, "quorum.toml"), path.join(english, "quorum.toml"));
  for (const folder of ["content", "static"]) {
    fs.cpSync(path.join(repo, folder), path.join(english, folder), { recursive: true });
  }
  const config = path.join(english, "quorum.toml");
  const toml = fs.readFileSync(config, "utf8").replace(/^language = "nl"$/m, 'language = "en"');
  fs.writeFileSync(config, toml);

  const nl = path.join(dir, "nl");
  const en = path.join(dir, "en");
  build(repo, nl);
  build(english, en);
  return { dir, nl, en };
}

function build(root, output) {
  execFileSync(binary, ["build", "--root", root, "--output", output], {
    env: { ...process.env, QUORUM_TODAY: "2026-11-22" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".json": "application/json",
  ".ics": "text/calendar",
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

/** Serves `root` as a static host does (`/x/` is `/x/index.html`, else 404.html). */
export async function serveStatic(root) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) file = path.join(root, "404.html");
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    let status = 200;
    if (!fs.existsSync(file)) {
      status = 404;
      file = path.join(root, "404.html");
    }
    const type = types[path.extname(file)] ?? "application/octet-stream";
    response.writeHead(status, { "content-type": type });
    response.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
