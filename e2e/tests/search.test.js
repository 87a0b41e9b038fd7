// Readers' search in the browser, without JavaScript: the header's form
// on a phone, the results page, its filters and its next page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, PHOTO_ARTICLE, WIDTHS, launch } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("the header's search form works without JavaScript, on a phone", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + "/");
  const box = page.locator("header form[role=search] input[name=q]");
  assert.ok(await box.isVisible(), "the search box is on the phone's first screen");
  await box.fill("航天员");
  await Promise.all([page.waitForURL(/\/search\?q=/), box.press("Enter")]);
  assert.equal(new URL(page.url()).searchParams.get("q"), "航天员");
  const first = page.locator("ol.search-results h2 a").first();
  assert.equal(await first.getAttribute("href"), PHOTO_ARTICLE);
  assert.match(await page.locator("ol.search-results mark").first().innerText(), /航天员/);
  // Filters: a language and a date range, sent by the form itself.
  await page.locator(".search-filters summary").click();
  await page.selectOption("#search-lang", "en");
  await Promise.all([page.waitForURL(/lang=en/), page.click(".search-page-form .button")]);
  assert.equal(await page.locator("ol.search-results li").count(), 0, "no English article says 航天员");
  assert.match(await page.locator(".search-count").innerText(), /没有找到/);
  await context.close();
});

test("a common word pages on through 'more results' without repeating", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.desktop, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + "/search?q=%E7%9A%84");
  const seen = new Set();
  for (let pages = 0; pages < 4; pages++) {
    for (const href of await page.locator("ol.search-results h2 a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      assert.ok(!seen.has(href), `${href} once`);
      seen.add(href);
    }
    const more = page.locator("nav.pager a[rel=next]");
    if ((await more.count()) === 0) break;
    await Promise.all([page.waitForURL(/after=/), more.click()]);
  }
  assert.ok(seen.size > 10, `${seen.size} results over the pages`);
  await context.close();
});
