"""Incremental builds: unchanged inputs → the file is skipped, and the build says what and why.

Each test builds a copy of the at-a-glance edition (HTML only unless a PDF matters), changes
one input, and checks which files are built again and the reason given.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.build import sources
from reportgen.build import stamps as incremental
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest
from reportgen.cli import main

GLANCE = "annual-report-2024-25-at-a-glance"
HTML = ["html"]


@pytest.fixture
def glance(copy_sample, translations, tmp_path):
    """(publication folder, out folder) for a private copy of the at-a-glance edition."""
    return copy_sample(GLANCE), tmp_path / "out"


def build(folder, out, langs=("en-GB", "ar"), formats=HTML, **options):
    return build_report(folder, BuildRequest(langs=list(langs), formats=formats, out_dir=out, **options))


def states(result):
    """{(lang, format): 'built' | 'skipped'}."""
    return {(o.lang, o.format): "skipped" if o.skipped else "built" for o in result.outputs}


def reasons(result):
    return {(o.lang, o.format): o.reason for o in result.outputs}


def test_a_second_build_with_nothing_changed_builds_nothing(glance):
    folder, out = glance
    first = build(folder, out)
    assert set(states(first).values()) == {"built"}
    assert set(reasons(first).values()) == {"not built before"}
    times = {o.path: o.path.stat().st_mtime_ns for o in first.outputs}
    for output in first.outputs:  # each file has its record, naming what it was made from
        stamp = json.loads(incremental.stamp_path(output.path).read_text())
        assert stamp["size"] == output.size and stamp["inputs"]["setting/language"] == output.lang
        assert "publication/report.yaml" in stamp["inputs"] and "code/reportgen" in stamp["inputs"]
    again = build(folder, out)
    assert set(states(again).values()) == {"skipped"}
    assert set(reasons(again).values()) == {"up to date"}
    assert {o.path: o.path.stat().st_mtime_ns for o in again.outputs} == times, "nothing is rewritten"
    assert [o.path for o in again.outputs] == [o.path for o in first.outputs]


def test_a_changed_data_file_rebuilds_every_language_and_says_which_file(glance):
    folder, out = glance
    build(folder, out)
    report = folder / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    result = build(folder, out)
    assert set(states(result).values()) == {"built"}
    assert set(reasons(result).values()) == {"report.yaml changed"}
    (folder / "new-picture.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert set(reasons(build(folder, out)).values()) == {"new-picture.svg is new"}


def test_a_changed_catalog_rebuilds_only_its_language(glance, translations):
    folder, out = glance
    build(folder, out)
    catalog = translations / "ar" / "LC_MESSAGES" / f"{GLANCE}.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = build(folder, out)
    assert states(result) == {("en-GB", "html"): "skipped", ("ar", "html"): "built"}
    assert reasons(result)[("ar", "html")] == f"translations ar/{GLANCE}.po changed"


def test_a_changed_template_font_or_code_rebuilds_and_says_so(glance, monkeypatch, tmp_path):
    folder, out = glance
    templates = tmp_path / "templates"
    shutil.copytree(sources.TEMPLATES_DIR, templates)
    monkeypatch.setattr(sources, "TEMPLATES_DIR", templates)
    build(folder, out)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert set(reasons(build(folder, out)).values()) == {"template base.html changed"}

    fonts = incremental.font_inputs()
    some_font = next(iter(fonts))
    monkeypatch.setattr(incremental, "font_inputs", lambda: fonts | {some_font: "1:2"})
    assert set(reasons(build(folder, out)).values()) == {f"font {some_font.split('/', 1)[1]} changed"}

    code = incremental.code_inputs()
    monkeypatch.setattr(incremental, "code_inputs", lambda: code | {"code/reportgen": "9.9.9+other"})
    assert set(reasons(build(folder, out)).values()) == {"reportgen's code changed"}
    monkeypatch.setattr(
        incremental, "code_inputs", lambda: code | {"code/reportgen": "9.9.9+other", "library/weasyprint": "71.0"}
    )
    assert set(reasons(build(folder, out)).values()) == {f"weasyprint {code['library/weasyprint']} → 71.0"}


def test_an_edited_or_missing_output_is_rebuilt_but_a_touched_one_is_not(glance):
    folder, out = glance
    first = build(folder, out)
    english, arabic = (o.path for o in first.outputs)
    english.write_text(english.read_text(encoding="utf-8").replace("<main", "<main data-edited", 1), encoding="utf-8")
    arabic.unlink()
    result = build(folder, out)
    assert reasons(result) == {
        ("en-GB", "html"): "the file was changed after it was built",
        ("ar", "html"): "the file is missing",
    }
    os.utime(english, ns=(1, 1))  # copied or touched: same bytes, another time
    assert set(states(build(folder, out)).values()) == {"skipped"}


def test_force_and_settings_rebuild(glance):
    folder, out = glance
    build(folder, out, langs=["ar"])
    forced = build(folder, out, langs=["ar"], force=True)
    (output,) = forced.outputs
    assert not output.skipped and output.reason == "rebuild asked for (--force)"
    assert not output.changed, "the same bytes came out: the file was not rewritten"
    partial = build(folder, out, langs=["ar"], allow_partial=True)
    assert reasons(partial) == {("ar", "html"): "allow-partial was no, now yes"}
    pdf = build(folder, out, langs=["ar"], formats=["html", "pdf"], allow_partial=True)
    assert states(pdf) == {("ar", "html"): "skipped", ("ar", "pdf"): "built"}


def test_an_unreadable_record_is_not_trusted(glance):
    folder, out = glance
    (output,) = build(folder, out, langs=["en-GB"]).outputs
    incremental.stamp_path(output.path).write_text("{not json")
    assert reasons(build(folder, out, langs=["en-GB"])) == {("en-GB", "html"): "its build record is unreadable"}
    stamp = incremental.stamp_path(output.path)
    stamp.write_text(json.dumps(json.loads(stamp.read_text()) | {"version": 0}))
    assert reasons(build(folder, out, langs=["en-GB"])) == {("en-GB", "html"): "built by another version of reportgen"}


def test_broken_input_after_a_good_build_is_an_error_not_a_skip(glance):
    from reportgen.errors import InputError

    folder, out = glance
    build(folder, out)
    report = folder / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(InputError):
        build(folder, out)


@pytest.mark.expect_warnings
def test_untranslated_passages_are_still_reported_when_skipped(glance, translations):
    from babel.messages.pofile import read_po

    from reportgen.i18n import catalogs

    folder, out = glance
    path = catalogs.po_path("pl", GLANCE)
    catalog = read_po(path.open("rb"), locale="pl")
    untranslated = next(message for message in catalog if message.id)
    untranslated.string = ""
    catalogs.pin_plural_forms(catalog, "pl")
    catalogs.write_catalog(catalog, path)
    first = build(folder, out, langs=["pl"], allow_partial=True)
    again = build(folder, out, langs=["pl"], allow_partial=True)
    assert first.untranslated == {"pl": (untranslated.id,)}
    assert again.untranslated == first.untranslated
    assert set(states(again).values()) == {"skipped"}


def test_explain_names_what_changed_in_words():
    old = {
        "publication/report.yaml": "a",
        "publication/chart.csv": "b",
        "catalog/ar/ui.po": "c",
        "code/reportgen": "1",
        "setting/format": "pdf",
    }
    assert incremental.explain(old, dict(old)) == ""
    new = old | {"publication/report.yaml": "z", "catalog/ar/ui.po": "missing"}
    del new["publication/chart.csv"]
    assert (
        incremental.explain(old, new) == "translations ar/ui.po was removed; chart.csv was removed; report.yaml changed"
    )
    new |= {"code/reportgen": "2", "setting/format": "html"}
    assert (
        incremental.explain(old, new, limit=2)
        == "translations ar/ui.po was removed; reportgen's code changed; and 3 more"
    )


def test_the_command_line_says_what_it_skipped(glance, capsys):
    folder, out = glance
    args = ["build", str(folder), "--lang", "en-GB,ar", "--format", "html", "--out", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out.count("— built: not built before") == 2
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "Up to date:" in said and "all 2 file(s) skipped, up to date" in said and "en-GB, ar" in said
    report = folder / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(args + ["--lang", "ar"]) == 0
    assert "ar.html  (HTML, ar, " in (said := capsys.readouterr().out) and "— same bytes: report.yaml changed" in said


def test_an_output_folder_inside_the_publication_is_not_one_of_its_inputs(glance):
    folder, _ = glance
    out = folder / "out"
    build(folder, out)
    assert set(states(build(folder, out)).values()) == {"skipped"}


COUNTING_BUILD = """
import json, sys
from pathlib import Path
import reportgen.build.edition as edition
from reportgen.build.core import build_report
from reportgen.build.request import BuildRequest

