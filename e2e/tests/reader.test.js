// The reader's script: share panel (Web Share API, WeChat overlay), the
// now-reading bar, the read-the-rest fold; and the same page without
// JavaScript, where everything is still there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { BASE, FLAGSHIP, PAGES, WIDTHS, launch } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("share uses the Web Share API with the canonical link", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.desktop });
  await context.addInitScript(() => {
    window.__shared = [];
    navigator.share = (data) => {
      window.__shared.push(data);
      return Promise.resolve();
    };
  });
  const page = await context.newPage();
  await page.goto(BASE + FLAGSHIP);
  const button = page.locator("[data-share]");
  assert.ok(await button.isVisible(), "the script reveals the share button");
  await button.click();
  const shared = await page.evaluate(() => window.__shared);
  assert.equal(shared.length, 1);
  assert.equal(new URL(shared[0].url).pathname, FLAGSHIP);
  assert.equal(shared[0].title, "让网络空间更普惠、更安全、更开放");
  await context.close();
});

test("inside WeChat, share points at the top-right menu", async () => {
  const context = await browser.newContext({
    viewport: WIDTHS.phone,
    userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.47",
  });
  const page = await context.newPage();
  await page.goto(BASE + FLAGSHIP);
  const tip = page.locator(".wechat-tip");
  assert.equal(await tip.isVisible(), false);
  await page.locator("[data-share]").click();
  assert.ok(await tip.isVisible());
  assert.match(await tip.innerText(), /右上角/);
  await tip.click();
  assert.equal(await tip.isVisible(), false);
  await context.close();
});

test("the now-reading bar appears once the headline scrolls away", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone });
  const page = await context.newPage();
  await page.goto(BASE + FLAGSHIP);
  const bar = page.locator(".now-reading");
  assert.equal(await bar.isVisible(), false);
  await page.evaluate(() => window.scrollTo(0, 1500));
  await bar.waitFor({ state: "visible" });
  assert.match(await bar.innerText(), /正在阅读/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await bar.waitFor({ state: "hidden" });
  await context.close();
});

test("long articles fold on phones and unfold on request; never on desktops", async () => {
  const phone = await browser.newContext({ viewport: WIDTHS.phone });
  const page = await phone.newPage();
  await page.goto(BASE + FLAGSHIP);
  const button = page.getByRole("button", { name: "阅读剩余全文" });
  assert.ok(await button.isVisible());
  assert.equal(await page.locator("#article-body.folded").count(), 1);
  await button.click();
  assert.equal(await page.locator("#article-body.folded").count(), 0);
  assert.equal(await button.count(), 0);
  await phone.close();

  const desktop = await browser.newContext({ viewport: WIDTHS.desktop });
  const wide = await desktop.newPage();
  await wide.goto(BASE + FLAGSHIP);
  assert.equal(await wide.locator("#article-body.folded").count(), 0);
  await desktop.close();
});

test("without JavaScript the whole article, the share link and paging still work", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + FLAGSHIP);
  assert.equal(await page.locator("#article-body.folded").count(), 0);
  const last = page.locator("#article-body p").last();
  assert.match(await last.innerText(), /东湖大学法学院教授/);
  assert.ok(await last.isVisible());
  assert.match(await page.locator("#share-url").inputValue(), /1-shared-safe-open-cyberspace\.html$/);
  assert.equal(await page.locator("[data-share]").isVisible(), false);
  await page.locator(".stream a[rel=next]").click();
  await page.waitForURL(/\/stream\/\?after=/);
  assert.ok((await page.locator(".photo").count()) > 0);
  await context.close();
});

test("screenshots of every page kind at both widths (for people to look at)", async () => {
  const out = new URL("../out/", import.meta.url).pathname;
  mkdirSync(out, { recursive: true });
  for (const [width, viewport] of Object.entries(WIDTHS)) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    for (const [name, path] of PAGES) {
      await page.goto(BASE + path, { waitUntil: "networkidle" });
      await page.screenshot({ path: `${out}${name}-${width}.png`, fullPage: true });
    }
    await context.close();
  }
});

test("the script refreshes mood counts from the API", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.desktop });
  const page = await context.newPage();
  let asked = false;
  await page.route("**/api/articles/1/moods", async (route) => {
    asked = true;
    await route.fulfill({ json: { article: 1, moods: { happy: 4242, sad: 1, like: 2, meh: 3 } } });
  });
  await page.goto(BASE + FLAGSHIP);
  await page.locator("[data-mood=happy] .count").filter({ hasText: "4242" }).waitFor();
  assert.ok(asked);
  await context.close();
});

