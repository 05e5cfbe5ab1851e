"""A hostile corpus, generated into a folder, and what Accord must make of each of its inputs.

`build_corpus` writes binary and empty files, 200 MB of text (streamed to disk), HTML
nested 100,000 deep, XML entity bombs and external-entity (XXE) feeds, gzip bombs, every
kind of wrong or missing text encoding, truncated and corrupt gzip and WARC files, WARC
files with wrong Content-Lengths and garbage between records, JSONL with broken lines,
odd file names, and pipes and symbolic links where files should be, next to a few good
news articles. It returns one `Case` per input: the document it must give (`content`)
or the one-line failure (`reason`), or both for containers that are partly good.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

MIB = 1 << 20

GOOD_TEXT = (
    "Seoul, 21 May 2024 - Ministers from sixteen countries signed the Seoul Declaration on safe and "
    "innovative AI on Tuesday. France and Germany pledged new funding for AI safety institutes, and "
    "the United Kingdom said it would host the next meeting of the network.\n\n"
    "The declaration builds on the Bletchley Declaration adopted in November 2023."
)
SECRET_MARK = "TOP-SECRET-MARKER-7f3a"
"""Text of a file outside the corpus that no input may bring into the store."""


@dataclass(frozen=True)
class Case:
    """One hostile input and what reading it must give.

    `content`: a document of this input must contain it. `reason`: a failure naming this
    input must contain it. `offset`: that failure must name a byte offset (WARC problems).
    `docs`: how many documents the input must give (None: at least one when `content`).
    """

    name: str
    what: str
    content: str = ""
    reason: str = ""
    offset: bool = False
    docs: int | None = None

    @property
    def outcome(self) -> str:
        if self.content and self.reason:
            return "both"
        return "document" if self.content else "failure"


# ---------------------------------------------------------------- builders


def article(title: str, body: str = GOOD_TEXT) -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p></article></body></html>")


def gzip_bomb(path: Path, prefix: bytes, size: int, fill: bytes = b"\0") -> None:
    """A one-member gzip file of `prefix` and then `size` bytes of `fill`, a few KB on disk.

    A compressed MiB of `fill`, ended by a full flush so it refers to nothing before it, is
    written again and again; the trailer carries the real CRC and size of the whole.
    """
    unit = fill * MIB
    squeezer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = squeezer.compress(prefix) + squeezer.flush(zlib.Z_FULL_FLUSH)
    block = squeezer.compress(unit) + squeezer.flush(zlib.Z_FULL_FLUSH)
    final = squeezer.flush(zlib.Z_FINISH)[:-8]
    crc = zlib.crc32(prefix)
    with path.open("wb") as out:
        out.write(first)
        for _ in range(size // MIB):
            out.write(block)
            crc = zlib.crc32(unit, crc)
        out.write(final + struct.pack("<II", crc, (len(prefix) + size // MIB * MIB) & 0xFFFFFFFF))


def warc_bytes(pages: list[tuple[str, bytes]], gz: bool = True, headers: list[tuple[str, str]] | None = None) -> tuple[bytes, list[int]]:
    """A WARC of one response record per (uri, body), and the byte offset of each record."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    offsets = []
    for uri, body in pages:
        offsets.append(out.tell())
        http = StatusAndHeaders("200 OK", headers or [("Content-Type", "text/html; charset=utf-8")],
                                protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                                      warc_headers_dict={"WARC-Date": "2024-05-21T10:00:00Z"}))
    return out.getvalue(), offsets


def raw_warc_record(uri: str, block: bytes, length: int | None = None) -> bytes:
    """An uncompressed WARC response record written by hand, with a chosen Content-Length."""
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-21T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block) if length is None else length}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


