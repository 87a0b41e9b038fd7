"""Reads feeds as a feed reader would and says what it found, as JSON.

    python3 judges/feeds.py URL...

RSS and Atom go through feedparser (its `bozo` flag is set by anything
that is not well-formed); JSON Feeds are checked against the JSON Schema
for JSON Feed 1.1 in schemas/ with jsonschema, formats included. For each
feed: its URL, kind, version, problems, and its entries' titles, links and
publication times (UTC seconds). The test decides what is right.
"""

import calendar
import json
import pathlib
import sys
import urllib.request

import feedparser
import jsonschema

SCHEMA = json.loads(
    (pathlib.Path(__file__).parent.parent / "schemas" / "jsonfeed-1.1.schema.json").read_text()
)


def fetch(url):
    with urllib.request.urlopen(url) as answer:
        return answer.headers.get("content-type", ""), answer.read()


def json_feed(url, body):
    feed = json.loads(body)
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(feed)]
    from datetime import datetime

    def seconds(text):
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()) if text else None

    return {
        "version": feed.get("version"),
        "problems": problems,
        "entries": [
            {
                "title": item.get("title"),
                "link": item.get("url"),
                "published": seconds(item.get("date_published")),
                "content": item.get("content_html") or item.get("content_text"),
            }
            for item in feed.get("items", [])
        ],
    }


def xml_feed(body):
    parsed = feedparser.parse(body)
    problems = [str(parsed.get("bozo_exception"))] if parsed.bozo else []
    return {
        "version": parsed.version,
        "problems": problems,
        "language": parsed.feed.get("language"),
        "entries": [
            {
                "title": entry.get("title"),
                "link": entry.get("link"),
                "published": calendar.timegm(entry.published_parsed)
                if entry.get("published_parsed")
                else None,
                "content": (entry.get("content") or [{}])[0].get("value") or entry.get("summary"),
            }
            for entry in parsed.entries
        ],
    }


def main():
    facts = []
    for url in sys.argv[1:]:
        content_type, body = fetch(url)
        fact = json_feed(url, body) if url.endswith(".json") else xml_feed(body)
        fact.update(url=url, content_type=content_type)
        facts.append(fact)
    json.dump(facts, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