test("load more appends the next items in place, without duplicates, to the end", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.desktop });
  const page = await context.newPage();
  await page.goto(BASE + "/");
  const items = page.locator("#stream-items li.photo");
  const first = await items.count();
  const button = page.locator(".stream a[data-more]");
  while ((await button.count()) > 0) {
    const before = await items.count();
    await button.click();
    await page.waitForFunction((n) => document.querySelectorAll("#stream-items li.photo").length > n, before);
  }
  assert.equal(new URL(page.url()).pathname, "/", "stayed on the page");
  // An item is its story and its photo (one photo may serve two stories).
  const sources = await items.evaluateAll((nodes) =>
    nodes.map((n) => `${n.querySelector("a") ? n.querySelector("a").getAttribute("href") : ""} ${n.querySelector("img").getAttribute("src")}`));
  assert.ok(sources.length > first);
  assert.equal(new Set(sources).size, sources.length, "no item twice");
  await context.close();
});

test("on an article page, load more never brings the article itself", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.desktop });
  const page = await context.newPage();
  const button = page.locator(".stream a[data-more]");
  const items = page.locator("#stream-items li.photo");
  async function loadAll() {
    while ((await button.count()) > 0) {
      const before = await items.count();
      await button.click();
      await page.waitForFunction(
        (n) => document.querySelectorAll("#stream-items li.photo").length > n || !document.querySelector(".stream a[data-more]"),
        before,
      );
    }
    return items.evaluateAll((nodes) => nodes.map((n) => n.querySelector("a").pathname));
  }
  // An article whose picture comes late in the stream, in a loaded fragment.
  await page.goto(BASE + "/");
  const late = (await loadAll()).filter((path) => path.endsWith(".html")).pop();
  await page.goto(BASE + late);
  const targets = await loadAll();
  assert.ok(targets.length > 8, "several pages were loaded");
  assert.ok(!targets.includes(late), `the article being read (${late}) is not offered`);
  await context.close();
});

test("a vote with JavaScript updates the counts in place; a second one does not count", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone });
  const page = await context.newPage();
  await page.goto(BASE + "/digital/ai/7-ai-tools-in-the-newsroom.html");
  const count = page.locator("[data-mood=like] .count");
  await page.waitForLoadState("networkidle");
  const before = Number(await count.innerText());
  await page.locator("button[value=like]").click();
  await count.filter({ hasText: String(before + 1) }).waitFor();
  assert.match(await page.locator(".vote-status").innerText(), /感谢/);
  assert.equal(new URL(page.url()).pathname, "/digital/ai/7-ai-tools-in-the-newsroom.html", "stayed on the page");
  await page.locator("button[value=happy]").click();
  await page.locator(".vote-status").filter({ hasText: "已经" }).waitFor();
  assert.equal(Number(await count.innerText()), before + 1);
  await context.close();
});

test("a vote without JavaScript posts, redirects and shows the fresh counts", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + "/digital/ai/8-machine-translation-bridges.html");
  const before = Number(await page.locator("[data-mood=sad] .count").innerText());
  await page.locator("button[value=sad]").click();
  await page.waitForURL(/\/vote\/8\/\?mood=sad&counted=1$/);
  assert.equal(Number(await page.locator("[data-mood=sad] .count").innerText()), before + 1);
  await page.goBack();
  await page.locator("button[value=sad]").click();
  await page.waitForURL(/counted=0$/);
  assert.match(await page.locator("h1").innerText(), /已经/);
  await context.close();
});

test("a shown article sends one read beacon; without JavaScript nothing is sent", async () => {
  // Headless Chromium calls itself HeadlessChrome, which the server rightly
  // takes for a robot; a reader's browser does not.
  const userAgent = "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
  const context = await browser.newContext({ viewport: WIDTHS.phone, userAgent });
  const page = await context.newPage();
  const beacons = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/view")) beacons.push(request);
  });
  const answered = page.waitForResponse((response) => response.url().endsWith("/api/articles/7/view"));
  await page.goto(BASE + "/digital/ai/7-ai-tools-in-the-newsroom.html");
  const response = await answered;
  assert.equal(response.status(), 204);
  assert.equal(response.request().method(), "POST");
  await page.waitForLoadState("networkidle");
  assert.equal(beacons.length, 1, "one beacon per page view");
  await context.close();

  const noScript = await browser.newContext({ viewport: WIDTHS.phone, userAgent, javaScriptEnabled: false });
  const plain = await noScript.newPage();
  let sent = 0;
  plain.on("request", (request) => {
    if (request.url().endsWith("/view")) sent += 1;
  });
  await plain.goto(BASE + "/digital/ai/7-ai-tools-in-the-newsroom.html");
  await plain.waitForLoadState("networkidle");
  assert.equal(sent, 0, "the page itself counts nothing: it stays a cache hit");
  await noScript.close();
});

test("related reading links lead to other published articles", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.desktop });
  const page = await context.newPage();
  await page.goto(BASE + FLAGSHIP);
  const links = page.locator(".related a");
  assert.ok((await links.count()) >= 5);
  const title = await links.first().innerText();
  await links.first().click();
  await page.waitForLoadState("domcontentloaded");
  assert.notEqual(new URL(page.url()).pathname, FLAGSHIP);
  assert.equal((await page.locator("h1").innerText()).trim(), title.trim());
  await context.close();
});
