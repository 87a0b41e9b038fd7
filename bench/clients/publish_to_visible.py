"""Publish-to-visible: how long after a publish request returns the public
page shows the new content, on the node that published and on another
node on the same PostgreSQL. Standard library only.

    python3 publish_to_visible.py NODE_A NODE_B WRITER CHIEF PASSWORD ROUNDS

Each round the writer (an editor) changes the title of one live article
(save), submits it, the chief signs it off, and the writer publishes; then
both nodes are asked for the public page every 2 ms until its <h1> has the
new title. The clock starts when the publish request has returned.
"""
import html
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request


class Member:
    def __init__(self, base, email, password):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.post("/admin/login", {"email": email, "password": password}, token=False)

    def request(self, path, data=None):
        headers = {"Origin": self.base}
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(req) as answer:
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path):
        return self.request(path)

    def post(self, path, data, token=True):
        if token:
            data = dict(data, form_token=self.token)
        status, headers, text = self.request(path, data)
        if status not in (200, 303):
            raise SystemExit(f"POST {path}: {status} {text[:300]}")
        return headers.get("Location", "")

    @property
    def token(self):
        _, _, text = self.get("/admin/")
        return re.search(r'name="form_token" value="([^"]+)"', text).group(1)

    def base_of(self, article):
        _, _, text = self.get(f"/admin/articles/{article}")
        return re.search(r'name="base" value="([^"]*)"', text).group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fields(title):
    return {
        "title": title,
        "lang": "zh",
        "channel_id": "1",
        "slug": "publish-bench",
        "summary": "发布到可见的基准测试。",
        "body": "<p>正文。</p>",
    }


def step(member, article, name, extra=None):
    data = {"base": member.base_of(article)}
    data.update(extra or {})
    member.post(f"/admin/articles/{article}/{name}", data)


def title_of(base, path):
    try:
        with urllib.request.urlopen(base + path) as answer:
            text = answer.read().decode()
    except urllib.error.HTTPError:
        return None
    found = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def main():
    node_a, node_b, writer_email, chief_email, password, rounds = sys.argv[1:7]
    writer = Member(node_a, writer_email, password)
    chief = Member(node_a, chief_email, password)
    location = writer.post("/admin/articles", fields("发布基准 0"))
    article = int(re.search(r"/admin/articles/(\d+)", location).group(1))
    path = f"/news/{article}-publish-bench.html"
    same, other = [], []
    for n in range(int(rounds) + 1):
        if n > 0:
            writer.post(
                f"/admin/articles/{article}",
                dict(fields(f"发布基准 {n}"), base=writer.base_of(article)),
            )
        step(writer, article, "submit")
        step(chief, article, "approve")
        want = f"发布基准 {n}"
        data = {"base": writer.base_of(article)}
        writer.post(f"/admin/articles/{article}/publish", data)
        published = time.perf_counter()
        seen = {}
        while len(seen) < 2:
            for name, node in (("a", node_a), ("b", node_b)):
                if name not in seen and title_of(node, path) == want:
                    seen[name] = time.perf_counter() - published
            if time.perf_counter() - published > 30:
                raise SystemExit(f"round {n}: not visible after 30 s: {seen}")
            time.sleep(0.002)
        # The first round warms both nodes' caches; it is not counted.
        if n > 0:
            same.append(seen["a"] * 1000)
            other.append(seen["b"] * 1000)
    for label, values in (("same node", same), ("second node", other)):
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"| {label} | {len(values)} | {statistics.median(values):.1f} ms | {p99:.1f} ms | {max(values):.1f} ms |")


if __name__ == "__main__":
    main()
