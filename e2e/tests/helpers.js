// Shared set-up for the browser tests: the server under test, the pages to
// visit, and a Chromium launched from Debian's package.
import { chromium } from "playwright-core";

export const BASE = process.env.GAZETTE_URL || "http://127.0.0.1:8092";
export const FLAGSHIP = "/digital/governance/1-shared-safe-open-cyberspace.html";
export const RETRACTED = "/news/china/29-bridge-closure-report.html";

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