def http_block(body: bytes, *headers: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def feed(description: str, doctype: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n<rss version="2.0"><channel><title>News</title>'
            f"<link>https://example.org/</link><description>x</description><item><title>Item</title>"
            f"<link>https://example.org/item</link><description>{description}</description></item></channel></rss>")


# ---------------------------------------------------------------- the corpus


def build_corpus(root: Path, secret: Path) -> list[Case]:
    """Write the hostile corpus into `root` (a secret file goes to `secret`, outside it); its cases."""
    root.mkdir(parents=True, exist_ok=True)
    secret.write_text(feed(f"<p>{SECRET_MARK}</p>"), encoding="utf-8")
    cases: list[Case] = []
    cases += _good(root)
    cases += _binary_and_empty(root)
    cases += _big_and_deep(root)
    cases += _xml_attacks(root, secret)
    cases += _gzip_bombs(root)
    cases += _encodings(root)
    cases += _broken_containers(root)
    cases += _jsonl(root)
    cases += _odd_names(root)
    cases += _not_files(root, secret)
    return cases


def _good(root: Path) -> list[Case]:
    (root / "good-article.html").write_text(article("Seoul summit"), encoding="utf-8")
    (root / "good-capture.txt").write_text("AI summit ends\n\n" + GOOD_TEXT.replace("Seoul Declaration", "Seoul Statement"),
                                           encoding="utf-8")
    return [Case("good-article.html", "a good HTML page", content="Seoul Declaration"),
            Case("good-capture.txt", "a good text capture", content="Seoul Statement")]


def _binary_and_empty(root: Path) -> list[Case]:
    rng = random.Random(7)
    (root / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4000))
    (root / "noise.txt").write_bytes(rng.randbytes(8192))
    (root / "controls.txt").write_bytes(bytes(rng.choice(range(1, 9)) for _ in range(3000)))
    (root / "elf.xml").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))
    for name in ("zero.txt", "zero.html", "zero.warc.gz", "zero.jsonl", "zero.xml"):
        (root / name).write_bytes(b"")
    return [
        Case("image.html", "PNG bytes named .html", reason="binary content"),
        Case("noise.txt", "8 KB of random bytes", reason="binary content"),
        Case("controls.txt", "control characters only", reason="binary content"),
        Case("elf.xml", "an executable named .xml", reason="not an RSS or Atom feed"),
        *(Case(n, "a zero-byte file", reason="empty file") for n in
          ("zero.txt", "zero.html", "zero.warc.gz", "zero.jsonl", "zero.xml")),
    ]


