"""reportgen.toml: found upwards, validated with file/line/key, used for settings, templates overrides, languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.settings import Settings
from reportgen.workspace import find_workspace, load_workspace

SAMPLE = "annual-report-2024-25-at-a-glance"


@pytest.fixture
def workspace(tmp_path):
    assert main(["init", str(tmp_path / "ws")]) == 0
    return tmp_path / "ws"


def test_init_makes_a_valid_workspace_found_from_below(workspace):
    loaded = load_workspace(workspace)
    assert loaded.publications == workspace.resolve() / "publications"
    assert (loaded.publications / SAMPLE / "report.yaml").is_file()
    assert find_workspace(loaded.publications / SAMPLE) == workspace.resolve()
    settings = Settings.from_environment({}, workspace=loaded)
    assert settings.out_dir == workspace.resolve() / "out"
    assert settings.templates_dir == workspace.resolve() / "templates"


def test_environment_overrides_the_workspace(workspace, tmp_path):
    settings = Settings.from_environment(
        {"REPORTGEN_OUT": str(tmp_path / "elsewhere")}, workspace=load_workspace(workspace)
    )
    assert settings.out_dir == tmp_path / "elsewhere"


def test_init_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine")
    assert main(["init", str(tmp_path / "x")]) == 2
    assert "not an empty folder" in capsys.readouterr().err


BROKEN = """\
[workspace]
publications = "publications"
outt = "out"
languages = ["en-GB", "arr"]

