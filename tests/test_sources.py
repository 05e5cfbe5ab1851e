"""The sources stage: files, folders, WARC, JSONL, feeds, standard input and URLs into RawDocuments.

Inputs are built in tmp_path; URLs are fetched from a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from accord.records import RawDocument, ReadFailure
from accord.sources import HttpFetcher, read_inputs
from accord.sources.names import stem, url_name

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DAY = date(2024, 6, 1)

PAGE_HTML = "<!DOCTYPE html><html><head><title>Summit</title></head><body><p>Ministers met in Seoul.</p></body></html>"


def documents(items: list) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def failures(items: list) -> list[ReadFailure]:
    return [i for i in items if isinstance(i, ReadFailure)]


def read(*inputs: object, **options) -> list[RawDocument | ReadFailure]:
    return list(read_inputs([str(i) for i in inputs], **options))


# ---------------------------------------------------------------- builders


def write_warc(path: Path, pages: list[tuple[str, str, str]], gz: bool = True) -> list[int]:
    """A WARC with a response record per (uri, warc_date, html) and a request record after the first.

    Returns the byte offsets of the response records.
    """
    offsets = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for n, (uri, when, html) in enumerate(pages):
            offsets.append(out.tell())
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(html.encode()), http_headers=http,
                warc_headers_dict={"WARC-Date": when}))
            if n == 0:
                request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b""),
                                                              http_headers=request))
    return offsets


def rss(items: list[dict]) -> str:
    """An RSS 2.0 feed of items with title, link, optional pubDate, description and content:encoded."""
    parts = []
    for item in items:
        xml = f"<item><title>{item['title']}</title>"
        if "link" in item:
            xml += f"<link>{item['link']}</link>"
        if "date" in item:
            xml += f"<pubDate>{item['date']}</pubDate>"
        if "summary" in item:
            xml += f"<description>{item['summary']}</description>"
        if "content" in item:
            xml += f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>"
        parts.append(xml + "</item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<title>News</title><link>https://example.org/</link><description>All news</description>"
            + "".join(parts) + "</channel></rss>")


# ---------------------------------------------------------------- names


def test_stems_drop_every_known_extension() -> None:
    assert stem("a.warc.gz") == "a"
    assert stem("b.txt") == "b"
    assert stem("news.jsonl.gz") == "news"
    assert stem("v1.2.html") == "v1.2"
    assert stem("notes.md") == "notes"


def test_url_names_are_slugs_of_the_last_segment_or_host() -> None:
    assert url_name("https://news.example.org/2024/05/AI-Summit_Ends.html?x=1") == "ai-summit-ends"
    assert url_name("https://news.example.org/") == "news-example-org"
    assert url_name("http://127.0.0.1:8080") == "127-0-0-1"


# ---------------------------------------------------------------- single files


def test_text_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "capture.txt").write_text("\ufeffLeaders met.\nThey signed.\n", encoding="utf-8")
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 d\xe9claration</p></body></html>'
    (tmp_path / "page.htm").write_bytes(latin.encode("latin-1"))
    text, html = read(tmp_path / "capture.txt", tmp_path / "page.htm", reference_date=DAY)
    assert (text.doc, text.kind, text.content, text.reference_date) == ("capture", "text", "Leaders met.\nThey signed.\n", DAY)
    assert text.source == str(tmp_path / "capture.txt")
    assert (html.doc, html.kind) == ("page", "html")
    assert "Café déclaration" in html.content


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "saved.page").write_text(PAGE_HTML, encoding="utf-8")
    (tmp_path / "notes.dat").write_text("Plain words about a treaty.", encoding="utf-8")
    html, text = read(tmp_path / "saved.page", tmp_path / "notes.dat")
    assert (html.doc, html.kind) == ("saved", "html")
    assert (text.doc, text.kind) == ("notes", "text")


def test_bad_files_give_failures_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(100)))
    (tmp_path / "big.txt").write_text("word " * 100, encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Fine.", encoding="utf-8")
    items = read(tmp_path / "empty.txt", tmp_path / "blank.txt", tmp_path / "image.html",
                 tmp_path / "missing.txt", tmp_path / "big.txt", tmp_path / "ok.txt" / "under-a-file.txt",
                 tmp_path / "ok.txt", max_bytes=200)
    reasons = {Path(f.source).name: f.reason for f in failures(items)}
    assert reasons["empty.txt"] == "empty file"
    assert "empty" in reasons["blank.txt"]
    assert "binary content" in reasons["image.html"]
    assert reasons["missing.txt"] == "no such file or directory"
    assert "larger than 200 bytes" in reasons["big.txt"]
    assert reasons["under-a-file.txt"] == "cannot be read: Not a directory"
    assert [d.doc for d in documents(items)] == ["ok"]
    assert all("\n" not in str(f) for f in failures(items))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    try:
        [failure] = read(locked)
        assert failure.reason == "permission denied"
    finally:
        locked.chmod(0o644)


# ---------------------------------------------------------------- JSONL


JSONL_LINES = [
    '{"id": "art-1", "text": "First story.", "url": "https://example.org/1", "title": "One", "published": "2024-05-02T08:00:00Z"}',
    '{"html": "<p>Second story.</p>"}',
    '{"text": "broken", ',
    '{"title": "no content"}',
    "",
    '{"text": "Fifth line story."}',
]


def test_jsonl_articles_and_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    items = read(path, reference_date=DAY)
    docs = documents(items)
    assert [(d.doc, d.kind) for d in docs] == [("art-1", "text"), ("feed-2", "html"), ("feed-6", "text")]
    first = docs[0]
    assert (first.url, first.title, first.published) == ("https://example.org/1", "One", "2024-05-02T08:00:00Z")
    assert first.reference_date == date(2024, 5, 2)
    assert docs[1].reference_date == DAY
    assert first.source == f"{path}:1"
    bad = failures(items)
    assert [f.source for f in bad] == [f"{path}:3", f"{path}:4"]
    assert "invalid JSON" in bad[0].reason
    assert "'text' or 'html'" in bad[1].reason


def test_gzipped_jsonl_and_its_truncated_copy(tmp_path: Path) -> None:
    lines = [f'{{"id": "n{i}", "text": "Story {i} {"filler " * 200}"}}' for i in range(40)]
    data = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    (tmp_path / "news.ndjson.gz").write_bytes(data)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    assert [d.doc for d in documents(read(tmp_path / "news.ndjson.gz"))] == [f"n{i}" for i in range(40)]
    items = read(tmp_path / "cut.jsonl.gz")
    kept = documents(items)
    assert 0 < len(kept) < 40
    [failure] = failures(items)
    assert "truncated" in failure.reason and failure.source == f"{tmp_path / 'cut.jsonl.gz'}:{len(kept) + 1}"


# ---------------------------------------------------------------- WARC


WARC_PAGES = [
    ("https://example.org/news/one", "2024-05-01T10:00:00Z", "<html><body><p>One " + "a" * 3000 + "</p></body></html>"),
    ("https://example.org/news/two", "2024-05-03T23:30:00Z", "<html><body><p>Two " + "b" * 3000 + "</p></body></html>"),
]


@pytest.mark.parametrize("name, gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_response_records(tmp_path: Path, name: str, gz: bool) -> None:
    path = tmp_path / name
    offsets = write_warc(path, WARC_PAGES, gz=gz)
    items = read(path, reference_date=DAY)
    assert not failures(items)
    one, two = items
    assert (one.doc, one.kind, one.url, one.reference_date) == ("crawl-1", "html", WARC_PAGES[0][0], date(2024, 5, 1))
    assert (two.doc, two.url, two.reference_date) == ("crawl-2", WARC_PAGES[1][0], date(2024, 5, 3))
    assert [one.source, two.source] == [f"{path}#{offsets[0]}", f"{path}#{offsets[1]}"]
    assert two.content == WARC_PAGES[1][2]


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_records_before_the_break(tmp_path: Path, gz: bool) -> None:
    whole = tmp_path / "whole.warc"
    offsets = write_warc(whole, WARC_PAGES, gz=gz)
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    data = whole.read_bytes()
    cut.write_bytes(data[: (offsets[1] + len(data)) // 2])
    items = read(cut)
    assert [d.doc for d in documents(items)] == ["cut-1"]
    [failure] = failures(items)
    assert failure.source == f"{cut}#{offsets[1]}"
    assert f"byte offset {offsets[1]}" in failure.reason


def test_not_a_warc(tmp_path: Path) -> None:
    (tmp_path / "fake.warc").write_text("hello, this is not an archive", encoding="utf-8")
    [failure] = read(tmp_path / "fake.warc")
    assert "byte offset 0" in failure.reason


# ---------------------------------------------------------------- feeds (files)


def test_feed_file_items(tmp_path: Path) -> None:
    feed = rss([
        {"title": "Full story", "link": "https://example.org/news/full-story.html",
         "date": "Tue, 14 May 2024 09:00:00 GMT", "summary": "Teaser", "content": "<p>The whole story.</p>"},
        {"title": "Teaser only", "link": "https://example.org/news/teaser", "summary": "Just a teaser."},
        {"title": "No link", "summary": "A note without a link."},
    ])
    (tmp_path / "world.rss").write_text(feed, encoding="utf-8")
    full, teaser, unlinked = read(tmp_path / "world.rss", reference_date=DAY)
    assert (full.doc, full.kind, full.title) == ("full-story", "html", "Full story")
    assert "The whole story." in full.content and "Teaser" not in full.content
    assert (full.published, full.reference_date) == ("2024-05-14", date(2024, 5, 14))
    assert (teaser.doc, teaser.url, teaser.content, teaser.reference_date) == (
        "teaser", "https://example.org/news/teaser", "Just a teaser.", DAY)
    assert unlinked.doc == "world-3"


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    (tmp_path / "config.xml").write_text('<?xml version="1.0"?><config><a>1</a></config>', encoding="utf-8")
    [failure] = read(tmp_path / "config.xml")
    assert "not an RSS or Atom feed" in failure.reason


# ---------------------------------------------------------------- folders


def test_folder_walk_sorted_recursive_ignoring(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "b-sub" / "deeper").mkdir(parents=True)
    (corpus / "drafts").mkdir()
    (corpus / ".git").mkdir()
    (corpus / "a.txt").write_text("A.", encoding="utf-8")
    (corpus / "c.html").write_text(PAGE_HTML, encoding="utf-8")
    (corpus / "b-sub" / "x.txt").write_text("X.", encoding="utf-8")
    (corpus / "b-sub" / "deeper" / "y.htm").write_text(PAGE_HTML, encoding="utf-8")
    (corpus / "b-sub" / "gold.jsonl").write_text('{"text": "kept: ignore files act in their own folder"}\n',
                                                  encoding="utf-8")
    (corpus / "drafts" / "d.txt").write_text("draft", encoding="utf-8")
    (corpus / ".git" / "h.txt").write_text("hidden", encoding="utf-8")
    (corpus / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (corpus / "notes.md").write_text("not an input", encoding="utf-8")
    (corpus / "gold.jsonl").write_text('{"doc": "a", "events": []}\n', encoding="utf-8")
    (corpus / ".accordignore").write_text("# the gold is not an input\ngold.jsonl\ndrafts/\nb-sub/deeper/*.htm\n",
                                          encoding="utf-8")
    items = read(corpus)
    assert not failures(items)
    assert [d.doc for d in items] == ["a", "gold-1", "x", "c"]


def test_folder_is_read_lazily(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    stream = read_inputs([str(tmp_path)])
    assert next(stream).doc == "a"
    (tmp_path / "b.txt").unlink()
    [gone] = list(stream)
    assert gone.reason == "no such file or directory"


def test_seed_folder(seeds: Path) -> None:
    items = read(seeds)
    assert not failures(items)
    assert [d.doc for d in items] == sorted(p.stem for p in seeds.glob("*.txt"))
    assert len(items) == 5 and all(d.kind == "text" and d.content.strip() for d in items)


# ---------------------------------------------------------------- standard input


class Pipe(io.RawIOBase):
    """A read-only, unseekable stream like a shell pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(min(len(buffer), 1000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_stdin_is_sniffed(tmp_path: Path) -> None:
    jsonl = read("-", stdin=Pipe("\n".join(JSONL_LINES[:2]).encode()))
    assert [(d.doc, d.kind, d.source) for d in jsonl] == [("art-1", "text", "<stdin>:1"), ("stdin-2", "html", "<stdin>:2")]
    [html] = read("-", stdin=Pipe(PAGE_HTML.encode()))
    assert (html.doc, html.kind) == ("stdin", "html")
    [text] = read("-", stdin=Pipe(b"Just words."))
    assert (text.kind, text.content) == ("text", "Just words.")
    write_warc(tmp_path / "w.warc.gz", WARC_PAGES)
    warc = read("-", stdin=Pipe((tmp_path / "w.warc.gz").read_bytes()))
    assert [d.doc for d in warc] == ["stdin-1", "stdin-2"]
    [empty] = read("-", stdin=Pipe(b""))
    assert (empty.source, empty.reason) == ("<stdin>", "empty file")


# ---------------------------------------------------------------- URLs


class Site:
    """A real HTTP server on 127.0.0.1 serving fixed routes; remembers each request's path and User-Agent."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[tuple[str, str | None]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.requests.append((self.path, self.headers.get("User-Agent")))
                status, headers, body = site.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"none"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Location" not in headers and not headers.get("X-Unsized"):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8",
            status: int = 200, **headers: str) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, data)
        return self.base + path


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = Site()
    server.thread.start()
    base = server.base
    server.add("/news/ai-summit.html", PAGE_HTML)
    server.add("/", PAGE_HTML)
    server.add("/plain", "Plain words about an accord.", "text/plain; charset=utf-8")
    server.add("/news/item-two.html", "<html><body><p>The full second story.</p></body></html>")
    server.add("/news/full-story.html", "<html><body><p>Should not be fetched.</p></body></html>")
    server.add("/feed", rss([
        {"title": "Full", "link": "/news/full-story.html", "date": "Tue, 14 May 2024 09:00:00 GMT",
         "content": "<p>Complete text in the feed.</p>"},
        {"title": "Second", "link": f"{base}/news/item-two.html", "date": "Wed, 15 May 2024 10:00:00 GMT",
         "summary": "Teaser two."},
        {"title": "Gone", "link": f"{base}/gone", "summary": "Teaser of a gone page."},
    ]), "application/rss+xml")
    server.add("/feed-as-xml", rss([{"title": "T", "content": "<p>Body.</p>"}]), "text/xml")
    server.add("/big.html", "<p>" + "x" * 5000 + "</p>")
    server.add("/unsized-big.html", "<p>" + "x" * 5000 + "</p>", **{"X-Unsized": "1"})
    server.add("/huge.html", b"<p>" + b"y" * (10 * 1024 * 1024) + b"</p>")
    server.add("/doc.pdf", b"%PDF-1.4 ...", "application/pdf")
    server.add("/moved", b"", status=302, Location="/news/ai-summit.html")
    server.add("/loop", b"", status=302, Location="/loop")
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def fetcher() -> Iterator[HttpFetcher]:
    with HttpFetcher(min_interval=0) as fetch:
        yield fetch


def test_url_page_with_default_fetcher(site: Site) -> None:
    url = site.base + "/news/ai-summit.html"
    [page] = read(url)
    assert (page.doc, page.kind, page.url, page.source, page.content) == ("ai-summit", "html", url, url, PAGE_HTML)
    assert page.reference_date == date.today()
    assert (("/news/ai-summit.html", "Accord/0.1 (+https://example.org/accord)") in site.requests)
    [dated] = read(url, reference_date=DAY)
    assert dated.reference_date == DAY


def test_url_kinds_names_and_redirects(site: Site, fetcher: HttpFetcher) -> None:
    root, plain, moved = read(site.base + "/", site.base + "/plain", site.base + "/moved", fetch=fetcher)
    assert (root.doc, root.kind) == ("127-0-0-1", "html")
    assert (plain.doc, plain.kind, plain.content) == ("plain", "text", "Plain words about an accord.")
    assert (moved.doc, moved.url, moved.content) == ("moved", site.base + "/news/ai-summit.html", PAGE_HTML)


def test_url_failures(site: Site, fetcher: HttpFetcher) -> None:
    small = HttpFetcher(min_interval=0, max_bytes=1000)
    try:
        items = read(site.base + "/big.html", site.base + "/unsized-big.html", fetch=small)
    finally:
        small.close()
    items += read(site.base + "/missing", site.base + "/loop", site.base + "/doc.pdf",
                  "http://127.0.0.1:1/nothing-listens", site.base + "/huge.html", fetch=fetcher)
    reasons = [f.reason for f in items]
    assert reasons[0] == reasons[1] == "larger than 1000 bytes (download limit)"
    assert reasons[2] == "HTTP 404 Not Found"
    assert reasons[3] == "too many redirects (more than 5)"
    assert reasons[4] == "unsupported content type application/pdf"
    assert reasons[5].startswith("could not connect")
    assert reasons[6] == "larger than 10 MB (download limit)"


def test_url_feed_fetches_items_without_full_content(site: Site, fetcher: HttpFetcher) -> None:
    feed_url = site.base + "/feed"
    items = read(feed_url, fetch=fetcher)
    full, second, gone_failure, gone_teaser = items
    assert (full.doc, full.title, full.url, full.reference_date) == (
        "full-story", "Full", site.base + "/news/full-story.html", date(2024, 5, 14))
    assert "Complete text in the feed." in full.content
    assert (second.doc, second.source, second.published) == ("item-two", site.base + "/news/item-two.html", "2024-05-15")
    assert "The full second story." in second.content
    assert (gone_failure.source, gone_failure.reason) == (site.base + "/gone", "HTTP 404 Not Found")
    assert (gone_teaser.content, gone_teaser.reference_date) == ("Teaser of a gone page.", date.today())
    assert ("/news/full-story.html", "Accord/0.1 (+https://example.org/accord)") not in site.requests
    [sniffed] = read(site.base + "/feed-as-xml", fetch=fetcher)
    assert (sniffed.doc, sniffed.content) == ("feed-as-xml-1", "<p>Body.</p>")


def test_feed_file_fetches_links_when_given_a_fetcher(tmp_path: Path, site: Site, fetcher: HttpFetcher) -> None:
    (tmp_path / "local.xml").write_text(rss([
        {"title": "Second", "link": f"{site.base}/news/item-two.html", "summary": "Teaser two."}]), encoding="utf-8")
    [without] = read(tmp_path / "local.xml")
    assert without.content == "Teaser two."
    [fetched] = read(tmp_path / "local.xml", fetch=fetcher, reference_date=DAY)
    assert "The full second story." in fetched.content and fetched.reference_date == DAY


def test_a_plain_function_is_a_fetcher(tmp_path: Path) -> None:
    from accord.sources import Fetched

    def offline(url: str) -> Fetched:
        return Fetched(url, b"<p>Offline copy.</p>", "text/html", None, DAY)

    [page] = read("https://example.org/news/offline-story", fetch=offline)
    assert (page.doc, page.content, page.reference_date) == ("offline-story", "<p>Offline copy.</p>", DAY)
