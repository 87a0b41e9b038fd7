// The back office in a real browser: sign in through the form, then every
// page at a phone and a desktop width, light and dark: no axe violations,
// nothing loaded from another host, no script needed, and sign-out works.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, WIDTHS, launch, signInStaff, staffPageViolations } from "./helpers.js";

const EMAIL = process.env.GAZETTE_E2E_ADMIN;
const PASSWORD = process.env.GAZETTE_E2E_PASSWORD;
const PAGES = [
  "/admin/", "/admin/account", "/admin/people", "/admin/people/1", "/admin/audit",
  "/admin/articles", "/admin/articles/new", "/admin/articles/1", "/admin/articles/1/revisions",
  "/admin/media", "/admin/media/1", "/admin/dashboard", "/admin/dashboard/articles/1",
  "/admin/slots", "/admin/slots/exclusive", "/admin/channels", "/admin/channels/1",
  "/admin/topics", "/admin/topics/1",
];
let browser;

before(async () => {
  assert.ok(EMAIL && PASSWORD, "scripts/e2e adds the back-office account");
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A signed-in browser context (no JavaScript: the back office needs none). */
function signedIn(viewport, colorScheme = "light") {
  return signInStaff(browser, viewport, { colorScheme });
}

function violations(page) {
  return staffPageViolations(page);
}

for (const [width, viewport] of Object.entries(WIDTHS)) {
  for (const scheme of ["light", "dark"]) {
    test(`back office: axe finds nothing at ${width} width, ${scheme}`, async () => {
      const context = await browser.newContext({ viewport, colorScheme: scheme, bypassCSP: true });
      const login = await context.newPage();
      await login.goto(BASE + "/admin/login");
      assert.deepEqual(await violations(login), [], "sign-in page");
      await context.close();
      const { context: signed, page } = await signedIn(viewport, scheme);
      for (const path of PAGES) {
        await page.goto(BASE + path);
        assert.deepEqual(await violations(page), [], path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow} px`);
        await page.screenshot({ path: `out/admin${path.replaceAll("/", "-")}-${width}-${scheme}.png`, fullPage: true });
      }
      // The two-step set-up page (started, not confirmed).
      await page.goto(BASE + "/admin/account");
      await page.fill("#on-password", PASSWORD);
      await Promise.all([page.waitForURL(/second-factor$/), page.click("form[action='/admin/account/second-factor'] button")]);
      assert.deepEqual(await violations(page), [], "two-step set-up");
      await page.screenshot({ path: `out/admin-second-factor-${width}-${scheme}.png`, fullPage: true });
      await signed.close();
    });
  }
}

test("back office: everything comes from the site itself, and works without JavaScript", async () => {
  const context = await browser.newContext({ viewport: WIDTHS.phone, javaScriptEnabled: false });
  const page = await context.newPage();
  const origin = new URL(BASE).origin;
  const foreign = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) foreign.push(request.url());
  });
  await page.goto(BASE + "/admin/login");
  await page.fill("#email", EMAIL);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.click("button[type=submit]")]);
  for (const path of PAGES) {
    const response = await page.goto(BASE + path);
    assert.equal(response.status(), 200, path);
    assert.equal(response.headers()["cache-control"], "private, no-store", path);
  }
  // Switch the interface to English and back, through the form.
  await page.goto(BASE + "/admin/account");
  await page.selectOption("#lang", "en");
  await Promise.all([page.waitForURL(/done=saved/), page.click("form[action='/admin/account/lang'] button")]);
  assert.equal(await page.locator("h1").innerText(), "My account");
  await page.selectOption("#lang", "zh");
  await Promise.all([page.waitForURL(/done=saved/), page.click("form[action='/admin/account/lang'] button")]);
  assert.equal(await page.locator("h1").innerText(), "我的账户");
  await Promise.all([page.waitForURL(/\/admin\/login/), page.click(".sign-out button")]);
  const after = await page.goto(BASE + "/admin/account");
  assert.match(page.url(), /\/admin\/login\?next=/, "signed out");
  assert.equal(after.status(), 200);
  assert.deepEqual(foreign, []);
  await context.close();
});
