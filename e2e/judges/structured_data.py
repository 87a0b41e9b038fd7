"""Extracts a page's structured data as a search engine's crawler would.

    python3 judges/structured_data.py URL...

For each page: its JSON-LD (extruct, syntaxes json-ld), its Open Graph and
Twitter meta tags, and the text of its <h1>, as JSON. The test decides
what is right.
"""

import json
import sys
import urllib.request
from html.parser import HTMLParser

import extruct


class Head(HTMLParser):
    """The meta tags by property or name, and the first <h1>'s text."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.h1 = None
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "h1" and self.h1 is None:
            self._in_h1 = True
            self.h1 = ""

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def main():
    facts = []
    for url in sys.argv[1:]:
        with urllib.request.urlopen(url) as answer:
            html = answer.read().decode("utf-8")
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
        head = Head()
        head.feed(html)
        facts.append(
            {"url": url, "jsonld": data["json-ld"], "meta": head.meta, "h1": (head.h1 or "").strip()}
        )
    json.dump(facts, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
