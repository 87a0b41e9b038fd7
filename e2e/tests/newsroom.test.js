// The newsroom's whole story in a real browser: the admin invites an
// author, an editor and a responsible editor and gives the channel two
// review levels; the author pastes a Word document, sees a punctuation
// warning, fixes it and submits; the editor passes level one; the
// responsible editor sends it back with a comment; the author revises;
// both levels pass; the article is scheduled an hour ahead, the server's
// clock moves on (SIGUSR1 to a server with a fixed clock), and it goes
// live with the signer as 责编; a correction appears in the update log with
// what changed; the retraction answers 410 and the article leaves the
// home page and the channel's list. (A new article enters the sidebar only
// through curation or thousands of readers: the Rust suite checks that a
// retracted article leaves every cached page's sidebar, with a demo article
// that is in it.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE, WIDTHS, invite, join, launch, paste, signInStaff, staffPageViolations } from "./helpers.js";

const WORD = readFileSync(new URL("../../editor/fixtures/word.html", import.meta.url), "utf8");
const CHANNEL = 1;
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Presses a review panel's button and waits for the notice. */
async function press(page, form, done) {
  await Promise.all([page.waitForURL(new RegExp(`done=${done}`)), page.click(`form[action$="/${form}"] button[type=submit]`)]);
}

/** The review state the article page shows. */
async function reviewState(page) {
  const classes = await page.getAttribute("#review-h .status", "class");
  return classes.split(/\s+/).find((c) => c.startsWith("review-")).slice("review-".length);
}

