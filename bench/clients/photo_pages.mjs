// Images an article page with real photos costs a browser (Chromium, device
// pixel ratio 1): bytes at 390 and 1280 px, against the same page naming
// only the photo (srcset, the WebP source and the preload removed), and the
// largest contentful paint with its size. Run by bench/media.sh.
import { PHOTO_ARTICLE, WIDTHS, launch, photoLoad } from "../../e2e/tests/helpers.js";

const browser = await launch();
const kib = (n) => (n / 1024).toFixed(1) + " KiB";
console.log(`images on ${PHOTO_ARTICLE} (every image the page loads, lazy ones that came into view included)`);
console.log();
console.log("| width | with srcset | without srcset | ratio | image chosen for the cover | largest paint | its size | layout shift |");
console.log("|---|---|---|---|---|---|---|---|");
for (const [name, viewport] of Object.entries(WIDTHS)) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await photoLoad(browser, PHOTO_ARTICLE, viewport));
  const plain = [];
  for (let i = 0; i < 3; i++) plain.push(await photoLoad(browser, PHOTO_ARTICLE, viewport, { withoutSrcset: true }));
  const median = (xs) => xs.map((x) => x.bytes).sort((a, b) => a - b)[1];
  const last = runs[2];
  console.log(
    `| ${viewport.width} px (${name}) | ${kib(median(runs))} | ${kib(median(plain))} | ${(median(runs) / median(plain)).toFixed(2)} | ` +
      `${last.chosen.split("/").pop()} | ${last.lcp.tag} ${last.lcp.url.split("/").pop()} | ${last.lcp.size} px² (${Math.round(last.lcp.width)} px wide) | ${last.cls.toFixed(3)} |`,
  );
}
await browser.close();
