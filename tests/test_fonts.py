"""Glyph coverage: checked before rendering; tested with a restricted font configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.fonts import coverage as fonts

ROOT = Path(__file__).resolve().parents[1]
NOTO_SANS = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


def test_characters_are_grouped_by_language():
    html = '<html lang="en-GB"><p>Hi <span lang="ar" dir="rtl">مرحبا <b>x</b></span> £</p><style>p{}</style></html>'
    chars = fonts.characters_by_language(html, "en-GB")
    assert chars["ar"] == set("مرحباx")
    assert {"H", "i", "£"} <= chars["en-GB"] and "{" not in chars["en-GB"]


def test_installed_stacks_cover_the_trusts_languages():
    samples = {
        "ar": "صحة",
        "bn": "রিপোর্ট",
        "zh-Hant": "語言資訊",
        "gu": "માહિતી",
        "hi": "जानकारी",
        "pl": "Jeśli łódź",
        "pa": "ਰਿਪੋਰਟ",
        "so": "Haddii",
        "ur": "صحت معلومات",
        "en-GB": "£ € – “ ” •",
    }
    assert fonts.find_gaps({tag: set(text) for tag, text in samples.items()}) == []


def test_a_character_no_font_has_is_a_gap():
    gaps = fonts.find_gaps({"en-GB": set("ok\U0001fa7b")})
    assert [gap.characters for gap in gaps] == ["\U0001fa7b"]


@pytest.mark.skipif(not NOTO_SANS.exists(), reason="fonts-noto-core not installed")
def test_restricted_font_configuration_stops_the_build(tmp_path):
    """With only Noto Sans available, a Bengali passage stops the build: exit 3, no PDF."""
    fontdir = tmp_path / "fonts"
    fontdir.mkdir()
    (fontdir / NOTO_SANS.name).symlink_to(NOTO_SANS)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{fontdir}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    report = tmp_path / "report"
    report.mkdir()
    (report / "report.yaml").write_text(
        "format: 1\nid: bengali-test\ntitle: Test\norganisation: LPT\npublished: 2025-07-24\n"
        "publisher: Comms\ndescription: Test.\ncontact: {email: a@nhs.net}\nsections:\n"
        "  - title: Languages\n    blocks:\n      - type: paragraph\n        lang: bn\n"
        "        text: আপনার যদি এই তথ্য\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(report), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 3, run.stderr
    assert "Bengali (bn)" in run.stderr and "আ (U+0986)" in run.stderr
    assert "fonts-noto-core" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()
