// Structured data and share cards against outside judges: every article
// kind's page passes structured-data-testing-tool (npm) with its Google,
// Twitter and Facebook presets and the NewsArticle schema, and its JSON-LD
// parses with extruct (PyPI), with what the article says: headline,
// dates, authors, section, a raster image and the publisher's logo.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import sdtt from "structured-data-testing-tool";
import presets from "structured-data-testing-tool/presets.js";
import { BASE, FLAGSHIP, PHOTO_ARTICLE, GALLERY } from "./helpers.js";

const { structuredDataTest } = sdtt;
const { Google, Twitter, Facebook } = presets;
const EXTRUCT = new URL("../judges/structured_data.py", import.meta.url).pathname;

/** Article kinds: a story with a drawn cover, one with a photo, a gallery, an English one. */
const ARTICLES = [FLAGSHIP, PHOTO_ARTICLE, GALLERY, "/en/digital/governance/62-a-shared-safe-open-internet.html"];

async function html(path) {
  const answer = await fetch(BASE + path);
  assert.equal(answer.status, 200, path);
  return answer.text();
}

test("every article kind passes the structured data testing tool's Google, Twitter and Facebook presets", async () => {
  for (const path of ARTICLES) {
    const page = await html(path);
    let result;
    try {
      result = await structuredDataTest(page, { presets: [Google, Twitter, Facebook], schemas: ["NewsArticle"] });
    } catch (error) {
      if (error.type !== "VALIDATION_FAILED") throw error;
      const failed = error.res.failed.map((t) => `${t.group ?? ""} ${t.description ?? t.test}`);
      assert.fail(`${path}: ${failed.join("; ")}`);
    }
    assert.ok(result.schemas.includes("NewsArticle"), `${path}: ${result.schemas}`);
    assert.equal(result.failed.length, 0, path);
  }
});

test("the JSON-LD parses with extruct and says what the page says", async () => {
  const facts = JSON.parse(
    execFileSync("python3", [EXTRUCT, ...ARTICLES.map((p) => BASE + p)], { encoding: "utf8", maxBuffer: 16 << 20 })
  );
  for (const fact of facts) {
    const path = new URL(fact.url).pathname;
    assert.equal(fact.jsonld.length, 1, `${path}: one JSON-LD block`);
    const article = fact.jsonld[0];
    assert.equal(article["@type"], "NewsArticle");
    assert.equal(article.headline, fact.h1, `${path}: the headline is the page's title`);
    assert.ok(Date.parse(article.datePublished) <= Date.parse(article.dateModified), path);
    assert.equal(article.isAccessibleForFree, true);
    assert.ok(article.articleSection, `${path}: its section`);
    assert.ok(article.author.length >= 1 && article.author.every((a) => a["@type"] === "Person" && a.name), path);
    assert.equal(article.publisher["@type"], "Organization");
    assert.match(article.publisher.logo.url, /\.png$/, `${path}: a raster logo`);
    for (const image of article.image) {
      assert.match(image, /\.(png|jpe?g|webp)$/, `${path}: a raster image, not ${image}`);
      const answer = await fetch(BASE + new URL(image).pathname);
      assert.equal(answer.status, 200, image);
      assert.match(answer.headers.get("content-type"), /^image\/(png|jpeg|webp)/);
    }
    // Open Graph and Twitter agree with it.
    assert.ok(fact.meta["og:title"].startsWith(article.headline), fact.meta["og:title"]);
    assert.equal(fact.meta["og:image"], article.image[0]);
    assert.equal(fact.meta["twitter:image"], article.image[0]);
    assert.equal(fact.meta["twitter:card"], "summary_large_image");
  }
});

test("a title that tries to close the script block stays inside the JSON-LD", async () => {
  // The JSON-LD is escaped for its context: no `</script>` or `<!--` can
  // appear inside it, whatever a title holds (checked on the real pages).
  for (const path of ARTICLES) {
    const page = await html(path);
    const block = page.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)[1];
    assert.doesNotMatch(block, /<\/|<!--/, path);
    JSON.parse(block);
  }
});
