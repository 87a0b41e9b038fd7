// axe-core finds no violations on any page kind, at a phone and a desktop
// width, in light mode, and on the article page in dark mode too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { BASE, FLAGSHIP, PAGES, WIDTHS, launch } from "./helpers.js";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function violations(path, viewport, colorScheme = "light") {
  // The site's CSP (script-src 'self') would refuse the injected checker.
  const context = await browser.newContext({ viewport, colorScheme, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(BASE + path, { waitUntil: "load" });
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  await context.close();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

for (const [width, viewport] of Object.entries(WIDTHS)) {
  for (const [name, path] of PAGES) {
    test(`axe: ${name} at ${width} width`, async () => {
      assert.deepEqual(await violations(path, viewport), []);
    });
  }
}

test("axe: article in dark mode", async () => {
  assert.deepEqual(await violations(FLAGSHIP, WIDTHS.phone, "dark"), []);
});
