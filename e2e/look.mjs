// Screenshots of the given URLs at 390 and 1280 px: node look.mjs OUT URL...
import { chromium } from 'playwright-core';
const [out, ...urls] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
let n = 0;
for (const url of urls) {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url);
    await page.screenshot({ path: `${out}/${n}-${width}.png`, fullPage: false });
    await page.close();
  }
  n++;
}
await browser.close();
