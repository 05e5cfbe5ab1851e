"""The commands that read Accord's one record of the world: stance, actor, timeline, targets, align,
review (corrections) and export. Each calls one function of accord.analyze.

Unknown targets, actors and facts get one line, "not found" with the closest known names,
and exit code 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ByOption = Annotated[str, typer.Option("--by", help="Who makes the correction.")]
WhyOption = Annotated[str, typer.Option("--why", help="Why: the reason, kept in the audit log.")]

Actor = Annotated[str, typer.Argument(help="The fact's actor code.")]
Action = Annotated[str, typer.Argument(help="The fact's action.")]
Target = Annotated[str, typer.Argument(help="The fact's target key or name.")]

T = TypeVar("T")


def _json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _guarded(call: Callable[[], T]) -> T:
    """The result of `call`, or a one-line error and exit 2 for unknown names or refused input."""
    from accord import cli

    try:
        return call()
    except (LookupError, ValueError) as e:
        cli._fail(str(e).strip("'\""))
        raise  # unreachable: _fail exits


def _date(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return first if first == last or not last else f"{first} .. {last}"


def register(app: typer.Typer) -> None:
    """Add stance, actor, timeline, targets, align, review and export to the `accord` command."""
    from accord import analyze, cli

    @app.command()
    def stance(target: Annotated[str, typer.Argument(help="Target key, name or alias.")],
               db: DbOption = Path("accord.db"), as_json: JsonOption = False) -> None:
        """Each actor's current stance on a target, with dates, sources and conflicts."""
        with cli._store(db) as store:
            rows = _guarded(lambda: analyze.stances(store, target))
        if as_json:
            _json([asdict(s) for s in rows])
            return
        if not rows:
            cli.out.print(f"no stances recorded on {target}", highlight=False)
            return
        table = Table("actor", "stance", "sources", "dates", "conflict", "earlier", title=rows[0].target)
        for s in rows:
            table.add_row(s.actor, s.stance, str(s.sources), _date(s.first_date, s.last_date),
                          "CONFLICT" if s.conflict else "", ", ".join(s.superseded))
        cli.out.print(table)
        for s in rows:
            if s.conflict:
                cli.out.print(f"\n[bold]{s.actor}[/bold]: sources disagree", highlight=False)
                for f in s.sides:
                    for src in f.evidence:
                        cli.out.print(f"  {f.action:<8} {src.date or 'no date':<10} {src.doc or src.doc_id or '-'}:"
                                      f" {src.evidence}", highlight=False, markup=False)

    @app.command()
    def actor(code: Annotated[str, typer.Argument(help="Actor code (USA, UNGA) or name.")],
              db: DbOption = Path("accord.db"), as_json: JsonOption = False) -> None:
        """An actor's profile: every stance it holds and every fact about it, in time order."""
        with cli._store(db) as store:
            profile = _guarded(lambda: analyze.actor_profile(store, code))
        if as_json:
            _json(asdict(profile))
            return
        cli.out.print(f"[bold]{profile.name}[/bold] ({profile.actor}): {len(profile.stances)} stances, "
                      f"{len(profile.facts)} facts, {profile.conflicts} conflicts", highlight=False)
        table = Table("dates", "target", "stance", "sources", "conflict", "earlier", title="stances")
        for s in profile.stances:
            table.add_row(_date(s.first_date, s.last_date), s.target[:60], s.stance, str(s.sources),
                          "CONFLICT" if s.conflict else "", ", ".join(s.superseded))
        cli.out.print(table)
        table = Table("dates", "action", "target", "sources", "status", "evidence", title="facts")
        for f in profile.facts:
            table.add_row(_date(f.first_date, f.last_date), f.action, f.target[:50], str(f.sources), f.status,
                          (f.evidence[0].evidence if f.evidence else "")[:90])
        cli.out.print(table)

    @app.command()
    def timeline(target: Annotated[str | None, typer.Option(help="Target key, name or alias.")] = None,
                 actor: Annotated[str | None, typer.Option(help="Actor code or name.")] = None,
                 db: DbOption = Path("accord.db"), as_json: JsonOption = False,
                 limit: Annotated[int, typer.Option(help="Show at most this many entries (0: all).")] = 0) -> None:
        """Facts in the order they happened, for a target and/or an actor."""
        with cli._store(db) as store:
            rows = _guarded(lambda: analyze.timeline(store, target=target, actor=actor))
        rows = rows[:limit] if limit > 0 else rows
        if as_json:
            _json([asdict(e) for e in rows])
            return
        table = Table("date", "actor", "stance", "target", "sources", "evidence")
        for e in rows:
            table.add_row(e.date or "", e.actor, e.stance, e.target[:50], str(e.sources), e.evidence[:90])
        cli.out.print(table)

    @app.command()
    def targets(db: DbOption = Path("accord.db"), as_json: JsonOption = False,
                kind: Annotated[str | None, typer.Option("--type", help="Only targets of this type.")] = None,
                ) -> None:
        """The targets: the instrument catalog plus targets first named by documents, with counts."""
        with cli._store(db) as store:
            rows = [t for t in analyze.targets(store) if kind is None or t.type == kind]
        if as_json:
            _json([asdict(t) for t in rows])
            return
        table = Table("key", "type", "name", "source", "events", "actors", "documents")
        for t in rows:
            table.add_row(t.key, t.type, t.name[:60], "catalog" if t.catalog else "document", str(t.events),
                          str(t.actors), str(t.documents))
        cli.out.print(table)

    @app.command()
    def align(db: DbOption = Path("accord.db"), as_json: JsonOption = False,
              min_shared: Annotated[int, typer.Option("--min-shared", help="Pairs sharing at least N targets.")] = 1,
              limit: Annotated[int, typer.Option(help="Show at most this many pairs (0: all).")] = 50) -> None:
        """How often pairs of countries take the same stance on the same instruments, and the blocs."""
        with cli._store(db) as store:
            result = analyze.alignment(store, min_shared=min_shared)
        if as_json:
            _json(asdict(result))
            return
        table = Table("a", "b", "shared", "same", "opposed", "agreement")
        for p in result.pairs[:limit] if limit > 0 else result.pairs:
            table.add_row(p.a, p.b, str(p.shared), str(p.same), str(p.opposed), f"{p.agreement:.0%}")
        cli.out.print(table)
        for b in result.blocs:
            cli.out.print(f"bloc {b.id} (cohesion {b.cohesion:.0%}): {', '.join(b.members)}", highlight=False)

    @app.command("export")
    def export_cmd(what: Annotated[str, typer.Option("--what", help="events, facts, stances or alignment.")],
                   fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or parquet.")] = "csv",
                   out: Annotated[Path | None, typer.Option("--out", help="Output file (default: standard output).")] = None,
                   db: DbOption = Path("accord.db")) -> None:
        """Export events, facts, stances or alignment pairs as CSV, JSON lines or Parquet."""
        from accord.analyze.export import FORMATS, KINDS

        if what not in KINDS:
            cli._fail(f"--what: '{what}' is not exportable (choose: {', '.join(KINDS)})")
        if fmt not in FORMATS:
            cli._fail(f"--format: '{fmt}' is not a format (choose: {', '.join(FORMATS)})")
        if fmt == "parquet" and out is None:
            cli._fail("--format parquet is binary: name a file with --out")
        with cli._store(db) as store:
            count = _guarded(lambda: analyze.export(store, what, fmt, out))
        if out is not None:
            cli.err.print(f"{count} {what} rows written to {out}", highlight=False)

    review = typer.Typer(no_args_is_help=True, help="Confirm, reject, edit or add facts; list corrections and the audit log.")
    app.add_typer(review, name="review")

    def _done(c: Any) -> None:
        cli.out.print(f"{c.kind} #{c.id}: {c.actor} {c.action} {c.target_key} by {c.who}", highlight=False,
                      markup=False)

    @review.command("confirm")
    def review_confirm(actor: Actor, action: Action, target: Target, by: ByOption, why: WhyOption,
                       db: DbOption = Path("accord.db")) -> None:
        """Confirm a fact."""
        with cli._store(db) as store:
            _done(_guarded(lambda: analyze.confirm(store, actor, action, target, who=by, why=why)))

    @review.command("reject")
    def review_reject(actor: Actor, action: Action, target: Target, by: ByOption, why: WhyOption,
                      db: DbOption = Path("accord.db")) -> None:
        """Reject a fact: it no longer counts in facts, stances, alignment or exports."""
        with cli._store(db) as store:
            _done(_guarded(lambda: analyze.reject(store, actor, action, target, who=by, why=why)))

    @review.command("edit")
    def review_edit(actor: Actor, action: Action, target: Target, by: ByOption, why: WhyOption,
                    new_actor: Annotated[str | None, typer.Option("--actor", help="New actor code.")] = None,
                    new_action: Annotated[str | None, typer.Option("--action", help="New action.")] = None,
                    new_target: Annotated[str | None, typer.Option("--target", help="New target key or name.")] = None,
                    date: Annotated[str | None, typer.Option("--date", help="New date (YYYY[-MM[-DD]]).")] = None,
                    db: DbOption = Path("accord.db")) -> None:
        """Edit a fact: a new actor, action, target or date (its sources move with it)."""
        with cli._store(db) as store:
            _done(_guarded(lambda: analyze.edit(store, actor, action, target, who=by, why=why, actor=new_actor,
                                                action=new_action, target_key=new_target, date=date)))

    @review.command("add")
    def review_add(actor: Actor, action: Action, target: Target, by: ByOption, why: WhyOption,
                   date: Annotated[str | None, typer.Option("--date", help="When it happened.")] = None,
                   evidence: Annotated[str | None, typer.Option("--evidence", help="The sentence stating it.")] = None,
                   doc: Annotated[str | None, typer.Option("--doc", help="The document it is in (id or name).")] = None,
                   db: DbOption = Path("accord.db")) -> None:
        """Add a fact the extraction missed (target: a known key or name, or new:<slug>)."""
        with cli._store(db) as store:
            _done(_guarded(lambda: analyze.add(store, actor, action, target, who=by, why=why, date=date,
                                               evidence=evidence, doc_id=doc)))

    @review.command("list")
    def review_list(db: DbOption = Path("accord.db"), as_json: JsonOption = False) -> None:
        """Every correction, oldest first."""
        with cli._store(db) as store:
            rows = analyze.corrections(store)
        if as_json:
            _json([asdict(c) for c in rows])
            return
        table = Table("#", "when", "who", "kind", "fact", "change", "why")
        for c in rows:
            change = " ".join(f"{k}={v}" for k, v in (("actor", c.new_actor), ("action", c.new_action),
                                                       ("target", c.new_target_key), ("date", c.date)) if v)
            table.add_row(str(c.id), c.at, c.who, c.kind, f"{c.actor} {c.action} {c.target_key}", change, c.why)
        cli.out.print(table)

    @review.command("log")
    def review_log(db: DbOption = Path("accord.db"), as_json: JsonOption = False,
                   limit: Annotated[int, typer.Option(help="Only the last N entries (0: all).")] = 0) -> None:
        """The audit log: every correction and every refused one, with who, when and why."""
        with cli._store(db) as store:
            rows = analyze.audit_log(store, limit or None)
        if as_json:
            _json([asdict(e) for e in rows])
            return
        table = Table("#", "when", "who", "operation", "fact", "why", "detail")
        for e in rows:
            table.add_row(str(e.id), e.at, e.who, e.operation, f"{e.actor} {e.action} {e.target_key}",
                          e.why or "", e.detail.get("reason", "") if e.operation == "refused" else "")
        cli.out.print(table)
