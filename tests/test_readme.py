"""The README's examples run as written.

Its ```python blocks run in order, in one namespace, in a folder that holds a ``corpus.csv``; a
result shown in a comment (``expr  # ['a', 'b']``, or on the line below) must be the value of
the expression. The ``vnparty …`` lines of its ```bash blocks run through ``vnparty.cli.main`` in
that folder and must exit with 0 (``# prints: X`` must be what the line prints); the ``make``,
``pip``, ``jupyter`` and ``python`` lines must name real Makefile targets, extras, folders and
scripts. The numbers the README quotes from ``vnparty reproduce`` are checked against the tables
that its own ``vnparty reproduce --out results`` line writes."""

from __future__ import annotations

import ast
import io
import re
import shlex
import tokenize
from pathlib import Path

import pandas as pd
import pytest

import vnparty
from vnparty.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
CATEGORIES = ("Xây dựng Đảng", "Kinh tế", "Xã hội")


def _blocks(lang: str) -> list[tuple[int, str]]:
    """(line number, body) of each fenced block of ``lang``, in order."""
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group("body"))
            for m in _FENCE.finditer(text) if m.group("lang") == lang]


def _shown_results(code: str) -> dict[int, object]:
    """{last line of an expression: the value a comment shows for it}: the comment after the
    expression on its last line, or alone on the next line, when it is a Python literal."""
    comments, alone = {}, set()
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string[1:].strip()
            if not token.line[:token.start[1]].strip():
                alone.add(token.start[0])
    shown = {}
    for statement in ast.parse(code).body:
        if not isinstance(statement, ast.Expr):
            continue
        end = statement.end_lineno
        text = comments.get(end)  # after the expression, on its last line
        if text is None and end + 1 in alone:
            text = comments[end + 1]
        if not text:
            continue
        try:
            shown[end] = ast.literal_eval(text)
        except (ValueError, SyntaxError):  # prose, not a result
            continue
    return shown


