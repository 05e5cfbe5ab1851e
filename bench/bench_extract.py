"""Extraction speed: relevant documents per second per core through the whole pipeline, and
the ratio of Accord's pipeline time to spaCy's bare parse of the same documents, in one run.

    .venv/bin/python bench/bench_extract.py [PATH ...] [--repeat N]

Default inputs: the development corpus and ../shared/seeds. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from accord.clean import clean_document
from accord.extract import extract
from accord.extract.nlp import load_pipeline
from accord.records import RawDocument
from accord.sources import read_inputs

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "corpus" / "dev"), str(ROOT.parent / "shared" / "seeds")])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    raws = [r for r in read_inputs(args.paths) if isinstance(r, RawDocument)]
    nlp = load_pipeline()
    nlp("warm up the pipeline")

    t0 = time.perf_counter()
    cleaned = [clean_document(r) for r in raws for _ in range(args.repeat)]
    t_clean = time.perf_counter() - t0
    relevant = [c for c in cleaned if c.relevant]

    t0 = time.perf_counter()
    events = sum(len(extract(c).events) for c in cleaned)
    t_extract = time.perf_counter() - t0

    texts = [c.principal.text for c in relevant if c.principal]
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    t_parse = time.perf_counter() - t0

    tokens = sum(len(nlp.make_doc(t)) for t in texts)
    print(f"documents            {len(cleaned)} ({len(relevant)} relevant, {args.repeat} passes over {len(raws)})")
    print(f"clean                {len(cleaned) / t_clean:8.1f} docs/s")
    print(f"extract              {len(relevant) / t_extract:8.1f} relevant docs/s/core  ({events} events)")
    print(f"pipeline             {len(relevant) / (t_clean + t_extract):8.1f} relevant docs/s/core (clean + extract)")
    print(f"bare spaCy parse     {len(relevant) / t_parse:8.1f} relevant docs/s  ({tokens / t_parse:.0f} tokens/s)")
    print(f"ratio pipeline/parse {(t_clean + t_extract) / t_parse:8.2f}  (goal <= 1.3)")
    print(f"peak RSS             {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MiB")


if __name__ == "__main__":
    main()
