// Shared set-up for the browser tests: the server under test, the pages to
// visit, and a Chromium launched from Debian's package.
import { chromium } from "playwright-core";

export const BASE = process.env.GAZETTE_URL || "http://127.0.0.1:8092";
export const FLAGSHIP = "/digital/governance/1-shared-safe-open-cyberspace.html";
export const RETRACTED = "/news/china/29-bridge-closure-report.html";
// The demo article whose cover is a photograph (the rocket launch).
export const PHOTO_ARTICLE = "/science/space/45-crewed-spacecraft-launch.html";
// The demo's photo gallery (组图).
export const GALLERY = "/culture/82-week-in-pictures.html";

// One page of every kind, in both languages where the kind has both.
export const PAGES = [
  ["home", "/", 200],
  ["home-en", "/en/", 200],
  ["channel", "/news/", 200],
  ["sub-channel", "/news/china/", 200],
  ["topic", "/topic/wuzhen-summit/", 200],
  ["tag", "/tag/%E6%95%B0%E5%AD%97%E9%B8%BF%E6%B2%9F/", 200],
  ["author", "/author/lin-qingyun/", 200],
  ["article", FLAGSHIP, 200],
  ["article-en", "/en/digital/governance/62-a-shared-safe-open-internet.html", 200],
  ["ranking", "/ranking/", 200],
  ["stream", "/stream/", 200],
  ["not-found", "/no-such-page/", 404],
  ["gone", RETRACTED, 410],
  ["gallery", "/culture/82-week-in-pictures.html", 200],
  ["search", "/search?q=%E8%88%AA%E5%A4%A9", 200],
  ["search-en", "/en/search?q=railways&lang=en", 200],
];

export const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A browser context signed in to the back office through its form, and its page. */
export async function signInStaff(browser, viewport, options = {}) {
  const context = await browser.newContext({ viewport, bypassCSP: true, ...options });
  const page = await context.newPage();
  await page.goto(BASE + "/admin/login");
  await page.fill("#email", process.env.GAZETTE_E2E_ADMIN);
  await page.fill("#password", process.env.GAZETTE_E2E_PASSWORD);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.click("button[type=submit]")]);
  return { context, page };
}

/**
 * A new member invited from the admin's people page: their address, name,
 * invitation link and the password they will choose.
 */
export async function invite(admin, { key, name, role, stamp }) {
  await admin.goto(BASE + "/admin/people");
  const email = `${key}-${stamp}@example.org`;
  await admin.fill("#invite-email", email);
  await admin.fill("#invite-name-zh", name);
  await admin.selectOption("#invite-role", role);
  await Promise.all([admin.waitForSelector(".link-card input.link"), admin.click("form[action='/admin/people'] button[type=submit]")]);
  const link = await admin.inputValue(".link-card input.link");
  if (!link.startsWith(BASE + "/admin/")) throw new Error(`an invitation link on this site: ${link}`);
  return { email, name, link, password: `a long password for ${key} ${stamp}` };
}

/** An invited member's browser: the password set through the invitation, signed in. */
export async function join(browser, person, viewport) {
  const context = await browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(person.link);
  await page.fill("#new-password", person.password);
  await Promise.all([page.waitForURL(/\/admin\/login\?done=password_set/), page.click("main button[type=submit]")]);
  await page.fill("#email", person.email);
  await page.fill("#password", person.password);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.click("main button[type=submit]")]);
  return { context, page };
}

/** Pastes `html` into the article form's editor as the clipboard would. */
export async function paste(page, html) {
  await page.click(".editor-body");
  await page.evaluate((html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    document.querySelector(".editor-body").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
}

/** Axe's violations on a page (injected, so the page's CSP is bypassed for it). */
export async function staffPageViolations(page) {
  const { createRequire } = await import("node:module");
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

/** What a page costs in images at a width: bytes fetched, the largest paint, layout shift. */
export async function photoLoad(browserInstance, path, viewport, { withoutSrcset = false } = {}) {
  const context = await browserInstance.newContext({ viewport, deviceScaleFactor: 1 });
  if (withoutSrcset) {
    // The same page as if it named only the photo itself.
    await context.route(BASE + path, async (route) => {
      const response = await route.fetch();
      const html = (await response.text())
        .replace(/<source type="image\/webp"[^>]*>/g, "")
        .replace(/ srcset="[^"]*"/g, "")
        .replace(/<link rel="preload" as="image"[^>]*>/g, "");
      await route.fulfill({ response, body: html });
    });
  }
  const page = await context.newPage();
  const images = new Map();
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] || "";
    if (type.startsWith("image/")) {
      const body = await response.body().catch(() => Buffer.alloc(0));
      images.set(response.url(), body.length);
    }
  });
  await page.addInitScript(() => {
    window.__lcp = null;
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__lcp = entry;
    }).observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(BASE + path, { waitUntil: "networkidle" });
  const measured = await page.evaluate(() => ({
    lcp: window.__lcp && {
      tag: window.__lcp.element ? window.__lcp.element.tagName.toLowerCase() : null,
      url: window.__lcp.url,
      size: window.__lcp.size,
      width: window.__lcp.element ? window.__lcp.element.getBoundingClientRect().width : 0,
    },
    cls: window.__cls,
    chosen: document.querySelector(".cover img") && document.querySelector(".cover img").currentSrc,
  }));
  await context.close();
  const bytes = [...images.values()].reduce((a, b) => a + b, 0);
  return { bytes, count: images.size, ...measured };
}
