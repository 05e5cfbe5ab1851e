"""`accord watch`: feeds fetched from a real local server, each page fetched and stored once."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accord.cli import app
from accord.run.watch import interval_seconds
from accord.store.database import Store

PAGE = """<!DOCTYPE html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1><p>{first}</p>
<p>Officials said the talks would continue next month in the capital, with experts from several
ministries taking part in working groups on standards, testing and research funding.</p></article>
<footer>Contact us | Terms of use</footer></body></html>"""

STORIES = {
    "/news/1": ("Norway signs AI declaration", "Norway signed the Oslo Declaration on Safe Artificial Intelligence "
                "on Tuesday, joining 30 other countries at a summit."),
    "/news/2": ("Rovers win derby", "Ashford Rovers beat Belmont United 2-1 on Saturday in front of a crowd of "
                "12,000 supporters at the old ground."),
    "/news/3": ("Rain expected", "Forecasters warned of heavy rain across the northern region from Friday, "
                "with travel disruption likely on the main roads."),
}


def rss(paths: list[str], base: str) -> str:
    items = "".join(f"<item><title>{STORIES.get(p, ('Later story',))[0]}</title><link>{base}{p}</link></item>" for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test news</title><link>{base}/</link>'
            f"<description>Latest</description>{items}</channel></rss>")


class Site:
    """A local news site: a feed listing `listed` pages, and a log of every path requested."""

    def __init__(self):
        self.listed = ["/news/1", "/news/2"]
        self.requests: list[str] = []
        self.pages = {p: PAGE.format(title=t, first=f) for p, (t, f) in STORIES.items()}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                site.requests.append(self.path)
                if self.path == "/feed.xml":
                    body, kind = rss(site.listed, site.base), "application/rss+xml"
                elif self.path in site.pages:
                    body, kind = site.pages[self.path], "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pages_fetched(self) -> list[str]:
        return [p for p in self.requests if p.startswith("/news/")]


@pytest.fixture
def site():
    s = Site()
    yield s
    s.server.shutdown()
    s.server.server_close()


def test_each_page_is_fetched_once_across_passes(site, runner, tmp_path):
    db = tmp_path / "k.db"
    feed = f"{site.base}/feed.xml"
    first = runner.invoke(app, ["watch", feed, "--once", "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "links 2" in first.output and "new 2" in first.output
    assert sorted(site.pages_fetched()) == ["/news/1", "/news/2"]

    second = runner.invoke(app, ["watch", feed, "--once", "--db", str(db)])
    assert "already seen 2" in second.output and "new 0" in second.output
    assert len(site.pages_fetched()) == 2  # nothing fetched again

    site.listed.append("/news/3")
    third = runner.invoke(app, ["watch", feed, "--once", "--db", str(db)])
    assert "new 1" in third.output
    assert sorted(site.pages_fetched()) == ["/news/1", "/news/2", "/news/3"]
    assert site.requests.count("/feed.xml") == 3
    with Store(db) as store:
        assert store.counts()["documents"] == 3
        urls = [r[0] for r in store.conn.execute("SELECT url FROM seen_urls ORDER BY url")]
    assert urls == [f"{site.base}/news/{i}" for i in (1, 2, 3)]


def test_a_known_page_under_a_new_url_is_not_processed_again(site, runner, tmp_path):
    db = tmp_path / "k.db"
    site.pages["/copy/1"] = site.pages["/news/1"]
    runner.invoke(app, ["watch", f"{site.base}/feed.xml", "--once", "--db", str(db)])
    result = runner.invoke(app, ["watch", f"{site.base}/copy/1", "--once", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "new 0, unchanged 1" in result.output
    again = runner.invoke(app, ["watch", f"{site.base}/copy/1", "--once", "--db", str(db)])
    assert "already seen 1" in again.output
    assert site.requests.count("/copy/1") <= 2  # looked at on the first pass only


def test_an_unreachable_page_is_retried_on_the_next_pass(site, runner, tmp_path):
    db = tmp_path / "k.db"
    site.listed = ["/news/9"]
    result = runner.invoke(app, ["watch", f"{site.base}/feed.xml", "--once", "--db", str(db)])
    assert "failed 1" in result.output
    site.pages["/news/9"] = site.pages["/news/3"]
    result = runner.invoke(app, ["watch", f"{site.base}/feed.xml", "--once", "--db", str(db)])
    assert "new 1" in result.output


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("30s", 30), ("1h", 3600), ("2d", 172800), ("45", 45)])
def test_intervals(text, seconds):
    assert interval_seconds(text) == seconds


def test_a_bad_interval_names_the_expected_form(runner, tmp_path):
    result = runner.invoke(app, ["watch", "http://127.0.0.1:9/feed", "--every", "soon", "--db", str(tmp_path / "k")])
    assert result.exit_code == 2 and "15m" in result.output
