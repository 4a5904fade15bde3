"""Warm workers: languages and publications spread over processes, same bytes as one by one."""

from __future__ import annotations

import os

from reportgen.build import tasks, workers
from reportgen.build.core import build_reports
from reportgen.build.request import BuildRequest
from reportgen.cli import main
from reportgen.errors import Finding, InputError

GLANCE = "annual-report-2024-25-at-a-glance"
LETTER_ID = "letter-to-carers-2025"


def test_a_pool_makes_the_same_bytes_as_one_process(copy_sample, tmp_path):
    folder = copy_sample(GLANCE)
    langs = ["en-GB", "ar", "zh-Hant"]
    serial = build_reports([folder], BuildRequest(langs=langs, out_dir=tmp_path / "one", jobs=1))
    seen = []
    parallel = build_reports(
        [folder], BuildRequest(langs=langs, out_dir=tmp_path / "two", jobs=2), progress=seen.append
    )
    one, two = serial[0].result, parallel[0].result
    assert [(o.lang, o.format) for o in one.outputs] == [(o.lang, o.format) for o in two.outputs]
    for a, b in zip(one.outputs, two.outputs, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name
    assert sorted(m.task.lang for m in seen) == sorted(langs), "one task per language, both formats in it"
    assert all(m.failure is None and m.worker != os.getpid() for m in seen), "built in worker processes"
    # ru_maxrss is in KiB on Linux: a warm worker (WeasyPrint, fonts, a laid-out edition) holds
    # well over 50 MB and stays under the 600 MB per-worker target (README: 265 MB measured).
    assert all(50 < m.peak_mb < 600 for m in seen), [m.peak_mb for m in seen]


def test_one_failing_publication_does_not_stop_the_others(copy_sample, tmp_path):
    good = copy_sample(GLANCE)
    bad = copy_sample("cqc-community-mental-health-news-2025")
    report = bad / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    results = build_reports(
        [good, bad], BuildRequest(langs=["all"], formats=["html"], out_dir=tmp_path / "out", jobs=2)
    )
    assert results[0].error is None and len(results[0].result.outputs) == 10
    assert isinstance(results[1].error, InputError) and results[1].result is None
    assert not (tmp_path / "out" / "cqc-community-mental-health-news-2025").exists()


def test_a_language_failing_in_a_worker_comes_back_whole_and_nothing_is_written(copy_sample, translations, tmp_path):
    folder = copy_sample(GLANCE)
    (translations / "ar" / "LC_MESSAGES" / f"{GLANCE}.po").unlink()
    (result,) = build_reports(
        [folder], BuildRequest(langs=["en-GB", "ar", "pl"], formats=["html"], out_dir=tmp_path / "out", jobs=2)
    )
    assert isinstance(result.error, InputError)
    assert "there is no Arabic (ar) translation" in str(result.error), "the problem list crossed the process boundary"
    assert not (tmp_path / "out" / GLANCE).exists(), "all or nothing per publication"


def test_failure_carries_class_message_and_problems():
    problem = Finding("data/x/report.yaml", 3, "/title", "missing")
    failure = tasks.Failure("InputError", "data/x/report.yaml: cannot be built", (problem,))
    error = failure.error()
    assert type(error) is InputError and error.problems == (problem,) and error.exit_code == 2
    assert type(tasks.Failure("NotAnError", "m").error()).__name__ == "BuildError"


def test_longest_tasks_go_first():
    order = []
    request = BuildRequest()
    todo = [
        tasks.Task("f", lang, ("pdf",), request, expected_seconds=s) for lang, s in [("a", 1.0), ("b", 9.0), ("c", 3.0)]
    ]
    workers.run_tasks(lambda task: order.append(task.lang) or tasks.Made(task), todo, jobs=1)
    assert order == ["b", "c", "a"]


def test_several_publications_on_the_command_line(copy_sample, tmp_path, capsys):
    first, second = copy_sample(GLANCE), copy_sample("cqc-community-mental-health-news-2025")
    args = ["build", str(first), str(second), "--format", "html", "--out", str(tmp_path / "out"), "--jobs", "2"]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert said.count("Built ") == 2 and said.count("— built: not built before") == 2
    assert main(args + ["--force"]) == 0
    assert capsys.readouterr().out.count("— same bytes: rebuild asked for (--force)") == 2
    assert main(["build", str(first), "--jobs", "0"]) == 1
    assert "--jobs must be 1 or more" in capsys.readouterr().err