test("newsroom: from invitation to retraction, in two review levels, with a schedule and a correction", async () => {
  const pid = Number(process.env.GAZETTE_E2E_SERVER_PID);
  assert.ok(pid > 0, "scripts/e2e gives the writable server's pid");
  const stamp = `${Date.now()}`;
  const { context: adminContext, page: admin } = await signInStaff(browser, WIDTHS.desktop);
  const people = {};
  for (const [key, name, role] of [
    ["author", "记者林晓", "author"],
    ["editor", "编辑周航", "editor"],
    ["chief", "责编陈默", "responsible-editor"],
  ]) {
    people[key] = await invite(admin, { key, name, role, stamp });
  }
  // The channel gets two levels: editors, then the responsible editor's sign-off.
  await admin.goto(BASE + "/admin/review");
  const settings = admin.locator(`form[action="/admin/review/${CHANNEL}"]`);
  await admin.locator(`section[aria-labelledby="channel-${CHANNEL}"] summary`).click();
  await settings.locator("select[name=levels]").selectOption("2");
  await settings.locator("select[name=role_1]").selectOption("editor");
  await settings.locator("select[name=role_2]").selectOption("responsible-editor");
  await Promise.all([admin.waitForURL(/done=saved/), settings.locator("button[type=submit]").click()]);
  assert.deepEqual(await staffPageViolations(admin), [], "the review settings page");

  const author = await join(browser, people.author, WIDTHS.phone);
  const editor = await join(browser, people.editor, WIDTHS.desktop);
  const chief = await join(browser, people.chief, WIDTHS.desktop);

  // The author writes: the Word document pasted, a half-width comma typed.
  const a = author.page;
  await a.goto(BASE + "/admin/articles/new");
  await a.fill("#title", `城市更新,旧街区换新颜 ${stamp}`);
  await a.fill("#summary", "老街区改造完成，居民陆续回迁。");
  await a.selectOption("#channel_id", String(CHANNEL));
  await paste(a, WORD);
  await Promise.all([a.waitForURL(/\/admin\/articles\/\d+\?done=saved/), a.click("#article-form .save-bar button:not([name])")]);
  const id = a.url().match(/articles\/(\d+)/)[1];
  const article = `/admin/articles/${id}`;
  assert.match(await a.locator(".proofread").innerText(), /标点/, "the half-width comma is pointed out");
  await a.fill("#title", `城市更新，旧街区换新颜 ${stamp}`);
  await Promise.all([a.waitForURL(/done=saved/), a.click("#article-form .save-bar button:not([name])")]);
  assert.equal(await a.locator(".proofread .finding-half_width").count(), 0, "fixed");
  assert.match(await a.inputValue("#body"), /<(ul|ol)>/, "Word's list is a list");
  await press(a, "submit", "submitted");
  assert.equal(await reviewState(a), "submitted");
  assert.equal(await a.locator('form[action$="/approve"]').count(), 0, "authors do not review");
  assert.deepEqual(await staffPageViolations(a), [], "the article page at phone width");

  // Level one: the editor.
  const e = editor.page;
  await e.goto(BASE + article);
  await press(e, "approve", "approved");
  assert.equal(await e.locator('form[action$="/approve"]').count(), 0, "one level per person");

  // The sign-off: the responsible editor sends it back with a comment.
  const c = chief.page;
  await c.goto(BASE + article);
  await c.fill("#reject-comment", "第二段的数据请注明来源。");
  await press(c, "reject", "rejected");
  assert.deepEqual(await staffPageViolations(c), [], "the review panel");

  // The author sees why, revises, submits again.
  await a.goto(BASE + article);
  assert.equal(await reviewState(a), "rejected");
  assert.match(await a.locator(".steps").innerText(), /第二段的数据请注明来源/);
  await a.click(".editor-body");
  await a.keyboard.press("Control+End");
  await a.keyboard.type("数据来源：区住房和城乡建设委员会。");
  await Promise.all([a.waitForURL(/done=saved/), a.click("#article-form .save-bar button:not([name])")]);
  await press(a, "submit", "submitted");
  await e.goto(BASE + article);
  await press(e, "approve", "approved");
  await c.goto(BASE + article);
  await press(c, "approve", "signed_off");
  assert.equal(await reviewState(c), "approved");

  // Scheduled an hour ahead; the server's clock moves on; it goes live.
  await e.goto(BASE + article);
  const at = await e.getAttribute("#publish-at", "min");
  const [day, time] = at.split("T");
  const [hour, minute] = time.split(":").map(Number);
  const ahead = `${day}T${String(hour + 1).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  await e.fill("#publish-at", ahead);
  await Promise.all([e.waitForURL(/done=scheduled/), e.click('form[action$="/publish"] button[type=submit]')]);
  assert.match(await e.locator(".jobs").innerText(), /定时发布/);
  const home = await (await fetch(BASE + "/")).text();
  assert.ok(!home.includes(`/${id}-`), "not public before its time");
  process.kill(pid, "SIGUSR1");
  let page;
  for (let i = 0; i < 100; i++) {
    const answer = await fetch(BASE + "/");
    const html = await answer.text();
    const found = html.match(new RegExp(`href="(/[^"]*/${id}-[^"]*\\.html)"`));
    if (found) {
      page = found[1];
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(page, "on the home page once its time came");
  // A reader's browser keeps pages as Cache-Control allows: each look
  // after a change is a new visit, as a reader arriving later makes.
  const readers = [];
  const visit = async (path) => {
    const context = await browser.newContext({ viewport: WIDTHS.phone });
    readers.push(context);
    const tab = await context.newPage();
    await tab.goto(BASE + path);
    return tab;
  };
  let r = await visit(page);
  assert.match(await r.locator("h1").innerText(), /城市更新，旧街区换新颜/);
  assert.match(await r.locator(".byline").innerText(), /记者林晓/);
  assert.match(await r.locator(".responsible").innerText(), /责编陈默/, "the signer is the 责编");

  // A correction: revised, through both levels again, published with a note.
  await a.goto(BASE + article);
  await a.click(".editor-body");
  await a.keyboard.press("Control+End");
  await a.keyboard.type("（本文于发布后更正了一处数字。）");
  await Promise.all([a.waitForURL(/done=saved/), a.click("#article-form .save-bar button:not([name])")]);
  await press(a, "submit", "submitted");
  await e.goto(BASE + article);
  await press(e, "approve", "approved");
  await c.goto(BASE + article);
  await press(c, "approve", "signed_off");
  await e.goto(BASE + article);
  await e.fill("#correction", "补充说明了数据来源。");
  await Promise.all([e.waitForURL(/done=published/), e.click('form[action$="/publish"] button[type=submit]')]);
  r = await visit(page);
  const log = await r.locator("section.updates").innerText();
  assert.match(log, /更正：补充说明了数据来源/);
  await r.click("section.updates a");
  assert.match(await r.locator("h1").innerText(), /改动对照/);
  // axe is injected as a script: a context that lets it past the CSP.
  const checking = await browser.newContext({ viewport: WIDTHS.phone, bypassCSP: true });
  readers.push(checking);
  const check = await checking.newPage();
  await check.goto(r.url());
  assert.deepEqual(await staffPageViolations(check), [], "the comparison page");
  assert.match(await r.locator(".diff ins").first().innerText(), /更正了一处数字/);

  // Before the retraction it is on the home page and its channel's list (a
  // new article reaches the sidebar's week rankings only with thousands of
  // readers: the suite checks the sidebar with a demo article that is in it).
  const channelList = await (await fetch(BASE + "/news/")).text();
  assert.ok(channelList.includes(`/${id}-`), "on the channel's list");

  // Retracted: 410 with the note, and gone everywhere at once.
  await c.goto(BASE + article);
  await c.fill("#retract-note", "报道所依据的材料有误，本报撤回此稿。");
  await Promise.all([c.waitForURL(/done=retracted/), c.click('form[action$="/retract"] button[type=submit]')]);
  const gone = await fetch(BASE + page);
  assert.equal(gone.status, 410);
  assert.match(await gone.text(), /报道所依据的材料有误/);
  for (const list of ["/", "/news/"]) {
    assert.ok(!(await (await fetch(BASE + list)).text()).includes(`/${id}-`), `gone from ${list}`);
  }

  for (const context of [adminContext, author.context, editor.context, chief.context, ...readers]) await context.close();
});
