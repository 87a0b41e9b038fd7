// Writing in the back office, in a real browser without JavaScript: a new
// draft through the form, a second save, the revisions compared, a save
// that lost a race (409 with both versions), the preview and a preview
// link opened by someone without an account, then revoked. Axe checks the
// writing pages at a phone and a desktop width.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, WIDTHS, launch, signInStaff, staffPageViolations } from "./helpers.js";

const EMAIL = process.env.GAZETTE_E2E_ADMIN;
const PASSWORD = process.env.GAZETTE_E2E_PASSWORD;
let browser;

before(async () => {
  assert.ok(EMAIL && PASSWORD, "scripts/e2e adds the back-office account");
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function signedIn(viewport, options = {}) {
  return signInStaff(browser, viewport, options);
}

function violations(page) {
  return staffPageViolations(page);
}

/** No sideways scrolling; with JavaScript on, no axe violations either. */
async function checked(page, what, axe = false) {
  if (axe) assert.deepEqual(await violations(page), [], what);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow} px`);
}

for (const [width, viewport] of Object.entries(WIDTHS)) {
  test(`writing: draft, revisions, conflict, preview and preview link at ${width} width`, async () => {
    const { context, page } = await signedIn(viewport, { javaScriptEnabled: false });
    const title = `浏览器里写的稿件（${width}）`;
    await page.goto(BASE + "/admin/articles/new");
    await page.fill("#title", title);
    await page.fill("#summary", "第一版摘要。");
    await page.fill("#body", "<p>第一段<span style=\"color:red\">正文</span>。</p><script>alert(1)</script><ul><li>要点一</li><li>要点二</li></ul>");
    await page.fill("#editor-name-1", "浏览器编辑");
    await Promise.all([page.waitForURL(/\/admin\/articles\/\d+\?done=saved/), page.click(".save-bar button")]);
    const id = page.url().match(/articles\/(\d+)/)[1];
    assert.equal(await page.inputValue("#body"), "<p>第一段正文。</p><ul><li>要点一</li><li>要点二</li></ul>", "the server kept structure, dropped the rest");
    await checked(page, "edit form");

    // A second window opens the same draft before the first saves again.
    const other = await context.newPage();
    await other.goto(`${BASE}/admin/articles/${id}`);
    await page.fill("#summary", "第二版摘要。");
    await Promise.all([page.waitForURL(/done=saved/), page.click(".save-bar button")]);
    await other.fill("#summary", "另一个窗口的摘要。");
    const [conflict] = await Promise.all([other.waitForNavigation(), other.click(".save-bar button")]);
    assert.equal(conflict.status(), 409);
    assert.match(await other.locator(".conflict").innerText(), /第二版/);
    assert.equal(await other.inputValue("#summary"), "另一个窗口的摘要。", "nothing typed is lost");
    await checked(other, "conflict page");
    await other.screenshot({ path: `out/writing-conflict-${width}.png`, fullPage: true });

    await page.goto(`${BASE}/admin/articles/${id}/revisions`);
    await checked(page, "revisions");
    await Promise.all([page.waitForURL(/compare\?/), page.click("form[action$='/compare'] button")]);
    assert.equal(await page.locator(".diff ins").first().innerText(), "二");
    const compared = page.url();
    await checked(page, "comparison");
    await page.screenshot({ path: `out/writing-compare-${width}.png`, fullPage: true });

    const preview = await page.goto(`${BASE}/admin/articles/${id}/preview`);
    assert.equal(preview.headers()["cache-control"], "private, no-store");
    assert.equal(await page.locator("h1").innerText(), title);

    await page.goto(`${BASE}/admin/articles/${id}`);
    await page.click("form[action$='/preview-links'] button");
    const link = await page.inputValue("#preview-link");
    const stranger = await browser.newContext({ viewport });
    const outside = await stranger.newPage();
    const shown = await outside.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
    assert.equal(shown.status(), 200);
    assert.equal(shown.headers()["referrer-policy"], "no-referrer");
    assert.equal(await outside.locator("h1").innerText(), title);
    await page.click("form[action$='/preview-links/revoke'] button");
    const gone = await outside.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
    assert.equal(gone.status(), 404);
    await stranger.close();

    // The draft is in the worklist, found by a word of its title.
    await page.goto(`${BASE}/admin/articles?q=${encodeURIComponent("浏览器里写的")}`);
    assert.ok((await page.locator("tbody tr").count()) >= 1);
    assert.equal(await page.locator("tbody tr a").first().innerText(), title);
    await context.close();

    // Axe (injected, so with scripts on) on the same pages and a conflict.
    const { context: axeContext, page: look } = await signedIn(viewport);
    for (const path of [`/admin/articles/${id}`, `/admin/articles/${id}/revisions`, compared.replace(BASE, "")]) {
      await look.goto(BASE + path);
      await checked(look, path, true);
    }
    const second = await axeContext.newPage();
    await second.goto(`${BASE}/admin/articles/${id}`);
    await look.goto(`${BASE}/admin/articles/${id}`);
    await look.fill("#summary", "第三版摘要。");
    await Promise.all([look.waitForURL(/done=saved/), look.click(".save-bar button")]);
    await second.fill("#summary", "又一个窗口。");
    await Promise.all([second.waitForNavigation(), second.click(".save-bar button")]);
    await checked(second, "conflict page", true);
    await axeContext.close();
  });
}

test("writing: with JavaScript, changes are saved on their own as autosave revisions", async () => {
  const { context, page } = await signedIn(WIDTHS.desktop);
  await page.goto(BASE + "/admin/articles/new");
  await page.fill("#title", "自动保存的稿件");
  await Promise.all([page.waitForURL(/\/admin\/articles\/\d+\?done=saved/), page.click(".save-bar button")]);
  const id = page.url().match(/articles\/(\d+)/)[1];
  const before = await page.inputValue("input[name=base]");
  await page.fill("#summary", "没有点保存也留下的摘要。");
  // The script saves every 20 seconds while there are changes.
  await page.waitForFunction(() => document.getElementById("autosave-status").textContent !== "", null, { timeout: 30000 });
  assert.equal(await page.locator("#autosave-status").innerText(), "已自动保存。");
  const after = await page.inputValue("input[name=base]");
  assert.notEqual(after, before, "the next save builds on the autosave");
  await page.goto(`${BASE}/admin/articles/${id}/revisions`);
  assert.match(await page.locator("tbody").innerText(), /自动保存/);
  await page.goto(`${BASE}/admin/articles/${id}`);
  assert.equal(await page.inputValue("#summary"), "没有点保存也留下的摘要。");
  await context.close();
});
