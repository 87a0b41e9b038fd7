// Chinese line breaking as the browser lays the pages out (clreq): no line
// of body text starts with closing punctuation or ends with opening
// punctuation, and a breadcrumb never leaves the page's own crumb alone on
// a line. Measured from the laid-out text, character by character.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, FLAGSHIP, WIDTHS, launch } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const TEXT_PAGES = [FLAGSHIP, "/", "/news/china/", "/ranking/"];

/** Lines of every paragraph, list item and heading that break wrongly. */
function badBreaks() {
  const CLOSING = "，。、；：？！）》」』”’〉】〕…";
  const OPENING = "（《「『“‘〈【〔";
  const problems = [];
  const range = document.createRange();
  for (const block of document.querySelectorAll("main p, main li, main h1, main h2, main h3, main figcaption")) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let lastTop = null;
    let previous = "";
    let seen = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const ch = node.data[i];
        if (/\s/.test(ch)) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (lastTop !== null && rect.top > lastTop + rect.height / 2) {
          if (CLOSING.includes(ch)) problems.push(`line starts with ${ch}: …${seen.slice(-12)}|${ch}`);
          if (OPENING.includes(previous)) problems.push(`line ends with ${previous}: …${seen.slice(-12)}|`);
        }
        lastTop = rect.top;
        previous = ch;
        seen += ch;
      }
    }
  }
  return problems;
}

for (const [width, viewport] of Object.entries(WIDTHS)) {
  for (const path of TEXT_PAGES) {
    test(`no line starts with closing or ends with opening punctuation: ${path} at ${width} width`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(BASE + path);
      await page.evaluate(() => document.fonts.ready);
      assert.deepEqual(await page.evaluate(badBreaks), []);
      await context.close();
    });
  }
}

for (const path of [FLAGSHIP, "/en/digital/governance/62-a-shared-safe-open-internet.html"]) test(`the breadcrumb keeps the page's own crumb with the one before it, at every phone width: ${path}`, async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone });
  const page = await context.newPage();
  await page.goto(BASE + path);
  let wrapped = 0;
  for (let width = 200; width <= 400; width += 10) {
    await page.setViewportSize({ width, height: 800 });
    const { tops, fits } = await page.$eval(".breadcrumb ol", (ol) => {
      const items = [...ol.children];
      const [before, last] = items.slice(-2).map((li) => li.getBoundingClientRect().width);
      return {
        tops: items.map((li) => Math.round(li.getClientRects()[0].top)),
        // Only where the last two crumbs fit on one line can they be kept together.
        fits: before + last <= ol.clientWidth,
      };
    });
    if (!fits) continue;
    const last = tops.length - 1;
    assert.equal(tops[last], tops[last - 1], `at ${width} px the last crumb is alone on its line (${tops})`);
    if (tops[0] !== tops[last]) wrapped++;
  }
  assert.ok(wrapped > 0, "at some of these widths the breadcrumb wraps, so the rule was exercised");
  await context.close();
});