[organisation]
name = "Test trust"
colours = { text = "#7fb3e6", graphics = "#005eb8" }
"""


def test_broken_toml_gives_file_line_key_and_exit_2(workspace, capsys, monkeypatch):
    (workspace / "reportgen.toml").write_text(BROKEN, encoding="utf-8")
    code = main(["--workspace", str(workspace), "build", str(workspace / "publications" / SAMPLE)])
    err = capsys.readouterr().err
    assert code == 2
    toml = workspace.resolve() / "reportgen.toml"
    assert f"{toml}:3: workspace.outt: unknown key (did you mean 'out'?)" in err
    assert f"{toml}:4: workspace.languages[1]: unknown language 'arr' (did you mean 'ar'?)" in err
    assert f"{toml}:8: organisation.colours.text: #7fb3e6 has a contrast of" in err
    assert "graphics" not in err.split("colours.text")[0]
    assert "Traceback" not in err


def test_toml_syntax_error_has_a_line(workspace, capsys):
    (workspace / "reportgen.toml").write_text('[workspace]\nout = "out\n', encoding="utf-8")
    assert main(["--workspace", str(workspace), "build", str(workspace / "publications" / SAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "reportgen.toml:2: " in err and "not valid TOML" in err


def test_a_template_override_changes_the_output(workspace, monkeypatch):
    monkeypatch.chdir(workspace)  # the workspace is found from the current folder, as a user runs it
    publication = Path("publications") / SAMPLE
    assert main(["build", str(publication), "--format", "html"]) == 0
    html = workspace / "out" / SAMPLE / f"{SAMPLE}.en-GB.html"
    assert "OVERRIDDEN CONTACT" not in html.read_text(encoding="utf-8")
    (workspace / "templates" / "blocks").mkdir(parents=True)
    (workspace / "templates" / "blocks" / "_contact.html").write_text(
        '<div class="contact"><p>OVERRIDDEN CONTACT</p></div>\n', encoding="utf-8"
    )
    assert main(["build", str(publication), "--format", "html"]) == 0
    assert "OVERRIDDEN CONTACT" in html.read_text(encoding="utf-8")


def test_default_languages_are_built_when_no_lang_is_given(workspace, monkeypatch):
    toml = workspace / "reportgen.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('# languages = ["en-GB", "ar"]', 'languages = ["en-GB", "ar"]'),
        encoding="utf-8",
    )
    assert (
        main(["--workspace", str(workspace), "build", str(workspace / "publications" / SAMPLE), "--format", "html"])
        == 0
    )
    out = workspace / "out" / SAMPLE
    assert sorted(p.name for p in out.glob("*.html")) == [f"{SAMPLE}.ar.html", f"{SAMPLE}.en-GB.html"]


def test_the_repository_is_a_workspace():
    root = Path(__file__).resolve().parents[1]
    loaded = load_workspace(root)
    assert loaded.publications == root / "data"
    assert loaded.translations == root / "translations"


def test_the_brand_text_colour_replaces_nhs_blue_and_rebuilds(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    publication = Path("publications") / SAMPLE
    html = workspace / "out" / SAMPLE / f"{SAMPLE}.en-GB.html"
    assert main(["build", str(publication), "--format", "html"]) == 0
    assert "--nhs-blue: #6b2c91" not in html.read_text(encoding="utf-8")
    toml = workspace / "reportgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('text = "#005eb8"', 'text = "#6b2c91"'), encoding="utf-8")
    # Only reportgen.toml changed: the build must see it, not call the page up to date.
    assert main(["build", str(publication), "--format", "html"]) == 0
    assert ":root { --nhs-blue: #6b2c91; }" in html.read_text(encoding="utf-8")


def test_the_brand_graphics_colour_draws_rules_and_borders(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    publication = Path("publications") / SAMPLE
    toml = workspace / "reportgen.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('graphics = "#005eb8"', 'graphics = "#00796b"'), encoding="utf-8"
    )
    assert main(["build", str(publication), "--format", "html"]) == 0
    page = (workspace / "out" / SAMPLE / f"{SAMPLE}.en-GB.html").read_text(encoding="utf-8")
    # text stays NHS Blue; rules and borders take the graphics colour
    assert ":root { --brand-graphics: #00796b; }" in page
    assert "border-inline-start: 6px solid var(--brand-graphics)" in page


def test_a_graphics_colour_below_3_to_1_is_refused(workspace, capsys):
    toml = workspace / "reportgen.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('graphics = "#005eb8"', 'graphics = "#aab7c4"'), encoding="utf-8"
    )
    assert main(["--workspace", str(workspace), "build", str(workspace / "publications" / SAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "organisation.colours.graphics: #aab7c4 has a contrast of" in err and "3:1" in err


def test_the_trusts_marks_in_survey_charts_take_the_graphics_colour():
    from reportgen.render import charts

    plain = charts.trend_chart(title="t", years=[2023, 2024], trust=[6.0, 7.0], average=[6.5, 6.6])
    branded = charts.trend_chart(
        title="t", years=[2023, 2024], trust=[6.0, 7.0], average=[6.5, 6.6], trust_colour="#00796b"
    )
    assert charts.TRUST in plain.svg and "#00796b" not in plain.svg
    assert "#00796b" in branded.svg and charts.TRUST not in branded.svg
    unbanded = charts.range_chart(
        title="t", score=5.0, average=6, lowest=2, highest=9, band=None, trust_colour="#00796b"
    )
    assert "stroke='#00796b'" in unbanded.svg


def test_i18n_commands_leave_the_built_in_ui_catalogs_alone_in_a_workspace(workspace, monkeypatch, capsys):
    """A workspace without its own ui.pot uses reportgen's UI catalogs: extract and update must
    not write a ui.pot or ui.po into it (that would replace every translated label), and status
    reports the built-in ones."""
    monkeypatch.chdir(workspace)
    translations = workspace / "translations"
    assert main(["i18n", "extract"]) == 0
    assert main(["i18n", "update", "--lang", "pl"]) == 0
    assert not (translations / "ui.pot").exists()
    assert not list(translations.glob("*/LC_MESSAGES/ui.po"))
    assert (translations / f"{SAMPLE}.pot").is_file()  # the publication's own catalog is still made
    assert (translations / "pl" / "LC_MESSAGES" / f"{SAMPLE}.po").is_file()
    capsys.readouterr()
    assert main(["i18n", "status", "--lang", "ar"]) in (0, 1)
    ui_line = next(line for line in capsys.readouterr().out.splitlines() if line.lstrip().startswith("ui"))
    assert "no catalog" not in ui_line, ui_line
