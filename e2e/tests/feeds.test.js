// Feeds against outside judges: every RSS and Atom feed the pages announce
// parses with feedparser (PyPI) without `bozo`, as the right version; every
// JSON Feed validates against the JSON Schema for JSON Feed 1.1 written in
// e2e/schemas (jsonschema, PyPI, formats checked). Entries are checked
// against the site itself: the list's articles in its order, each link
// answering with the page whose title and publication time the entry gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE, FLAGSHIP, WIDTHS, invite, join, launch, paste, signInStaff } from "./helpers.js";

const JUDGE = new URL("../judges/feeds.py", import.meta.url).pathname;

function judge(urls) {
  const out = execFileSync("python3", [JUDGE, ...urls], { encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

const decode = (text) =>
  text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

// The configured base may differ from the server's address in tests.
const local = (url) => BASE + new URL(url).pathname;

/** The feeds a page announces: [{ type, href }]. */
async function announced(path) {
  const html = await (await fetch(BASE + path)).text();
  return [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">/g)].map((m) => ({
    type: m[1],
    href: m[2],
  }));
}

/** The first `max` articles of a list page and the pages after it: links and titles. */
async function listed(path, max = 20) {
  const items = [];
  let next = path;
  while (next && items.length < max) {
    const html = await (await fetch(BASE + next)).text();
    // The list's cards: from the card list to the "older" link or the sidebar.
    const after = html.split('<div class="card-list">')[1] ?? "";
    const list = after.split(/<p class="more">|<aside/)[0];
    for (const m of list.matchAll(/<h2 class="card-title"><a href="([^"]+)">([^<]*)<\/a><\/h2>/g)) {
      items.push({ link: m[1], title: decode(m[2]) });
    }
    next = html.match(/<a class="button" href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, "&");
  }
  return items.slice(0, max);
}

/** An article page's title and publication time (UTC seconds), from its JSON-LD. */
async function article(path) {
  const html = await (await fetch(BASE + path)).text();
  const jsonld = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)[1]);
  return { title: jsonld.headline, published: Date.parse(jsonld.datePublished) / 1000 };
}

async function lists() {
  const home = await (await fetch(BASE + "/")).text();
  const topic = home.match(/href="(\/topic\/[^"/]+\/)"/)?.[1];
  const page = await (await fetch(BASE + FLAGSHIP)).text();
  const author = page.match(/href="(\/author\/[^"/]+\/)"/)?.[1];
  assert.ok(topic && author, "the demo has a topic and an author page");
  return { home: ["/", "/en/"], lists: ["/science/", "/science/space/", "/en/science/", topic, author] };
}

test("every feed the pages announce passes its judge, and says what the site says", async () => {
  const { home, lists: listPages } = await lists();
  const checked = new Map();
  for (const path of [...home, ...listPages]) {
    const feeds = await announced(path);
    const own = feeds.slice(0, 3);
    assert.deepEqual(
      own.map((f) => f.type),
      ["application/rss+xml", "application/atom+xml", "application/feed+json"],
      `${path} announces its three feeds`
    );
    if (!home.includes(path)) {
      const site = feeds.slice(3).map((f) => new URL(f.href).pathname);
      assert.ok(site.some((p) => p.endsWith("/feed.xml")), `${path} announces the site's feeds too`);
    }
    checked.set(path, own.map((f) => local(f.href)));
  }
  const facts = judge([...checked.values()].flat());
  const byUrl = new Map(facts.map((f) => [f.url, f]));
  const pages = new Map();
  for (const [path, urls] of checked) {
    const [rss, atom, json] = urls.map((u) => byUrl.get(u));
    assert.deepEqual(rss.problems, [], `${rss.url}: feedparser is content`);
    assert.equal(rss.version, "rss20", rss.url);
    assert.match(rss.content_type, /^application\/rss\+xml/);
    assert.deepEqual(atom.problems, [], `${atom.url}: feedparser is content`);
    assert.equal(atom.version, "atom10", atom.url);
    assert.match(atom.content_type, /^application\/atom\+xml/);
    assert.deepEqual(json.problems, [], `${json.url}: the JSON Feed 1.1 schema is content`);
    assert.equal(json.version, "https://jsonfeed.org/version/1.1");
    assert.match(json.content_type, /^application\/feed\+json/);
    // The same entries in the three formats.
    for (const other of [atom, json]) {
      assert.deepEqual(
        other.entries.map((e) => [e.title, e.link, e.published]),
        rss.entries.map((e) => [e.title, e.link, e.published]),
        `${other.url} agrees with ${rss.url}`
      );
    }
    assert.ok(rss.entries.length > 0 && rss.entries.length <= 20, `${rss.url}: ${rss.entries.length} entries`);
    if (!home.includes(path)) {
      // A list's feed is its list: the same articles in the same order.
      const items = await listed(path);
      assert.deepEqual(
        rss.entries.map((e) => [e.title, new URL(e.link).pathname]),
        items.map((i) => [i.title, i.link]),
        `${rss.url} follows ${path}`
      );
    } else {
      assert.equal(rss.entries.length, 20, `${rss.url}: the demo has more than 20 articles`);
      assert.equal(rss.language, path === "/" ? "zh-cn" : "en");
    }
    // Links are absolute, answer with the article, and titles and times agree.
    for (const entry of rss.entries) {
      assert.match(entry.link, /^https?:\/\//);
      const path = new URL(entry.link).pathname;
      if (!pages.has(path)) pages.set(path, await article(path));
      const page = pages.get(path);
      assert.equal(entry.title, page.title, entry.link);
      assert.equal(entry.published, page.published, `${entry.link}: its time`);
      assert.ok(entry.content && entry.content.length > 0, `${entry.link}: content`);
    }
    // Times are newest first.
    const times = rss.entries.map((e) => e.published);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), `${rss.url} is newest first`);
  }
});

