"""`accord patterns`: list the event patterns, check their example sentences, explain a sentence.

The patterns are data (accord/data/patterns/*.jsonl and $ACCORD_DATA_DIR/patterns/); these
commands are how a person adding one sees it work, or finds why a sentence gives no event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console(soft_wrap=True)


@dataclass(frozen=True)
class Failure:
    pattern: str
    text: str
    problem: str


def example_events(text: str) -> list:
    """The events Accord extracts from `text` read as one relevant article."""
    from accord.extract import extract
    from accord.records import Article, CleanDocument, Relevance

    doc = CleanDocument(id="example", doc="example", source="example", articles=(Article(None, text, True),),
                        relevance=Relevance(True, 1.0), published="2025-01-15")
    return list(extract(doc).events)


def failures(pattern) -> list[Failure]:
    """What is wrong with a pattern's examples: an expected event not produced by it, or an event
    of it produced from a counter-example."""
    from accord.evaluation import targets_agree

    found: list[Failure] = []
    for example in pattern.examples:
        events = example_events(example.text)
        for actor, action, target in example.events:
            if not any(e.actor == actor and e.action == action and targets_agree(target, e.target.names)
                       for e in events):
                got = "; ".join(f"{e.actor} {e.action} {e.target.name} [{e.rule}]" for e in events) or "no event"
                found.append(Failure(pattern.id, example.text, f"expected {actor} {action} '{target}', got {got}"))
    for text in pattern.counter:
        wrong = [e for e in example_events(text) if e.rule == pattern.id]
        if wrong:
            found.append(Failure(pattern.id, text, "counter-example gave " + "; ".join(
                f"{e.actor} {e.action} {e.target.name}" for e in wrong)))
    return found


def register(app: typer.Typer) -> None:
    group = typer.Typer(no_args_is_help=True, help="The event patterns (rules as data): list, check, explain.")
    app.add_typer(group, name="patterns")

    @group.command("list")
    def list_patterns(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
        """Every pattern: its id, the actions it codes, its examples and counter-examples, its file."""
        from accord.extract.patterns import patterns

        rows = [{"id": p.id, "actions": list(p.codes), "examples": len(p.examples), "counter": len(p.counter),
                 "source": p.source} for p in patterns()]
        if as_json:
            typer.echo(json.dumps(rows, indent=2))
            return
        table = Table("id", "actions", "examples", "counter", "file")
        for r in rows:
            table.add_row(r["id"], ", ".join(r["actions"]), str(r["examples"]), str(r["counter"]), r["source"])
        out.print(table)

    @group.command("check")
    def check(pattern_id: Annotated[str | None, typer.Argument(help="Check only this pattern.")] = None) -> None:
        """Run every pattern's examples and counter-examples; exit 1 when any fails."""
        from accord.extract.patterns import patterns

        chosen = [p for p in patterns() if pattern_id in (None, p.id)]
        if not chosen:
            out.print(f"error: no pattern {pattern_id!r}", style="red")
            raise typer.Exit(2)
        bad = [f for p in chosen for f in failures(p)]
        for f in bad:
            out.print(f"FAIL {f.pattern}: {f.text!r}: {f.problem}", markup=False, highlight=False)
        sentences = sum(len(p.examples) + len(p.counter) for p in chosen)
        out.print(f"{len(chosen)} patterns, {sentences} sentences, {len(bad)} failed", highlight=False)
        if bad:
            raise typer.Exit(1)

    @group.command("explain")
    def explain(sentence: Annotated[str, typer.Argument(help="The sentence to explain.")]) -> None:
        """The parse of a sentence, the patterns that matched with the nodes they bound, and the events."""
        from accord.extract.nlp import load_pipeline
        from accord.extract.patterns import matcher

        nlp = load_pipeline()
        doc = nlp(sentence)
        table = Table("i", "token", "lemma", "pos", "dep", "head", "entity")
        for t in doc:
            table.add_row(str(t.i), t.text, t.lemma_, t.pos_, t.dep_, f"{t.head.i} {t.head.text}", t.ent_type_)
        out.print(table)
        matches = matcher(doc.vocab)(doc)
        if not matches:
            out.print("no pattern matched")
        for p, ids in matches:
            bound = ", ".join(f"{n['RIGHT_ID']}={doc[i].text}" for n, i in zip(p.tree, ids, strict=True))
            out.print(f"matched {p.id}: {bound}", markup=False, highlight=False)
        events = example_events(sentence)
        if not events:
            out.print("no event")
        for e in events:
            out.print(f"event {e.actor} {e.action} '{e.target.name}' [{e.rule}]", markup=False, highlight=False)
