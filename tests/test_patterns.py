"""The event patterns (rules as data): every pattern's own examples, user pattern files, bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.commands.patterns import example_events, failures
from accord.datafiles import DATA_DIR_VARIABLE
from accord.extract import patterns as pattern_files
from accord.extract.nlp import load_pipeline

ALL = pattern_files.patterns()


@pytest.mark.parametrize("pattern", ALL, ids=[p.id for p in ALL])
def test_every_pattern_gives_its_examples_and_not_its_counter_examples(pattern):
    assert failures(pattern) == []


def test_every_pattern_has_a_counter_example_or_several_examples():
    thin = [p.id for p in ALL if not p.counter and len(p.examples) < 2]
    assert thin == []


USER_PATTERN = {
    "id": "user.pioneered.v1", "action": "propose",
    "tree": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "pioneer"}},
             {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "actor", "RIGHT_ATTRS": {"DEP": "nsubj"}},
             {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "target", "RIGHT_ATTRS": {"DEP": "dobj"}}],
    "trigger": "trigger", "actors": ["actor"], "target": "target",
    "examples": [{"text": "Estonia pioneered the Tallinn Charter on Digital Government.",
                  "events": [["EST", "propose", "Tallinn Charter on Digital Government"]]}],
}


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    """A user data folder named by $ACCORD_DATA_DIR; the patterns are read again before and after."""
    (tmp_path / "patterns").mkdir()
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path))
    pattern_files.reload()
    yield tmp_path
    monkeypatch.delenv(DATA_DIR_VARIABLE)
    pattern_files.reload()
    load_pipeline()


def test_a_user_pattern_file_adds_a_construction_without_code(user_data):
    sentence = USER_PATTERN["examples"][0]["text"]
    assert not any(e.action == "propose" for e in example_events(sentence))  # "pioneer" is no trigger
    (user_data / "patterns" / "mine.jsonl").write_text(json.dumps(USER_PATTERN) + "\n")
    pattern_files.reload()
    events = example_events(sentence)
    assert [(e.actor, e.action, e.rule) for e in events] == [("EST", "propose", "user.pioneered.v1")]
    assert failures(pattern_files.by_id()["user.pioneered.v1"]) == []


@pytest.mark.parametrize("change, problem", [
    ({"action": "endorse"}, "unknown action 'endorse'"),
    ({"trigger": "verb"}, "'trigger' must name a node of the tree"),
    ({"id": "unversioned"}, "'id' must be a versioned name"),
    ({"examples": []}, "at least one example"),
    ({"tree": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "pioneer"}},
               {"LEFT_ID": "trigger", "REL_OP": ">>>", "RIGHT_ID": "actor", "RIGHT_ATTRS": {"DEP": "nsubj"}},
               {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "target", "RIGHT_ATTRS": {"DEP": "dobj"}}]},
     "spaCy refuses the tree"),
])
def test_a_bad_pattern_is_named_with_its_file_and_problem_at_load_time(user_data, change, problem):
    path = user_data / "patterns" / "bad.jsonl"
    path.write_text(json.dumps({**USER_PATTERN, **change}) + "\n")
    pattern_files.reload()
    with pytest.raises(pattern_files.PatternError) as err:
        pattern_files.matcher(load_pipeline().vocab)
    message = str(err.value)
    assert str(path) in message and problem in message and "\n" not in message
    pid = change.get("id", USER_PATTERN["id"])
    assert f"pattern {pid}" in message


def test_the_command_line_gives_one_line_for_a_bad_pattern_file(tmp_path):
    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "broken.jsonl").write_text('{"id": "x.v1", "action": \n')
    doc = tmp_path / "page.txt"
    doc.write_text("Estonia signed the Framework Convention on Artificial Intelligence.\n")
    run = subprocess.run([sys.executable, "-m", "accord.cli", "extract", str(doc), "--format", "jsonl"],
                         capture_output=True, text=True, env={**_env(), DATA_DIR_VARIABLE: str(tmp_path)})
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.jsonl:1" in lines[0] and "not a JSON object" in lines[0]
    assert "Traceback" not in run.stderr


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != DATA_DIR_VARIABLE}


def test_patterns_check_and_list_commands(runner):
    from accord.cli import app

    listed = runner.invoke(app, ["patterns", "list", "--json"])
    assert listed.exit_code == 0
    ids = {row["id"] for row in json.loads(listed.output)}
    assert ids == {p.id for p in pattern_files.patterns()}
    checked = runner.invoke(app, ["patterns", "check"])
    assert checked.exit_code == 0 and " 0 failed" in checked.output
    explained = runner.invoke(app, ["patterns", "explain", "Kenya and Ghana met on the sidelines of the AI Action Summit."])
    assert explained.exit_code == 0
    assert "matched sidelines.attend.v2" in explained.output and "event KEN attend" in explained.output


def test_every_pattern_file_line_is_one_json_object():
    folder = Path(pattern_files.__file__).resolve().parents[1] / "data" / "patterns"
    for path in folder.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            if line.strip():
                assert isinstance(json.loads(line), dict)
