"""Answers shared by the workers of one server (accord.web.shared_answers).

Two `ResponseCache` middlewares, each with its own `Web` over one real store and one real
shared answers file, stand for two worker processes; the app behind them is a small ASGI
app that counts what it computes. Then a real `accord serve --workers 2`: its workers serve
the same answer, the answers file lives in a private folder and is gone once it stops.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import time
from pathlib import Path

import httpx
import pytest

from accord.records import Article, CleanDocument, Extraction, Relevance, content_id
from accord.store.database import Store
from accord.web import response_cache
from accord.web.app import Web
from accord.web.response_cache import ResponseCache
from accord.web.shared_answers import CLAIM_SECONDS, SharedAnswers, create_answers_file
from test_api import build_store, start_server


class Counting:
    """An ASGI app answering GET /page/N with 'page N, answer K' after `delay` seconds (its Kth computation);
    /missing is a 404 and /cookie sets a session cookie."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.computed = 0

    async def __call__(self, scope, receive, send):
        self.computed += 1
        answer = self.computed
        await asyncio.sleep(self.delay)
        path = scope["path"]
        status = 404 if path == "/missing" else 200
        headers = [(b"content-type", b"text/plain")]
        if path == "/cookie":
            headers.append((b"set-cookie", b"accord_session=secret; HttpOnly"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": f"{path}, answer {answer}".encode()})


def worker(db: Path, answers: Path | None, app: Counting, cache_seconds: float = 5.0) -> ResponseCache:
    """One worker's response cache (its own Web, its own memory) in front of `app`."""
    return ResponseCache(app, Web(db, None, cache_seconds, shared=SharedAnswers(answers) if answers else None))


async def get(cache: ResponseCache, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=cache), base_url="http://test") as client:
        return await client.get(path)


@pytest.fixture
def store_and_answers(tmp_path) -> tuple[Path, Path]:
    return build_store(tmp_path / "accord.db"), create_answers_file(tmp_path)


def test_what_one_worker_computed_another_serves_without_computing(store_and_answers):
    db, answers = store_and_answers
    app_a, app_b = Counting(), Counting()
    a, b = worker(db, answers, app_a), worker(db, answers, app_b)
    first = asyncio.run(get(a, "/page/1"))
    second = asyncio.run(get(b, "/page/1"))
    assert first.status_code == second.status_code == 200
    assert second.text == first.text == "/page/1, answer 1"
    assert second.headers["content-type"] == "text/plain"
    assert (app_a.computed, app_b.computed) == (1, 0)
    assert asyncio.run(get(b, "/page/2")).text == "/page/2, answer 1"  # another URL: computed by b
    assert app_b.computed == 1


def test_a_kept_answer_says_how_old_it_is(store_and_answers):
    db, _ = store_and_answers
    cache = worker(db, None, Counting())
    computed = asyncio.run(get(cache, "/page/1"))
    time.sleep(1.1)
    kept = asyncio.run(get(cache, "/page/1"))
    assert "age" not in computed.headers and kept.headers["age"] == "1" and kept.text == computed.text


def test_a_worker_waits_for_the_answer_another_is_computing(store_and_answers):
    db, answers = store_and_answers
    app_a, app_b = Counting(delay=0.4), Counting(delay=0.4)
    a, b = worker(db, answers, app_a), worker(db, answers, app_b)

    async def both() -> list[httpx.Response]:
        first = asyncio.create_task(get(a, "/page/1"))
        await asyncio.sleep(0.1)  # a has claimed the page and is computing it
        return [await first, *await asyncio.gather(get(b, "/page/1"), get(b, "/page/1"))]

    responses = asyncio.run(both())
    assert {r.text for r in responses} == {"/page/1, answer 1"}
    assert app_a.computed + app_b.computed == 1


def test_a_new_store_version_is_computed_again(store_and_answers):
    db, answers = store_and_answers
    app_a, app_b = Counting(), Counting()
    a, b = worker(db, answers, app_a), worker(db, answers, app_b)
    assert asyncio.run(get(a, "/page/1")).text == "/page/1, answer 1"
    ingest_one(db, "Chile signed the Harbour Accord on Trustworthy AI in May.")
    b.web.forget()  # its version is otherwise looked up at most once a second
    assert asyncio.run(get(b, "/page/1")).text == "/page/1, answer 1"
    assert app_b.computed == 1  # a's answer was made under the old version


def ingest_one(db: Path, text: str) -> None:
    """Store one more document: the store's version changes as after an ingest."""
    with Store(db) as store:
        store.add(CleanDocument(content_id(text), text[:20], "new.txt", (Article(None, text, True),),
                                Relevance(True, 0.7, ("AI",))), Extraction((), ()))


async def first_and_meanwhile(first: ResponseCache, then: ResponseCache, path: str) -> tuple[str, str, float]:
    """The answer `first` gives to `path`, and the one `then` gives while `first` is computing it (and how long
    that took)."""
    computing = asyncio.create_task(get(first, path))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    meanwhile = await get(then, path)
    waited = time.monotonic() - started
    return (await computing).text, meanwhile.text, waited


@pytest.mark.parametrize("workers", [1, 2])
def test_after_an_ingest_one_request_computes_while_the_others_get_the_previous_answer(store_and_answers, workers):
    db, answers = store_and_answers
    apps = [Counting(delay=1.0) for _ in range(workers)]
    caches = [worker(db, answers if workers > 1 else None, app, cache_seconds=0.2) for app in apps]
    for cache in caches:
        assert asyncio.run(get(cache, "/page/1")).text == "/page/1, answer 1"
    ingest_one(db, "Chile signed the Harbour Accord on Trustworthy AI in May.")
    time.sleep(1.1)  # the version is looked up at most once a second
    fresh, meanwhile, waited = asyncio.run(first_and_meanwhile(caches[0], caches[-1], "/page/1"))
    assert fresh == "/page/1, answer 2" and meanwhile == "/page/1, answer 1" and waited < 0.5
    assert asyncio.run(get(caches[-1], "/page/1")).text == "/page/1, answer 2"  # once computed: the new one
    assert sum(app.computed for app in apps) == 2  # the first answer and its successor, each computed once


def test_while_busy_an_answer_out_of_date_is_served_at_once_and_computed_again_in_the_background(store_and_answers):
    db, _ = store_and_answers
    app = Counting(delay=0.5)
    cache = worker(db, None, app, cache_seconds=0.2)
    for page in ("/page/1", "/page/2"):
        assert asyncio.run(get(cache, page)).text == f"{page}, answer {app.computed}"
    ingest_one(db, "Chile signed the Harbour Accord on Trustworthy AI in May.")
    time.sleep(1.1)

    async def busy() -> tuple[str, str, float, str]:
        computing = asyncio.create_task(get(cache, "/page/1"))  # a quiet server: this one computes
        await asyncio.sleep(0.1)
        started = time.monotonic()
        meanwhile = (await get(cache, "/page/2")).text  # another page while busy: the previous answer at once
        waited = time.monotonic() - started
        await computing
        await asyncio.sleep(0.8)  # its successor is computed in the background
        return meanwhile, (await get(cache, "/page/2")).text, waited, (await computing).text

    meanwhile, later, waited, first = asyncio.run(busy())
    assert first == "/page/1, answer 3" and waited < 0.3
    assert (meanwhile, later) == ("/page/2, answer 2", "/page/2, answer 4")
    assert app.computed == 4  # each page twice, the background one without a request waiting for it


def test_a_busy_worker_takes_the_newer_answer_another_worker_computed_instead_of_computing_it(store_and_answers):
    db, answers = store_and_answers
    app_a, app_b = Counting(delay=0.2), Counting(delay=0.5)
    a, b = worker(db, answers, app_a, cache_seconds=2), worker(db, answers, app_b, cache_seconds=2)
    assert asyncio.run(get(a, "/page/1")).text == asyncio.run(get(b, "/page/1")).text == "/page/1, answer 1"
    asyncio.run(get(b, "/page/3"))
    ingest_one(db, "Chile signed the Harbour Accord on Trustworthy AI in May.")
    time.sleep(2.1)  # both answers out of date and past their seconds
    assert asyncio.run(get(a, "/page/1")).text == "/page/1, answer 2"  # a computes its successor and shares it

    async def busy() -> tuple[str, str]:
        computing = asyncio.create_task(get(b, "/page/3"))  # b is busy
        await asyncio.sleep(0.1)
        meanwhile = (await get(b, "/page/1")).text
        await computing
        await asyncio.sleep(0.3)
        return meanwhile, (await get(b, "/page/1")).text

    assert asyncio.run(busy()) == ("/page/1, answer 1", "/page/1, answer 2")
    assert app_b.computed == 2  # page 3, twice: page 1 was a's to compute


def test_an_answer_out_of_date_for_longer_than_stale_seconds_is_waited_for(store_and_answers, monkeypatch):
    db, _ = store_and_answers
    app = Counting(delay=0.5)
    cache = worker(db, None, app, cache_seconds=0.2)
    for page in ("/page/1", "/page/2"):
        asyncio.run(get(cache, page))
    ingest_one(db, "Chile signed the Harbour Accord on Trustworthy AI in May.")
    time.sleep(1.1)
    monkeypatch.setattr(response_cache, "STALE_SECONDS", 1.0)

    async def busy() -> str:
        computing = asyncio.create_task(get(cache, "/page/1"))
        await asyncio.sleep(0.1)
        meanwhile = (await get(cache, "/page/2")).text
        await computing
        return meanwhile

    assert asyncio.run(busy()) == "/page/2, answer 4"  # computed for it, even though the server was busy


def test_an_answer_made_in_the_background_is_made_of_up_to_date_values(store_and_answers):
    db, _ = store_and_answers
    web = Web(db, None, cache_seconds=60)
    assert (web.cached(("a",), lambda: "a1"), web.cached(("b",), lambda: "b1")) == ("a1", "b1")
    ingest_one(db, "Chile signed the Harbour Accord on Trustworthy AI in May.")
    time.sleep(1.1)
    assert web.cached(("a",), lambda: "a2") == "a1"  # for a request: at once, the value from before the ingest
    token = response_cache.UNWAITED.set(True)
    try:
        assert web.cached(("b",), lambda: "b2") == "b2"  # for an answer nobody waits for: computed anew
    finally:
        response_cache.UNWAITED.reset(token)
    assert web.cached(("b",), lambda: "b3") == "b2"


def test_after_a_review_every_request_waits_for_the_new_answer(store_and_answers):
    from accord import analyze

    db, _ = store_and_answers
    app = Counting(delay=0.5)
    cache = worker(db, None, app, cache_seconds=0.2)
    assert asyncio.run(get(cache, "/page/1")).text == "/page/1, answer 1"
    with Store(db) as store:
        analyze.confirm(store, "FRA", "sign", "harbour-accord", who="Ana", why="read the source")
    time.sleep(1.1)
    fresh, meanwhile, _ = asyncio.run(first_and_meanwhile(cache, cache, "/page/1"))
    assert fresh != "/page/1, answer 1" and meanwhile != "/page/1, answer 1"  # neither is the answer from before


def test_errors_and_cookies_are_not_shared_and_a_waiter_does_not_wait_for_them(store_and_answers):
    db, answers = store_and_answers
    app_a, app_b = Counting(delay=0.3), Counting()
    a, b = worker(db, answers, app_a), worker(db, answers, app_b)

    async def both() -> tuple[httpx.Response, httpx.Response, float]:
        first = asyncio.create_task(get(a, "/missing"))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        second = await get(b, "/missing")  # waits for a's claim, which ends with no answer: computes it
        return await first, second, time.monotonic() - started

    first, second, waited = asyncio.run(both())
    assert first.status_code == second.status_code == 404
    assert app_b.computed == 1 and waited < 2
    asyncio.run(get(a, "/cookie"))
    assert "set-cookie" not in asyncio.run(get(b, "/cookie")).headers
    rows = sqlite3.connect(answers).execute("SELECT headers FROM answers").fetchall()
    assert rows and not any("set-cookie" in r[0] for r in rows)


def test_an_abandoned_claim_is_taken_over(store_and_answers):
    db, answers = store_and_answers
    with sqlite3.connect(answers) as conn:  # a worker that was stopped while computing the page
        conn.execute("INSERT INTO claims VALUES (?, 'gone.1', ?)", (b"/page/1?", time.time() - CLAIM_SECONDS - 1))
    app = Counting()
    started = time.monotonic()
    assert asyncio.run(get(worker(db, answers, app), "/page/1")).status_code == 200
    assert app.computed == 1 and time.monotonic() - started < 2


def test_an_unusable_answers_file_only_costs_computations(store_and_answers, tmp_path):
    db, answers = store_and_answers
    answers.write_bytes(b"not a database" * 100)
    for path in (answers, tmp_path / "removed" / "answers.sqlite"):
        app = Counting()
        cache = worker(db, path, app)
        assert asyncio.run(get(cache, "/page/1")).text == "/page/1, answer 1"
        assert asyncio.run(get(cache, "/page/1")).text == "/page/1, answer 1"  # its own memory still works
        assert app.computed == 1


def test_only_the_newest_answers_are_kept(tmp_path):
    shared = SharedAnswers(create_answers_file(tmp_path), kept=10)
    for i in range(600):
        key = f"/page/{i}?".encode()
        shared.release(key, shared.claim(key), (1, 2), (200, [], b"x"))
    keys = {r[0] for r in shared.conn.execute("SELECT key FROM answers")}
    assert len(keys) < 300 and b"/page/599?" in keys and b"/page/0?" not in keys
    assert shared.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


@pytest.mark.slow
def test_a_two_worker_server_shares_its_answers_in_a_private_file_removed_at_exit(tmp_path):
    db = build_store(tmp_path / "accord.db")
    private = tmp_path / "tmp"
    private.mkdir()
    srv = start_server(db, None, "--workers", "2", env={"TMPDIR": str(private)})
    try:
        bodies = {httpx.get(srv.url + "/countries/FRA", headers={"connection": "close"}).text for _ in range(12)}
        assert len(bodies) == 1 and "France" in bodies.pop()
        (folder,) = private.iterdir()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        keys = [r[0] for r in sqlite3.connect(folder / "answers.sqlite").execute("SELECT key FROM answers")]
        assert b"/countries/FRA?" in keys
    finally:
        srv.stop()
    assert not any(private.iterdir()), os.listdir(private)


def test_one_claim_at_a_time_per_url(tmp_path):
    path = create_answers_file(tmp_path)
    a, b = SharedAnswers(path), SharedAnswers(path)
    mine = a.claim(b"/page/1?")
    assert mine and b.claim(b"/page/1?") is None and b.claimed(b"/page/1?")
    assert b.claim(b"/page/2?")  # another URL
    a.release(b"/page/1?", mine)  # no answer to keep (an error): the claim is given up all the same
    assert not b.claimed(b"/page/1?") and b.answer(b"/page/1?", (1,)) is None
    assert b.claim(b"/page/1?")
