"""Cleaning throughput: text captures and HTML pages separately, against trafilatura alone.

Generates pages with bench/generate_corpus.py and, at two corpus sizes, each in its own
subprocess, times `accord.clean.clean_document` on text captures, on HTML pages, and
`trafilatura.extract` on the same HTML (so the HTML figure reads as a multiple of the
extraction library's own cost), and reports peak resident memory.

    python bench/bench_clean.py --sizes 300,1200
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORKER = """
import json, random, resource, sys, time
sys.path.insert(0, HERE)
from generate_corpus import page_html, page_text, stories
from accord.clean import clean_document
from accord.records import RawDocument
import trafilatura

size = SIZE
made = stories(size, seed=11)
rng = random.Random(5)
texts = [RawDocument(f"t{i}", f"t{i}.txt", "text", page_text(rng, s, made[:50])) for i, s in enumerate(made)]
pages = [RawDocument(f"h{i}", f"h{i}.html", "html", page_html(rng, s, made[:50])) for i, s in enumerate(made)]
clean_document(texts[0]); clean_document(pages[0]); trafilatura.extract(pages[0].content)  # warm up

def rate(fn, items):
    t = time.perf_counter()
    for x in items:
        fn(x)
    return len(items) / (time.perf_counter() - t)

text_rate = rate(clean_document, texts)
html_rate = rate(clean_document, pages)
traf_rate = rate(lambda r: trafilatura.extract(r.content, with_metadata=True), pages)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"docs": size, "text_docs_s": text_rate, "html_docs_s": html_rate,
                  "trafilatura_docs_s": traf_rate, "html_vs_trafilatura": traf_rate / html_rate,
                  "peak_rss_mb": peak}))
"""


def measured(size: int) -> dict:
    """Cleaning figures for a corpus of `size` pages of each kind, from a fresh process."""
    script = WORKER.replace("HERE", repr(str(HERE))).replace("SIZE", str(size))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"size {size} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,1200", help="two (or more) corpus sizes, comma-separated")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [measured(int(s)) for s in args.sizes.split(",")]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'pages':>7}{'text docs/s':>13}{'HTML docs/s':>13}{'trafilatura/s':>15}{'HTML cost x traf.':>19}"
          f"{'peak RSS MB':>13}")
    for r in results:
        print(f"{r['docs']:>7}{r['text_docs_s']:>13.0f}{r['html_docs_s']:>13.0f}{r['trafilatura_docs_s']:>15.0f}"
              f"{r['html_vs_trafilatura']:>19.2f}{r['peak_rss_mb']:>13.0f}")


if __name__ == "__main__":
    main()
