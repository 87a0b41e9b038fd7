// No page loads anything from a host other than the site's own origin:
// every request the browser makes (documents, scripts, styles, images,
// fonts, fetches) is recorded while the page loads and is scrolled through.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, PAGES, WIDTHS, launch } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const origin = new URL(BASE).origin;

for (const userAgent of [undefined, "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 MicroMessenger/8.0.47"]) {
  test(`every request stays on ${origin}${userAgent ? " (WeChat)" : ""}`, async () => {
    const context = await browser.newContext({ viewport: WIDTHS.phone, userAgent });
    const page = await context.newPage();
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    for (const [, path] of PAGES) {
      await page.goto(BASE + path, { waitUntil: "load" });
      // Scroll through the page so that lazy images load too.
      await page.evaluate(async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 600) {
          window.scrollTo(0, y);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      await page.waitForLoadState("networkidle");
    }
    await context.close();
    const foreign = requests.filter((url) => !url.startsWith("data:") && new URL(url).origin !== origin);
    assert.ok(requests.length > PAGES.length * 3, `recorded ${requests.length} requests`);
    assert.deepEqual(foreign, []);
  });
}

// Nothing a page asks for fails: no favicon 404 in the console on every
// page view, no missing asset.
test("every subresource a page asks for answers 200, the favicon included", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.desktop });
  const page = await context.newPage();
  const failed = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "document" && response.status() >= 400) {
      failed.push(`${response.status()} ${response.url()}`);
    }
  });
  for (const [, path] of PAGES) {
    await page.goto(BASE + path, { waitUntil: "load" });
    await page.waitForLoadState("networkidle");
  }
  await context.close();
  assert.deepEqual(failed, []);
  const favicon = await fetch(`${BASE}/favicon.ico`);
  assert.equal(favicon.status, 200);
  assert.equal(favicon.headers.get("content-type"), "image/x-icon");
});
