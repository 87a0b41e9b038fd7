// The sitemaps against outside judges: every child sitemap validates with
// xmllint against sitemaps.org's sitemap.xsd (shipped in the npm package
// "sitemap"), the index against a schema written in the repository
// (e2e/schemas/siteindex.xsd: the package ships none), and the news
// sitemap passes the "sitemap" package's parser at its strictest level.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { XMLToSitemapItemStream, ErrorLevel } from "sitemap";
import { BASE } from "./helpers.js";

const require = createRequire(import.meta.url);
const SITEMAP_XSD = join(require.resolve("sitemap/package.json"), "..", "schema", "sitemap.xsd");
const INDEX_XSD = new URL("../schemas/siteindex.xsd", import.meta.url).pathname;

function xmllint(schema, file) {
  // Throws, with xmllint's message, if the file does not validate.
  execFileSync("xmllint", ["--noout", "--nonet", "--schema", schema, file], { stdio: "pipe" });
}

test("robots.txt points at the sitemaps, which validate against their schemas", async () => {
  const robots = await (await fetch(BASE + "/robots.txt")).text();
  assert.match(robots, /^Sitemap: .*\/sitemap\.xml$/m);
  assert.match(robots, /^Sitemap: .*\/sitemap-news\.xml$/m);
  const dir = mkdtempSync(join(tmpdir(), "gazette-sitemaps-"));
  const index = await (await fetch(BASE + "/sitemap.xml")).text();
  writeFileSync(join(dir, "index.xml"), index);
  xmllint(INDEX_XSD, join(dir, "index.xml"));
  const children = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.ok(children.length >= 1);
  for (const [i, child] of children.entries()) {
    // The configured base may differ from the server's address in tests.
    const path = new URL(child).pathname;
    const xml = await (await fetch(BASE + path)).text();
    const file = join(dir, `child-${i}.xml`);
    writeFileSync(file, xml);
    xmllint(SITEMAP_XSD, file);
    assert.ok((xml.match(/<url>/g) || []).length > 10, `${path} lists the articles`);
  }
});

test("the news sitemap passes the sitemap package's parser at its strictest", async () => {
  const xml = await (await fetch(BASE + "/sitemap-news.xml")).text();
  const items = [];
  await new Promise((resolve, reject) => {
    Readable.from([xml])
      .pipe(new XMLToSitemapItemStream({ level: ErrorLevel.THROW }))
      .on("data", (item) => items.push(item))
      .on("error", reject)
      .on("end", resolve);
  });
  assert.ok(items.length > 0 && items.length <= 1000);
  for (const item of items) {
    assert.ok(item.news, `${item.url} has its news block`);
    assert.ok(["zh-cn", "en"].includes(item.news.publication.language), item.news.publication.language);
    assert.ok(item.news.title.length > 0);
    assert.ok(!Number.isNaN(Date.parse(item.news.publication_date)));
  }
});
