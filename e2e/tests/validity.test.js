// Every page kind is valid HTML according to the Nu HTML Checker (vnu.jar,
// run with the system's Java).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { BASE, PAGES } from "./helpers.js";

const require = createRequire(import.meta.url);

test("the Nu HTML Checker finds no errors on any page kind", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gazette-vnu-"));
  for (const [name, path, status] of PAGES) {
    const response = await fetch(BASE + path);
    assert.equal(response.status, status, path);
    writeFileSync(join(dir, `${name}.html`), await response.text());
  }
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  // --stdout: the JSON report goes to standard output; exit code 0 whatever it finds.
  const output = execFileSync("java", ["-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always", "--stdout", dir]);
  const report = JSON.parse(output.toString());
  const errors = report.messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(
    errors.map((m) => `${m.url.split("/").pop()}:${m.lastLine}: ${m.message}`),
    [],
  );
});
