// The slot editor in a real browser, with its script: entries move with
// the Up and Down buttons (and the keyboard on them) and by dragging,
// without a round trip; saving keeps the order shown, and the sidebar of
// the pages follows at once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, WIDTHS, launch, signInStaff } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const order = (page) =>
  page.$$eval("[data-entry] input[type=hidden]", (inputs) => inputs.map((i) => i.value));

test("slot editor: move by button, keyboard and drag, then save that order", async () => {
  const { context, page } = await signInStaff(browser, WIDTHS.desktop);
  await page.goto(BASE + "/admin/slots/exclusive");
  const before = await order(page);
  assert.ok(before.length >= 3, `the demo fills the slot (${before})`);
  // "Down" on the first entry: no navigation, the order changes.
  const url = page.url();
  await page.locator("[data-entry]").first().locator("button[data-move=down]").click();
  assert.equal(page.url(), url);
  let now = await order(page);
  assert.deepEqual(now.slice(0, 2), [before[1], before[0]]);
  assert.match(await page.locator("[data-order-status]").innerText(), /第 2 条/);
  // The keyboard: focus stays with the moved entry; Shift+Tab reaches its
  // Up button, and Enter moves it back.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  now = await order(page);
  assert.deepEqual(now.slice(0, 2), [before[0], before[1]]);
  // Drag the third entry above the first.
  await page.locator("[data-entry]").nth(2).dragTo(page.locator("[data-entry]").first(), { sourcePosition: { x: 30, y: 12 }, targetPosition: { x: 30, y: 5 } });
  now = await order(page);
  assert.equal(now[0], before[2], `dragged to the top: ${now}`);
  await Promise.all([page.waitForURL(/done=saved/), page.click("button[value=save]")]);
  assert.deepEqual(await order(page), now, "saved in the order shown");
  // A channel page's sidebar shows the new first entry first, at once.
  const channel = await context.newPage();
  await channel.goto(BASE + "/news/");
  const first = await channel.locator(".slot-exclusive a").first().getAttribute("href");
  assert.match(first, new RegExp(`/${now[0]}-`));
  await context.close();
});