loads = []
real = edition.load_report
edition.load_report = lambda *a, **k: loads.append(str(a[0])) or real(*a, **k)
folder, out, langs = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
result = build_report(folder, BuildRequest(langs=langs, formats=["html"], out_dir=out, jobs=1))
states = sorted({"skipped" if o.skipped else "built" for o in result.outputs})
print(json.dumps({"states": states, "loads": len(loads)}))
"""


def build_in_a_new_process(folder, out, langs=("en-GB", "ar")) -> dict:
    """Build as the next command would: a new process, so nothing is cached in memory yet.
    Returns the states of its files and how often it read and validated report.yaml."""
    done = subprocess.run(
        [sys.executable, "-c", COUNTING_BUILD, str(folder), str(out), ",".join(langs)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_up_to_date_publication_is_not_checked_again_but_a_changed_one_is(glance):
    folder, out = glance
    build(folder, out)
    # its files are those of a build that passed: id, language and title suffice
    assert build_in_a_new_process(folder, out) == {"states": ["skipped"], "loads": 0}
    # a file to build: the publication is checked in full, once
    assert build_in_a_new_process(folder, out, ["en-GB", "ar", "pl"]) == {"states": ["built", "skipped"], "loads": 1}


def test_a_stale_publication_is_read_and_checked_once_for_all_its_languages(glance):
    """Planning loads the publication; the serial build's languages (and workers forked after
    planning) reuse it rather than reading and validating report.yaml again."""
    folder, out = glance
    assert build_in_a_new_process(folder, out, ["en-GB", "ar", "pl"]) == {"states": ["built"], "loads": 1}


def test_library_versions_are_those_importlib_metadata_reports():
    """The stamps read versions from the dist-info folder names (fast); they must be the
    versions importlib.metadata gives, for every library that shapes the output."""
    from importlib import metadata

    found = incremental.code_inputs()
    for name in incremental.LIBRARIES:
        assert found[f"library/{name}"] == metadata.version(name), name
    assert incremental._installed_versions()[incremental._normalise("markdown-it-py")] == metadata.version(
        "markdown-it-py"
    )


def test_the_code_digest_covers_every_stage_package_not_only_build():
    """A change to a renderer (formats/), the model (content/) or a language must make files stale."""
    import reportgen

    root = Path(reportgen.__file__).resolve().parent
    hashed = {path.relative_to(root).as_posix() for path in incremental.code_files()}
    for module in ("formats/html.py", "formats/pdf/render.py", "content/model.py", "languages.py", "build/stamps.py"):
        assert module in hashed, module
