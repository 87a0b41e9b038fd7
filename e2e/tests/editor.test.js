// The article body's rich-text editor in a real browser: it replaces the
// body field, runs under the back office's CSP with no violation, and
// pasting the committed clipboard fixtures (editor/fixtures: Word, WPS and
// a web page, as those programs put HTML on the clipboard) keeps structure
// (headings, paragraphs, lists from Word's mso-list paragraphs, bold,
// italic, links, tables) and drops the rest, with a notice for pictures
// from elsewhere. What the editor writes is exactly what the server keeps.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE, WIDTHS, launch, signInStaff, staffPageViolations } from "./helpers.js";

const fixture = (name) => readFileSync(new URL(`../../editor/fixtures/${name}`, import.meta.url), "utf8");
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Empties the editor and pastes `html` into it as the clipboard would. */
async function paste(page, html) {
  await page.click(".editor-body");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.evaluate((html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "plain text the editor must not use");
    const target = document.querySelector(".editor-body");
    target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
  return bodyField(page);
}

/** The body field, once the editor has brought it up to date (as before an autosave). */
async function bodyField(page) {
  await page.evaluate(() => document.getElementById("article-form").dispatchEvent(new Event("gazette:before-autosave")));
  return page.inputValue("#body");
}

function noDecoration(body, what) {
  for (const bad of ["style=", "class=", "<span", "<font", "mso", "file:", "o:p", "<script", "onclick", "javascript:", "<img", "plain text the editor"]) {
    assert.ok(!body.includes(bad), `${what} keeps ${bad}: ${body}`);
  }
}

test("editor: pasting Word, WPS and web pages keeps structure and nothing else, under the CSP", async () => {
  const { context, page } = await signInStaff(browser, WIDTHS.desktop, { bypassCSP: false });
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.goto(BASE + "/admin/articles/new");
  assert.ok(await page.isVisible(".editor-body[contenteditable=true]"), "the editor is on");
  assert.ok(await page.isHidden("#body"), "the HTML field is hidden behind it");

  const word = await paste(page, fixture("word.html"));
  noDecoration(word, "Word");
  assert.match(word, /<h2>社区食堂开进老旧小区<\/h2>/);
  assert.match(word, /<strong>社区食堂<\/strong>/);
  assert.match(word, /<em>两个<\/em>/);
  assert.match(word, /<ul><li><p>价格：一荤两素十二元<\/p><\/li><li><p>营业时间：上午十一点到晚上七点<\/p><ul><li><p>周末延长一小时<\/p><\/li><\/ul><\/li><li><p>老人可以送餐上门<\/p><\/li><\/ul>/, "mso-list bullets, nested by level");
  assert.match(word, /<ol><li><p>明年春节前开到第三个小区<\/p><\/li><li><p>试点线上预订<\/p><\/li><\/ol>/, "mso-list numbers");
  assert.match(word, /<table><tbody><tr><td><p><strong>小区<\/strong><\/p><\/td>/);
  assert.match(word, /<a href="https:\/\/example.org\/canteens" rel="noopener noreferrer">区政府网站<\/a>/);
  assert.match(await page.locator("#editor-notice").innerText(), /1 张图片/);

  const wps = await paste(page, fixture("wps.html"));
  noDecoration(wps, "WPS");
  assert.match(wps, /<strong>摊位数比去年多了一倍<\/strong>/);
  assert.match(wps, /<ol><li><p>取暖：每排摊位配一台暖风机<\/p><\/li><li><p>安全：消防通道每晚检查两次<\/p><\/li><li><p>收费：摊位费按月减半<\/p><\/li><\/ol>/);
  assert.match(wps, /（摊主名单见附件）/);
  assert.match(await page.locator("#editor-notice").innerText(), /1 张图片/);

  const web = await paste(page, fixture("web.html"));
  noDecoration(web, "web page");
  assert.match(web, /<h2>港口开通夜间通关<\/h2>/);
  assert.match(web, /<strong>货车夜间也能通关<\/strong>/);
  assert.match(web, /<a href="https:\/\/example.com\/port\?utm_source=share" rel="noopener noreferrer">港口公告<\/a>还列出了其他措施/);
  assert.match(web, /<ul><li><p>申报窗口延长到二十二点<\/p><\/li><li><p>查验场地增加照明<\/p><\/li><\/ul>/);
  assert.match(web, /<th><p>时段<\/p><\/th>/);
  assert.match(web, /<blockquote><p>“晚上通关，第二天一早就能进厂。”一位司机说。<\/p><\/blockquote>/);
  assert.match(await page.locator("#editor-notice").innerText(), /2 张图片/);

  // Items copied from the middle of a numbered list keep their numbers; a
  // marker that is no number (第一条) stays in the text.
  const middle = await paste(page, fixture("word-list-middle.html"));
  noDecoration(middle, "Word list middle");
  assert.match(middle, /<ol start="3"><li><p>公交夜班线延长到零点<\/p><\/li><li><p>地铁末班车推迟半小时<\/p><\/li><\/ol>/);
  assert.match(middle, /<li><p>第一条 夜间运营须提前公告。<\/p><\/li>/);

  // Typing and the toolbar.
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type("自己写的一段话");
  await page.keyboard.press("Control+A");
  await page.click("#editor-toolbar button[data-command=bold]");
  assert.equal(await bodyField(page), "<p><strong>自己写的一段话</strong></p>");

  // Saved as it is: the server keeps exactly what the editor wrote.
  await paste(page, fixture("word.html"));
  const written = await page.inputValue("#body");
  await page.fill("#title", "从 Word 粘贴的稿件");
  await Promise.all([page.waitForURL(/\/admin\/articles\/\d+\?done=saved/), page.click(".save-bar button")]);
  assert.equal(await page.inputValue("#body"), written, "the server's sanitiser changed nothing the editor wrote");
  assert.match(await page.locator(".editor-body").innerHTML(), /周末延长一小时/, "the saved body opens in the editor");

  assert.deepEqual(problems, [], "no script errors and no CSP violations");
  await context.close();
});

for (const [width, viewport] of Object.entries(WIDTHS)) {
  test(`editor: axe finds nothing on the form with the editor at ${width} width`, async () => {
    const { context, page } = await signInStaff(browser, viewport);
    await page.goto(BASE + "/admin/articles/new");
    await page.waitForSelector(".editor-body");
    assert.deepEqual(await staffPageViolations(page), []);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
    await page.screenshot({ path: `out/editor-${width}.png`, fullPage: false });
    await context.close();
  });
}