test("whole articles in feeds link their photos absolutely", async () => {
  // The culture channel has the photo gallery, whose body is photos.
  const [rss] = judge([BASE + "/culture/feed.xml"]);
  const withPhoto = rss.entries.find((e) => e.content.includes("<img"));
  assert.ok(withPhoto, "an article with a photo");
  assert.doesNotMatch(withPhoto.content, /src="\//, "no site-relative image");
  assert.match(withPhoto.content, /src="https?:\/\/[^"]+\/media\//);
});

test("feeds that are not there are 404s, and a feed answers 304 when unchanged", async () => {
  for (const path of ["/ranking/feed.xml", "/tag/x/feed.xml", "/no-such-channel/feed.xml", "/topic/none/atom.xml"]) {
    assert.equal((await fetch(BASE + path)).status, 404, path);
  }
  const first = await fetch(BASE + "/feed.xml");
  const etag = first.headers.get("etag");
  assert.ok(etag);
  const again = await fetch(BASE + "/feed.xml", { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
});

test("an article full of what breaks XML, published through the back office, leaves every feed valid", async () => {
  const browser = await launch();
  try {
    const stamp = `${Date.now()}`;
    const { context: adminContext, page: admin } = await signInStaff(browser, WIDTHS.desktop);
    const writer = await join(browser, await invite(admin, { key: "feeds", name: "记者钟原", role: "author", stamp }), WIDTHS.desktop);
    // A CDATA end, markup, control characters, an emoji and lone surrogates
    // (which the browser sends as U+FFFD), in the title, summary and body.
    const w = writer.page;
    await w.goto(BASE + "/admin/articles/new");
    await w.fill("#title", `]]> <b>&amp;</b> \u0001控制字符 😀 ${stamp}`);
    await w.fill("#summary", "摘要里有 ]]> 和 \u0007 响铃 \uD800 😀 结束");
    await w.selectOption("#channel_id", { label: "体育" });
    await paste(w, "<p>正文 ]]&gt; 和 \u0002 控制符 😀 \uDC00 <![CDATA[ x ]]> 结束</p>");
    await Promise.all([w.waitForURL(/\/admin\/articles\/\d+\?done=saved/), w.click("#article-form .save-bar button:not([name])")]);
    const article = new URL(w.url()).pathname;
    await Promise.all([w.waitForURL(/done=submitted/), w.click('form[action$="/submit"] button[type=submit]')]);
    // The channel's one level: the admin signs off and publishes.
    await admin.goto(BASE + article);
    await Promise.all([admin.waitForURL(/done=signed_off/), admin.click('form[action$="/approve"] button[type=submit]')]);
    await Promise.all([admin.waitForURL(/done=published/), admin.click('form[action$="/publish"] button[type=submit]')]);

    const feeds = ["/sports/", "/"].flatMap((list) => ["feed.xml", "atom.xml", "feed.json"].map((f) => BASE + list + f));
    for (const feed of judge(feeds)) {
      assert.deepEqual(feed.problems, [], `${feed.url}: its judge is content`);
      const entry = feed.entries.find((e) => e.title.includes(stamp));
      assert.ok(entry, `${feed.url} has the new article`);
      assert.equal(entry.title, `]]> <b>&amp;</b> 控制字符 😀 ${stamp}`, `${feed.url}: the title as written, without its control character`);
      assert.doesNotMatch(entry.content, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, `${feed.url}: no control characters`);
      assert.match(entry.content, /😀/, `${feed.url}: the emoji`);
    }

    // Retracted: it leaves the feeds again (and the other tests' lists).
    await admin.goto(BASE + article);
    await admin.fill("#retract-note", "测试稿件，撤回。");
    await Promise.all([admin.waitForURL(/done=retracted/), admin.click('form[action$="/retract"] button[type=submit]')]);
    for (const feed of judge(feeds)) {
      assert.deepEqual(feed.problems, [], feed.url);
      assert.ok(!feed.entries.some((e) => e.title.includes(stamp)), `${feed.url}: gone`);
    }
    await writer.context.close();
    await adminContext.close();
  } finally {
    await browser.close();
  }
});