def _command(line: str) -> tuple[str, str | None]:
    """A shell line without its comment, and the comment."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].strip(), line[i + 1:].strip()
    return line.strip(), None


def _shell_lines() -> list[tuple[str, list[list[str]], str | None]]:
    """(where, commands of a pipeline, comment) of every line of the ```bash blocks."""
    lines = []
    for start, body in _blocks("bash"):
        for offset, line in enumerate(body.replace("\\\n", " ").splitlines()):
            command, comment = _command(line)
            if not command:
                continue
            lexer = shlex.shlex(command, posix=True, punctuation_chars="|")
            lexer.whitespace_split = True
            words, pipeline = list(lexer), [[]]
            for word in words:
                if word == "|":
                    pipeline.append([])
                else:
                    pipeline[-1].append(word)
            lines.append((f"README.md:{start + offset}", pipeline, comment))
    return lines


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """An empty folder with ``corpus.csv``: the bundled articles cut into 4-paragraph pieces,
    with id, date, source, category and text, as a user brings a corpus."""
    rows = []
    for article in vnparty.load_articles():
        for start in range(0, len(article.paragraphs), 4):
            n = len(rows)
            rows.append({"id": f"{article.id[:3]}-{start}",
                         "date": f"20{19 + n % 3}-{1 + n % 12:02d}-{1 + n % 27:02d}",
                         "source": article.source, "category": CATEGORIES[n % 3],
                         "text": "\n\n".join(article.paragraphs[start:start + 4])})
    pd.DataFrame(rows).to_csv(tmp_path / "corpus.csv", index=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def test_the_readme_has_examples_of_every_command_and_the_library():
    commands = {pipeline[-1][1] for _, pipeline, _ in _shell_lines()
                if pipeline[-1][0] == "vnparty"}
    assert {"reproduce", "analyze", "topics", "select-k", "segment"} <= commands
    checks = {pipeline[-1][1] for _, pipeline, _ in _shell_lines() if "--check" in pipeline[-1]}
    assert {"reproduce", "analyze"} <= checks
    code = "\n".join(body for _, body in _blocks("python"))
    for name in ("load_articles", "read_articles", "split_units", "preprocess", "fit_",
                 "topic_table", "prevalence", "plot_prevalence", "save_figure", "write_explorer"):
        assert name in code, f"the README's Python examples do not show {name}"


def test_the_shown_results_are_found():
    """(the checks below rely on them: a result comment that stops parsing is caught here)"""
    shown = {}
    for _, body in _blocks("python"):
        shown.update(_shown_results(body))
    assert ['kiểm_tra', 'giám_sát', 'đổi_mới'] in shown.values()
    assert "nhất thể hóa cấp ủy quý giá" in shown.values()
    assert _shown_results("x = 1\nx  # 2\nx\n# [3]\nx  # three words\n") == {2: 2, 3: [3]}


@pytest.mark.slow
def test_python_examples_run_as_written(workdir):
    namespace = {"__name__": "readme"}
    for start, body in _blocks("python"):
        shown = _shown_results(body)
        for statement in ast.parse(body).body:
            where = f"README.md:{start + statement.lineno - 1}"
            if statement.end_lineno in shown:
                value = eval(compile(ast.Expression(statement.value), where, "eval"), namespace)
                assert value == shown[statement.end_lineno], (
                    f"{where}: {ast.unparse(statement)} gives {value!r}, the README shows "
                    f"{shown[statement.end_lineno]!r}")
            else:
                exec(compile(ast.Module([statement], []), where, "exec"), namespace)
    # what the comments say was written
    for name in ("prevalence_year.png", "prevalence_year.svg", "prevalence_year.pdf", "lda.html"):
        assert (workdir / name).stat().st_size > 0, name
    assert set(namespace["by_category"]["category"]) == set(CATEGORIES)


def _setup_line(where: str, words: list[str]) -> None:
    """A make / pip / jupyter / python line: what it names exists."""
    if words[0] == "make":
        targets = re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"),
                             re.MULTILINE)
        assert words[1:] and set(words[1:]) <= set(targets), f"{where}: {words}"
    elif words[:2] == ["pip", "install"]:
        extras = set(re.findall(r"^([\w-]+) = \[", (ROOT / "pyproject.toml").read_text(
            encoding="utf-8").split("[project.optional-dependencies]")[1].split("\n[")[0],
            re.MULTILINE))
        targets = [w for w in words[2:] if w != "-e"]
        assert targets, f"{where}: nothing to install"
        for target in targets:
            match = re.fullmatch(r"\.(?:\[([\w,-]+)\])?", target)
            assert match, f"{where}: {target} is not the checkout or its extras"
            named = set(match.group(1).split(",")) if match.group(1) else set()
            assert named <= extras, f"{where}: no extra {named - extras} in pyproject.toml"
    elif words[:2] == ["jupyter", "lab"]:
        folder = ROOT / words[2]
        assert sorted(folder.glob("*.ipynb")), f"{where}: no notebooks in {words[2]}"
    elif words[0] == "python" and words[1].endswith(".py"):
        assert (ROOT / words[1]).is_file(), f"{where}: no {words[1]}"
    else:
        pytest.fail(f"{where}: {' '.join(words)}: this test does not know how to check it")


def _reproduced_numbers(results: Path) -> None:
    """The numbers of the README's sections on the bundled articles are those of the run."""
    text = README.read_text(encoding="utf-8")
    for kind, pattern in (("figures", "figures/*.png"), ("tables", "tables/*.csv")):
        quoted = re.search(rf"writes into `results/` (\d+) {kind}|(\d+) {kind} \(", text)
        assert quoted, f"the README no longer says how many {kind} reproduce writes"
        number = int(quoted.group(1) or quoted.group(2))
        assert number == len(list(results.glob(pattern))), kind
    scores = pd.read_csv(results / "tables" / "scores.csv")
    for model in ("nmf", "lda"):
        section = text.split(f"**{model.upper()}**")[1].split("\n\n|")[1].split("\n\n")[0]
        c_v = float(re.search(r"c_v (\d\.\d\d)", text.split(f"**{model.upper()}**")[1]).group(1))
        mean = scores[(scores.model == model) & (scores.measure == "c_v")]["value"].mean()
        assert c_v == round(mean, 2), (model, c_v, mean)
        topics = pd.read_csv(results / "tables" / f"topics_{model}.csv")
        rows = [r.strip("|").split("|") for r in section.splitlines()[2:]]
        assert len(rows) == topics["topic"].nunique()
        for topic, words, _, stability in rows:
            own = topics[topics["topic"] == int(topic)].sort_values("rank")
            assert [w.strip() for w in words.split(",")] == list(own["word"].iloc[:8]), (model, topic)
            assert float(stability) == round(own["stability"].iloc[0], 2), (model, topic)
    chosen = pd.read_csv(results / "tables" / "recommended_k.csv")
    quoted = re.findall(r"select-k recommends k = (\d+)", text)
    assert quoted and {int(k) for k in quoted} == set(chosen["recommended_k"])


@pytest.mark.slow
def test_command_lines_run_as_written(workdir, monkeypatch, capsys):
    ran = 0
    for where, pipeline, comment in _shell_lines():
        words = pipeline[-1]
        if words[0] != "vnparty":
            assert len(pipeline) == 1, f"{where}: a pipeline into {words[0]}"
            _setup_line(where, words)
            continue
        stdin = ""
        for feeder in pipeline[:-1]:
            assert feeder[0] == "echo", f"{where}: {feeder[0]} is not echo"
            stdin = " ".join(feeder[1:]) + "\n"
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = main(words[1:])
        out, err = capsys.readouterr()
        assert status == 0, f"{where}: {' '.join(words)} exited with {status}:\n{err[-2000:]}"
        if comment and comment.startswith("prints:"):
            assert out.strip() == comment.removeprefix("prints:").strip(), (where, out)
        ran += 1
    assert ran >= 7
    _reproduced_numbers(workdir / "results")
