// Valid HTML: the Nu Html Checker (vnu.jar from npm `vnu-jar`, run with the machine's
// java) over every HTML file of the example site, built in Dutch and in English.
//
// Needs java (Debian's default-jre-headless) and a built binary (QUORUM_BIN, default
// target/debug/quorum). Run: tests/browser/run.sh

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { buildSites } from "./sites.mjs";

const vnu = path.join(path.dirname(createRequire(import.meta.url).resolve("vnu-jar/package.json")), "build/dist/vnu.jar");

let sites;

before(() => {
  sites = buildSites();
});

after(() => {
  if (sites) fs.rmSync(sites.dir, { recursive: true, force: true });
});

function htmlFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith(".html"));
}

for (const lang of ["nl", "en"]) {
  test(`the Nu Html Checker finds no errors in the ${lang === "nl" ? "Dutch" : "English"} build`, () => {
    const dir = sites[lang];
    assert.ok(htmlFiles(dir).length > 100, "the whole site was built");
    const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--skip-non-html", "--format", "gnu", dir], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(run.error, undefined, `cannot run java: ${run.error}`);
    const errors = (run.stderr + run.stdout).trim();
    assert.equal(errors, "", `vnu.jar reported:\n${errors.replaceAll(`${dir}/`, "")}`);
    assert.equal(run.status, 0);
  });
}
