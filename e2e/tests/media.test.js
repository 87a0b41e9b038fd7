// The media library and photos on pages, in a real browser: several
// uploads at once with a progress bar each (one refused, with its reason),
// an upload from the article form into the body; axe and the Nu HTML
// Checker on the library and a photo's page; an article with real photos
// loads a small variant on a phone and a larger one on a desktop, with its
// cover as the largest paint and nothing shifting.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { BASE, PHOTO_ARTICLE, WIDTHS, launch, photoLoad, signInStaff, staffPageViolations } from "./helpers.js";

const require = createRequire(import.meta.url);
const PHOTOS = new URL("../../crates/gazette-engine/demo/photos/", import.meta.url);
const ROCKET = readFileSync(new URL("rocket.jpg", PHOTOS));
const CAT = readFileSync(new URL("chelsea.png", PHOTOS));
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("media library: several photos at once, a progress bar each, a refused one says why", async () => {
  const { context, page } = await signInStaff(browser, WIDTHS.phone);
  await page.goto(BASE + "/admin/media");
  const caption = `港口 ${Date.now()}`;
  await page.fill("#caption", caption);
  await page.fill("#credit", "摄影：测试");
  await page.setInputFiles("#file", [
    { name: "rocket.jpg", mimeType: "image/jpeg", buffer: ROCKET },
    { name: "cat.png", mimeType: "image/png", buffer: CAT },
    { name: "not-a-photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("<!doctype html><script>alert(1)</script>") },
  ]);
  await page.click("form[data-upload] button[type=submit]");
  const rows = page.locator("[data-progress] li");
  await rows.nth(2).waitFor();
  assert.equal(await rows.count(), 3);
  assert.equal(await page.locator("[data-progress] progress").count(), 3, "a progress bar per file");
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-progress] li")].every((li) => !/等待中/.test(li.textContent)));
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-progress] li")].every((li) => /完成|未上传/.test(li.textContent)));
  const texts = await rows.allInnerTexts();
  assert.match(texts.find((t) => t.includes("not-a-photo")), /未上传.*not accepted/);
  assert.equal(texts.filter((t) => t.includes("完成")).length, 2, texts.join(" | "));
  // The two photos are in the library with the caption given once for both.
  await page.goto(BASE + "/admin/media?q=" + encodeURIComponent(caption));
  assert.equal(await page.locator(".media-grid li").count(), 2);
  await context.close();
});

test("media library: uploading without JavaScript posts every file at once", async () => {
  const { context, page } = await signInStaff(browser, WIDTHS.desktop, { javaScriptEnabled: false });
  await page.goto(BASE + "/admin/media");
  const caption = `无脚本 ${Date.now()}`;
  await page.fill("#caption", caption);
  await page.setInputFiles("#file", [
    { name: "a.jpg", mimeType: "image/jpeg", buffer: ROCKET },
    { name: "b.png", mimeType: "image/png", buffer: CAT },
  ]);
  await Promise.all([page.waitForURL(/done=uploaded/), page.click("form[data-upload] button[type=submit]")]);
  await page.goto(BASE + "/admin/media?q=" + encodeURIComponent(caption));
  assert.equal(await page.locator(".media-grid li").count(), 2);
  await context.close();
});

test("article form: a photo uploaded from the form goes into the body", async () => {
  const { context, page } = await signInStaff(browser, WIDTHS.desktop);
  await page.goto(BASE + "/admin/articles/new");
  await page.fill("#title", "带图片的草稿");
  await page.locator("[data-photo-upload]").waitFor();
  await page.setInputFiles("#photo-file", { name: "rocket.jpg", mimeType: "image/jpeg", buffer: ROCKET });
  await page.click("[data-insert-body]");
  await page.waitForFunction(() => /已上传/.test(document.querySelector("[data-photo-status]").textContent));
  const src = await page.locator(".ProseMirror figure img").getAttribute("src");
  assert.match(src, /^\/media\/\d+\.jpg$/);
  await page.setInputFiles("#photo-file", { name: "cat.png", mimeType: "image/png", buffer: CAT });
  await page.click("[data-set-cover]");
  await page.waitForFunction(() => document.querySelector("#cover_media_id").value !== "");
  // A cover needs its alternative text (the upload had none to fill in).
  await page.fill("#cover_alt", "一只虎斑猫");
  await Promise.all([page.waitForURL(/\/admin\/articles\/\d+\?done=saved/), page.click(".save-bar button[type=submit]")]);
  const body = await page.locator("#body").inputValue();
  assert.ok(body.includes(`src="${src}"`), body);
  await context.close();
});

test("media, dashboard and slot pages: axe finds nothing at either width, and the Nu HTML Checker no error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gazette-vnu-media-"));
  for (const [width, viewport] of Object.entries(WIDTHS)) {
    const { context, page } = await signInStaff(browser, viewport);
    for (const path of ["/admin/media", "/admin/media/1", "/admin/media?used=no&q=x", "/admin/dashboard", "/admin/dashboard/articles/1", "/admin/slots", "/admin/slots/exclusive", "/admin/channels", "/admin/channels/2", "/admin/topics", "/admin/topics/1"]) {
      await page.goto(BASE + path);
      assert.deepEqual(await staffPageViolations(page), [], `${path} at ${width} width`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow} px`);
      const html = await (await context.request.get(BASE + path)).text();
      writeFileSync(join(dir, `${width}-${path.replace(/\W+/g, "-")}.html`), html);
      await page.screenshot({ path: `out/admin${path.replace(/\W+/g, "-")}-${width}.png`, fullPage: true });
    }
    await context.close();
  }
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  const output = execFileSync("java", ["-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always", "--stdout", dir]);
  const errors = JSON.parse(output.toString()).messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(errors.map((m) => `${m.url.split("/").pop()}:${m.lastLine}: ${m.message}`), []);
});

test("an article with photos: a small variant on a phone, a larger one on a desktop, the cover paints first", async () => {
  const phone = await photoLoad(browser, PHOTO_ARTICLE, WIDTHS.phone);
  const desktop = await photoLoad(browser, PHOTO_ARTICLE, WIDTHS.desktop);
  assert.match(phone.chosen, /\/media\/\d+-[0-9a-f]{16}-(360|540)\.webp$/, "a narrow WebP on a phone");
  assert.match(desktop.chosen, /\/media\/\d+-[0-9a-f]{16}-640\.webp$/, "the widest WebP on a desktop");
  assert.ok(phone.bytes < desktop.bytes, `${phone.bytes} < ${desktop.bytes}`);
  for (const load of [phone, desktop]) {
    assert.equal(load.lcp.tag, "img", "the cover is the largest paint");
    assert.match(load.lcp.url, /\.webp$/);
    assert.ok(load.cls < 0.01, `layout shift ${load.cls}`);
  }
  const plain = await photoLoad(browser, PHOTO_ARTICLE, WIDTHS.phone, { withoutSrcset: true });
  assert.ok(phone.bytes < plain.bytes, `with srcset ${phone.bytes} bytes, without ${plain.bytes}`);
});