def _big_and_deep(root: Path) -> list[Case]:
    line = ("The committee met again to discuss the draft convention on artificial intelligence. " * 12 + "\n").encode()
    with (root / "huge.txt").open("wb") as out:
        written = 0
        while written < 200 * MIB:
            out.write(line * 512)
            written += len(line) * 512
    (root / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "<p>" + GOOD_TEXT + "</p>"
                                    + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    (root / "deep-unclosed.html").write_text("<html><body>" + "<span><b><i>" * 40_000 + GOOD_TEXT, encoding="utf-8")
    (root / "long-line.txt").write_text("word " * (4 * MIB // 5), encoding="utf-8")
    return [
        Case("huge.txt", "200 MB of text", reason="larger than 50 MB (size limit"),
        Case("deep.html", "HTML nested 100,000 deep", reason="HTML nested deeper than 255 elements (depth limit)"),
        Case("deep-unclosed.html", "120,000 unclosed inline tags", reason="nested deeper than 255"),
        Case("long-line.txt", "a 4 MB line without a break", content="word word"),
    ]


def _xml_attacks(root: Path, secret: Path) -> list[Case]:
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    (root / "billion-laughs.xml").write_text(
        feed("&lol9;", f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{laughs}]>'), encoding="utf-8")
    (root / "quadratic-blowup.xml").write_text(
        feed("&a;" * 20_000, f'<!DOCTYPE rss [<!ENTITY a "{"x" * 50_000}">]>'), encoding="utf-8")
    (root / "xxe-file.xml").write_text(feed("&xxe;", '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
                                       encoding="utf-8")
    (root / "xxe-secret.rss").write_text(feed("&xxe;", f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'),
                                         encoding="utf-8")
    (root / "xxe-http.xml").write_text(
        feed("&xxe;", '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil">]>'), encoding="utf-8")
    (root / "xxe-public.atom").write_text(
        feed("&xxe;", '<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//X//Y" "http://127.0.0.1:9/evil.dtd">]>'),
        encoding="utf-8")
    (root / "xxe-parameter.xml").write_text(
        feed("x", '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>'), encoding="utf-8")
    (root / "xxe-utf16.xml").write_bytes(
        feed("&xxe;", '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace(
            'encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"))
    (root / "external-dtd.xml").write_text(
        feed("<p>Paris summit report</p>", '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/rss.dtd">'), encoding="utf-8")
    (root / "xxe-page.html").write_text(
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + article("Entity page", GOOD_TEXT + " &xxe;"),
        encoding="utf-8")
    (root / "path-as-feed.xml").write_text(str(secret), encoding="utf-8")
    (root / "deep-feed.xml").write_text(feed("&lt;div&gt;" * 100_000 + "deep" + "&lt;/div&gt;" * 100_000),
                                        encoding="utf-8")
    return [
        Case("billion-laughs.xml", "XML billion laughs", reason="entity made of other entities"),
        Case("quadratic-blowup.xml", "one 50 KB entity used 20,000 times", reason="quadratic blowup"),
        Case("xxe-file.xml", "XXE reading file:///etc/passwd", reason="external entity"),
        Case("xxe-secret.rss", "XXE reading a secret file", reason="external entity"),
        Case("xxe-http.xml", "XXE fetching an http:// entity", reason="external entity"),
        Case("xxe-public.atom", "XXE through a PUBLIC identifier", reason="external entity"),
        Case("xxe-parameter.xml", "an external parameter entity (DTD fetch)", reason="parameter entity"),
        Case("xxe-utf16.xml", "XXE in a UTF-16 feed", reason="external entity"),
        Case("external-dtd.xml", "a feed naming an external DTD", content="Paris summit report"),
        Case("xxe-page.html", "an HTML page declaring an XXE entity", content="Seoul Declaration"),
        Case("path-as-feed.xml", "a feed whose content is the path of a secret feed", reason="not an RSS or Atom feed"),
        Case("deep-feed.xml", "a feed item of HTML nested 100,000 deep", reason="nested deeper than 255"),
    ]


def _gzip_bombs(root: Path) -> list[Case]:
    gzip_bomb(root / "bomb.html.gz", b"<html><body><p>", 2048 * MIB)
    gzip_bomb(root / "bomb.jsonl.gz", b'{"text": "first"}\n', 2048 * MIB, fill=b" ")
    gzip_bomb(root / "bomb-lines.ndjson.gz", b'{"text": "first"}\n', 2048 * MIB, fill=b"\n")
    warc_head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/bomb\r\n"
                 b"Content-Type: application/http; msgtype=response\r\nContent-Length: 2147483648\r\n\r\n"
                 b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
    gzip_bomb(root / "bomb.warc.gz", warc_head, 2048 * MIB)
    member = gzip.compress(bytes(MIB), 9, mtime=0)
    (root / "bomb-members.txt.gz").write_bytes(member * 2048)
    payload = gzip.compress(b"<html><body>" + b" " * (60 * MIB), 9, mtime=0)
    data, _ = warc_bytes([("https://example.org/zip", payload)], gz=False,
                         headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    (root / "payload-bomb.warc").write_bytes(data)
    return [
        Case("bomb.html.gz", "gzip bomb: 2 GB of zeros in 2 MB", reason="decompression limit"),
        Case("bomb.jsonl.gz", "gzip bomb: a 2 GB line of spaces after a good line", content="first",
             reason="decompression limit"),
        Case("bomb-lines.ndjson.gz", "gzip bomb: 2 GB of empty lines after a good line", content="first",
             reason="record limit"),
        Case("bomb.warc.gz", "gzip bomb: a WARC record of 2 GB", reason="decompression limit", offset=True),
        Case("bomb-members.txt.gz", "gzip bomb of 2048 members", reason="decompression limit"),
        Case("payload-bomb.warc", "a WARC page whose gzip Content-Encoding expands to 60 MB",
             reason="payload decompresses to more than 50 MB", offset=True),
    ]


def _encodings(root: Path) -> list[Case]:
    french = "Le sommet de l’IA à Paris — la déclaration « historique » a été signée par la France."
    (root / "cp1252-undeclared.html").write_bytes(f"<html><body><p>{french}</p></body></html>".encode("cp1252"))
    (root / "cp1252-undeclared.txt").write_bytes("The “AI Act” was adopted — Europe’s first law.".encode("cp1252"))
    (root / "latin1-meta.html").write_bytes(
        f'<html><head><meta charset="iso-8859-1"></head><body><p>{french}</p></body></html>'.encode("cp1252"))
    japanese = "人工知能に関する国際的な枠組みについて、日本政府は新しい方針を発表した。"
    (root / "sjis-meta.html").write_bytes(
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head>'
        f"<body><p>{japanese}</p></body></html>".encode("shift_jis"))
    (root / "utf8-bom.html").write_bytes(b"\xef\xbb\xbf" + article("Café summit").encode())
    (root / "utf8-bom.jsonl").write_bytes(b'\xef\xbb\xbf{"id": "bom-line", "text": "Caf\xc3\xa9 accord"}\n')
    (root / "invalid-utf8.txt").write_bytes("Déclaration de Séoul — signée à Genève. ".encode() * 20 + b"\xff\xfe\xc3(")
    (root / "meta-lies.html").write_bytes(
        f'<html><head><meta charset="utf-8"></head><body><p>{french}</p></body></html>'.encode("cp1252"))
    (root / "mojibake.txt").write_text("CafÃ© dÃ©claration â€” the â€œAI Actâ€\x9d was signed.", encoding="utf-8")
    (root / "utf16-bom.txt").write_bytes("Déclaration sur l’IA".encode("utf-16"))
    return [
        Case("cp1252-undeclared.html", "windows-1252 without a declaration", content="l’IA à Paris — la déclaration"),
        Case("cp1252-undeclared.txt", "short windows-1252 text", content="“AI Act” was adopted — Europe’s"),
        Case("latin1-meta.html", "windows-1252 bytes labelled iso-8859-1", content="« historique » a été"),
        Case("sjis-meta.html", "Shift-JIS with a meta charset", content=japanese),
        Case("utf8-bom.html", "UTF-8 with a BOM", content="<!DOCTYPE html>"),
        Case("utf8-bom.jsonl", "a JSONL line starting with a BOM", content="Café accord"),
        Case("invalid-utf8.txt", "UTF-8 with broken bytes", content="signée à Genève"),
        Case("meta-lies.html", "windows-1252 labelled utf-8", content="a été signée"),
        Case("mojibake.txt", "double-encoded UTF-8 (mojibake)", content="Café déclaration — the “AI Act” was"),
        Case("utf16-bom.txt", "UTF-16 with a BOM", content="Déclaration sur l’IA"),
    ]


def _broken_containers(root: Path) -> list[Case]:
    pages = [(f"https://example.org/news/{n}", article(f"Story {n}").encode()) for n in range(3)]
    whole_gz, offsets_gz = warc_bytes(pages, gz=True)
    (root / "truncated.warc.gz").write_bytes(whole_gz[: (offsets_gz[2] + len(whole_gz)) // 2])
    whole, offsets = warc_bytes(pages, gz=False)
    (root / "truncated.warc").write_bytes(whole[: (offsets[2] + len(whole)) // 2])
    (root / "cut-header.warc").write_bytes(whole[: offsets[1] + 40])
    (root / "garbage-between.warc").write_bytes(
        whole[: offsets[1]] + b"\x00garbage \xff\xfe not a record\r\n" * 50 + whole[offsets[1]:])
    (root / "garbage-between.warc.gz").write_bytes(whole_gz[: offsets_gz[1]] + b"\x00\x01garbage" + whole_gz[offsets_gz[1]:])
    body = http_block(article("Short length").encode())
    good = raw_warc_record("https://example.org/after", http_block(article("After the damage").encode()))
    (root / "short-length.warc").write_bytes(raw_warc_record("https://example.org/short", body, len(body) - 300) + good)
    (root / "long-length.warc").write_bytes(raw_warc_record("https://example.org/long", body, len(body) + 10) + good
                                            + good)
    (root / "bad-length.warc").write_bytes(raw_warc_record("https://example.org/bad", body, None).replace(
        f"Content-Length: {len(body)}".encode(), b"Content-Length: 99999999999999999999999") + good)
    (root / "endless-header.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nX-Pad: " + b"a" * (3 * MIB))
    (root / "not-a-warc.warc").write_text("hello, this is not an archive", encoding="utf-8")
    pieces = [b"<html><body><p>Chunked ", GOOD_TEXT.encode(), b"</p></body></html>"]
    chunked = http_block(b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n",
                         "Transfer-Encoding: chunked")
    (root / "chunked.warc").write_bytes(raw_warc_record("https://example.org/chunked", chunked))
    gz_html = gzip.compress(article("Zipped page").encode(), mtime=0)
    (root / "truncated.html.gz").write_bytes(gz_html[: len(gz_html) // 2])
    (root / "corrupt.html.gz").write_bytes(gz_html[:20] + bytes(b ^ 0x5A for b in gz_html[20:]))
    lines = b"".join(b'{"id": "z%d", "text": "Story %d %s"}\n' % (i, i, b"filler " * 300) for i in range(30))
    gz_lines = gzip.compress(lines, mtime=0)
    (root / "truncated.jsonl.gz").write_bytes(gz_lines[: len(gz_lines) // 2])
    return [
        Case("truncated.warc.gz", "a WARC.gz cut inside its third record", content="Story 1",
             reason=f"byte offset {offsets_gz[2]}", offset=True, docs=2),
        Case("truncated.warc", "a WARC cut inside its third record", content="Story 1",
             reason=f"truncated WARC data at byte offset {offsets[2]}", offset=True, docs=2),
        Case("cut-header.warc", "a WARC cut inside a record header", content="Story 0",
             reason=f"byte offset {offsets[1]}", offset=True, docs=1),
        Case("garbage-between.warc", "garbage between WARC records", content="Story 2",
             reason=f"not WARC data at byte offset {offsets[1]}", offset=True, docs=3),
        Case("garbage-between.warc.gz", "garbage between WARC.gz members", content="Story 2",
             reason=f"not gzip data at byte offset {offsets_gz[1]}", offset=True, docs=3),
        Case("short-length.warc", "a WARC record with a Content-Length 300 bytes short", content="After the damage",
             reason="does not end the record", offset=True, docs=1),
        Case("long-length.warc", "a WARC record with a Content-Length 10 bytes long", content="After the damage",
             reason="does not end the record", offset=True, docs=1),
        Case("bad-length.warc", "a WARC record with an absurd Content-Length", content="After the damage",
             reason="no valid Content-Length", offset=True, docs=1),
        Case("endless-header.warc", "a 3 MB WARC header line", reason="byte offset 0", offset=True, docs=0),
        Case("not-a-warc.warc", "text named .warc", reason="not WARC data at byte offset 0", offset=True),
        Case("chunked.warc", "a chunked HTTP payload in a WARC", content="<p>Chunked Seoul"),
        Case("truncated.html.gz", "a gzip page cut in half", reason="truncated"),
        Case("corrupt.html.gz", "a gzip page with scrambled bytes", reason="corrupt gzip data"),
        Case("truncated.jsonl.gz", "a JSONL.gz cut in half", content="Story 0", reason="truncated"),
    ]


def _jsonl(root: Path) -> list[Case]:
    lines = [
        '{"id": "ok-1", "text": "A good line about the AI convention."}',
        '{"text": "broken", ',
        "[1, 2, 3]",
        "[" * 100_000 + "]" * 100_000,
        '{"text": ' + "9" * 5000 + "}",
        '{"id": "surrogate", "text": "Lone \\ud800 surrogate about AI rules."}',
        '{"id": ["not", "a", "name"], "text": "List id"}',
        '{"text": 42}',
        "",
        '{"id": "ok-2", "html": "<p>A good HTML line.</p>"}',
    ]
    data = "\n".join(lines).encode() + b'\n{"text": "bad \xff byte"}\n' + b'{"id": "ok-3", "text": "Last."}'
    (root / "broken-lines.jsonl").write_bytes(data)
    return [Case("broken-lines.jsonl", "JSONL with broken, deep, huge-number and non-UTF-8 lines",
                 content="A good line", reason="invalid JSON", docs=5)]


def _odd_names(root: Path) -> list[Case]:
    names = ["with space.txt", "ünïcödé 日本語.txt", "new\nline.txt", "-leading-dash.txt", "x" * 240 + ".txt",
             "[bold]markup.txt", "tab\tand\x1b[31mescape.txt", "line\u2028sep.txt", "quote'\"$(touch x).txt"]
    cases = []
    for n, name in enumerate(names):
        (root / name).write_text(f"Odd name story {n}.\n\n{GOOD_TEXT}", encoding="utf-8")
        cases.append(Case(name, f"a file named {name[:30]!r}", content=f"Odd name story {n}."))
    (root / "[bold]empty.txt").write_bytes(b"")
    cases.append(Case("[bold]empty.txt", "an empty file named like console markup", reason="empty file"))
    bad = os.fsencode(root) + b"/bad-\xff-bytes.txt"
    with open(bad, "wb") as out:
        out.write(f"Odd name story undecodable.\n\n{GOOD_TEXT}".encode())
    cases.append(Case(os.fsdecode(b"bad-\xff-bytes.txt"), "a file name that is not UTF-8",
                      content="Odd name story undecodable."))
    return cases


def _not_files(root: Path, secret: Path) -> list[Case]:
    os.mkfifo(root / "pipe.txt")
    (root / "link-out.xml").symlink_to(secret)
    (root / "link-passwd.txt").symlink_to("/etc/passwd")
    (root / "dangling.html").symlink_to(root / "nowhere.html")
    (root / "loop").mkdir()
    (root / "loop" / "again").symlink_to(root / "loop")
    (root / "loop" / "inside.txt").write_text(f"Inside a loop.\n\n{GOOD_TEXT}", encoding="utf-8")
    return [
        Case("pipe.txt", "a named pipe", reason="not a regular file"),
        Case("link-out.xml", "a symbolic link to a secret file", reason="outside the folder (not followed)"),
        Case("link-passwd.txt", "a symbolic link to /etc/passwd", reason="outside the folder (not followed)"),
        Case("dangling.html", "a dangling symbolic link", reason="broken symbolic link"),
        Case("loop/inside.txt", "a file in a folder with a symlink loop", content="Inside a loop.", docs=1),
    ]


# ---------------------------------------------------------------- the probe (run in a subprocess)


NETWORK_EVENTS = ("socket.", "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect")
"""Audit events (sys.addaudithook) that mean a network connection is being made or looked up."""


def probe(root: str, watched: list[str]) -> None:
    """Read `root` with the real reader under an audit hook, printing one JSON line per item.

    The hook records network events and every opening of a `watched` path. After the run,
    one connection and one opening of a watched path are attempted on purpose (canaries),
    proving the hook sees them. The last line holds the events, the time (in all, and the longest wait for one item) and
    the peak RSS.
    """
    import json
    import socket
    import sys
    import time

    events: list[list[str]] = []

    def hook(event: str, args: tuple) -> None:
        if event.startswith(NETWORK_EVENTS):
            events.append([event, repr(args)[:200]])
        elif event == "open" and args and isinstance(args[0], str | bytes) and os.fsdecode(args[0]) in watched:
            events.append([event, os.fsdecode(args[0])])

    sys.addaudithook(hook)
    from accord.records import ReadFailure
    from accord.sources import read_inputs

    started = last = time.monotonic()
    slowest = (0.0, "")
    for item in read_inputs([root]):
        now = time.monotonic()
        slowest = max(slowest, (now - last, item.source))
        last = now
        if isinstance(item, ReadFailure):
            record = {"failure": True, "source": item.source, "reason": item.reason, "text": str(item)}
        else:
            record = {"failure": False, "source": item.source, "doc": item.doc, "id": item.id,
                      "content": item.content[:100_000], "title": item.title}
        print(json.dumps(record, ensure_ascii=True), flush=True)
    elapsed = time.monotonic() - started
    during = list(events)
    with contextlib.suppress(OSError):
        socket.create_connection(("127.0.0.1", 9), timeout=1).close()
    with open(watched[0], "rb"):
        pass
    print(json.dumps({"done": True, "events": during, "canaries": events[len(during):], "seconds": elapsed,
                      "slowest_seconds": slowest[0], "slowest_source": slowest[1],
                      "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM, which starts afresh at exec, unlike ru_maxrss)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    import sys

    probe(sys.argv[1], sys.argv[2:])
