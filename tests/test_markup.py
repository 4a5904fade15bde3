from reportgen.content import markup


def test_content_is_data_not_markup():
    html = markup.inline_html("<script>alert(1)</script> {{ 7*7 }} 100% & more")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html and "100%" in html and "&amp;" in html


def test_bold_italic_and_links():
    html = markup.inline_html("**bold** and *italic* and [the CQC website](https://www.cqc.org.uk)")
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert '<a href="https://www.cqc.org.uk">the CQC website</a>' in html


def test_addresses_and_numbers_are_isolated_left_to_right():
    html = markup.inline_html(
        "اتصل 0116 295 0903 أو [lpt.patientinformation@nhs.net](mailto:lpt.patientinformation@nhs.net)"
    )
    assert '<span class="ltr" dir="ltr">0116 295 0903</span>' in html
    assert '<a href="mailto:lpt.patientinformation@nhs.net" class="ltr" dir="ltr">' in html


def test_descriptive_link_is_not_forced_left_to_right():
    assert 'dir="ltr"' not in markup.inline_html("[الموقع](https://www.leicspart.nhs.uk)")


def test_link_problems():
    assert markup.link_problem(markup.Link("#", "here"))
    assert markup.link_problem(markup.Link("https://x.nhs.uk", ""))
    assert markup.link_problem(markup.Link("javascript:alert(1)", "Open"))
    assert markup.link_problem(markup.Link("file:///etc/passwd", "Open"))
    assert markup.link_problem(markup.Link("https://www.cqc.org.uk", "CQC ratings")) is None
    assert markup.link_problem(markup.Link("#contact-us", "contact us")) is None


def test_plain_text_drops_markers():
    assert markup.plain_text("**Our values** [here](https://x.nhs.uk)") == "Our values here"


def test_values_fill_placeholders_without_becoming_markup():
    values = {"rate": "58.4%", "evil": "<b>*x*</b>"}
    html = markup.inline_html("Response rate {rate}; {evil}", values)
    assert "Response rate 58.4%;" in html and "&lt;b&gt;*x*&lt;/b&gt;" in html
    assert markup.placeholders("a {rate} b {other_value}") == ["rate", "other_value"]
    assert markup.plain_text("**{rate}**", values) == "58.4%"
