// A photo gallery (组图) in a real browser: without JavaScript every photo
// is on the page with its number, caption and credit, each at its own
// address (#photo-N); with it, one photo at a time, moved by the buttons,
// the arrow keys and a swipe, the address following.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, GALLERY, WIDTHS, launch } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("gallery without JavaScript: every photo on the page, numbered, captioned and credited", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + GALLERY + "#photo-4");
  const photos = page.locator(".gallery-photo");
  assert.equal(await photos.count(), 6);
  for (let i = 0; i < 6; i++) {
    const photo = photos.nth(i);
    assert.equal(await photo.getAttribute("id"), `photo-${i + 1}`);
    assert.ok(await photo.isVisible(), `photo ${i + 1} is shown`);
    assert.equal(await photo.locator(".gallery-count").innerText(), `${i + 1}/6`);
    assert.match(await photo.locator(".credit").innerText(), /^摄影：/);
    assert.ok((await photo.locator("img").getAttribute("alt")).length > 0);
  }
  // The address of the fourth photo brings it into view.
  const top = await photos.nth(3).evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(Math.abs(top) < 5, `photo 4 is at the top (${top})`);
  assert.equal(await page.locator(".gallery-controls").count(), 0, "no buttons without the script");
  await context.close();
});

test("gallery with JavaScript: one photo at a time, by button, key and swipe", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone, hasTouch: false });
  const page = await context.newPage();
  await page.goto(BASE + GALLERY);
  const visible = async () => {
    const shown = await page.locator(".gallery-photo:visible").all();
    assert.equal(shown.length, 1, "exactly one photo shown");
    return shown[0].getAttribute("id");
  };
  const counter = page.locator(".gallery-counter");
  assert.equal(await visible(), "photo-1");
  assert.equal(await counter.innerText(), "1/6");
  assert.ok(await page.locator(".gallery-controls button").first().isDisabled(), "no previous photo");
  await page.click(".gallery-controls button:last-child");
  assert.equal(await visible(), "photo-2");
  assert.match(page.url(), /#photo-2$/);
  await page.keyboard.press("ArrowRight");
  assert.equal(await counter.innerText(), "3/6");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await counter.innerText(), "2/6");
  // A swipe to the left: the next photo.
  const box = await page.locator(".gallery-photo:visible img").boundingBox();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  assert.equal(await counter.innerText(), "3/6");
  // A shared address opens on its photo.
  await page.goto(BASE + GALLERY + "#photo-6");
  assert.equal(await visible(), "photo-6");
  assert.ok(await page.locator(".gallery-controls button").last().isDisabled(), "no next photo");
  await context.close();
});
