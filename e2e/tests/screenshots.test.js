// Screenshots that guard the design: every page kind at a phone and a
// desktop width, light and dark, compared with the baselines committed in
// e2e/baselines/. A page that changed fails until the baselines are made
// again on purpose (`UPDATE_BASELINES=1 scripts/e2e`, then look at them).
//
// Two records per page: the first screen as pixels (what a reader sees
// first, compared with a small tolerance), and the boxes of the page's main
// elements over its whole length (a layout change further down fails too).
// Whole-page pixels would make the baselines about 17 MB; these are a few.
//
// The server under test runs with a fixed clock and a database nobody else
// writes to (GAZETTE_SCREENSHOT_URL), so the same code draws the same pixels.
// Baselines record the browser's major version: under another version, fonts
// and anti-aliasing differ, so the element boxes are compared instead of the
// pixels, and the test says so.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { PAGES, WIDTHS, launch } from "./helpers.js";

const BASE = process.env.GAZETTE_SCREENSHOT_URL;
const UPDATE = process.env.UPDATE_BASELINES === "1" && process.env.CI !== "true";
const DIR = fileURLToPath(new URL("../baselines/", import.meta.url));
const OUT = fileURLToPath(new URL("../out/", import.meta.url));
const META = DIR + "meta.json";
// Pixels that may differ (beyond pixelmatch's colour threshold, anti-aliasing
// aside) before a page counts as changed: the same browser draws the same
// page identically, and one changed digit of a date is about 30 pixels.
const PIXEL_TOLERANCE = 10;
// Element boxes may move this many CSS pixels: rounding under the baselines'
// browser, more under another version (its fonts and layout differ slightly).
const BOX_TOLERANCE = { same: 1, other: 4 };

let browser;
let major;
let baselineMajor;

before(async () => {
  assert.ok(BASE, "GAZETTE_SCREENSHOT_URL names the server with the fixed clock (scripts/e2e starts it)");
  browser = await launch();
  major = browser.version().split(".")[0];
  mkdirSync(OUT, { recursive: true });
  if (UPDATE) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(META, JSON.stringify({ browser: major }, null, 2) + "\n");
  }
  baselineMajor = existsSync(META) ? JSON.parse(readFileSync(META, "utf8")).browser : undefined;
});
after(async () => {
  await browser?.close();
});

/** The page as readers see it, complete: every image loaded, fonts ready, nothing moving. */
async function capture(path, viewport, colorScheme) {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: "reduce", deviceScaleFactor: 1 });
  // A read beacon would change the counts on the ranking pages shot later.
  await context.route("**/api/articles/*/view", (route) => route.abort());
  const page = await context.newPage();
  await page.goto(BASE + path, { waitUntil: "load" });
  await page.evaluate(async () => {
    for (const img of document.images) img.loading = "eager";
    await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)));
    await document.fonts.ready;
    // Pictures as flat boxes: their place and size are the design; their
    // pixels (the demo's drawings) would make the baselines many times larger.
    for (const img of document.images) img.style.filter = "contrast(0)";
  });
  const png = await page.screenshot({ animations: "disabled", caret: "hide" });
  const boxes = await page.evaluate(() =>
    [...document.querySelectorAll("header, nav, main, aside, footer, h1, h2, figure, form, article, section, img")]
      .map((el) => {
        const r = el.getBoundingClientRect();
        const name = el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
        return [name, Math.round(r.x), Math.round(r.y + window.scrollY), Math.round(r.width), Math.round(r.height)];
      })
      .filter(([, , , w, h]) => w > 0 && h > 0),
  );
  await context.close();
  return { png, boxes };
}

function comparePixels(name, actual, expected) {
  const a = PNG.sync.read(actual);
  const e = PNG.sync.read(expected);
  if (a.width !== e.width || a.height !== e.height) {
    writeFileSync(`${OUT}${name}.actual.png`, actual);
    return `size ${a.width}x${a.height}, baseline ${e.width}x${e.height} (see e2e/out/${name}.actual.png)`;
  }
  const diff = new PNG({ width: a.width, height: a.height });
  const changed = pixelmatch(a.data, e.data, diff.data, a.width, a.height, { threshold: 0.1 });
  if (changed > PIXEL_TOLERANCE) {
    writeFileSync(`${OUT}${name}.actual.png`, actual);
    writeFileSync(`${OUT}${name}.diff.png`, PNG.sync.write(diff));
    return `${changed} pixels differ (see e2e/out/${name}.diff.png)`;
  }
  return null;
}

function compareBoxes(actual, expected, tolerance) {
  if (actual.length !== expected.length) return `${actual.length} element boxes, baseline ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const [name, ...box] = actual[i];
    const [baseName, ...baseBox] = expected[i];
    if (name !== baseName) return `element ${i} is ${name}, baseline ${baseName}`;
    if (box.some((v, k) => Math.abs(v - baseBox[k]) > tolerance)) {
      return `${name} at ${box.join(",")}, baseline ${baseBox.join(",")} (x, y, width, height)`;
    }
  }
  return null;
}

for (const [width, viewport] of Object.entries(WIDTHS)) {
  for (const scheme of ["light", "dark"]) {
    for (const [kind, path] of PAGES) {
      const name = `${kind}-${width}-${scheme}`;
      test(`screenshot: ${name}`, async (t) => {
        const { png, boxes } = await capture(path, viewport, scheme);
        writeFileSync(`${OUT}${name}.png`, png);
        if (UPDATE) {
          writeFileSync(`${DIR}${name}.png`, png);
          writeFileSync(`${DIR}${name}.json`, JSON.stringify(boxes) + "\n");
          return;
        }
        assert.ok(existsSync(`${DIR}${name}.png`), `no baseline for ${name}: make them with UPDATE_BASELINES=1 scripts/e2e`);
        const baselineBoxes = JSON.parse(readFileSync(`${DIR}${name}.json`, "utf8"));
        const same = baselineMajor === major;
        let problem = compareBoxes(boxes, baselineBoxes, same ? BOX_TOLERANCE.same : BOX_TOLERANCE.other);
        if (same) {
          problem ??= comparePixels(name, png, readFileSync(`${DIR}${name}.png`));
        } else {
          t.diagnostic(`Chromium ${major}, baselines from ${baselineMajor}: comparing element boxes only, not pixels`);
        }
        assert.equal(problem, null, `${name} changed: ${problem}; if that is intended, UPDATE_BASELINES=1 scripts/e2e`);
      });
    }
  }
}
