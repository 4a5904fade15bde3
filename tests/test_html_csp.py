"""Every built web page carries a Content-Security-Policy that lets it run no script at all,
whatever its content says (issue 14, item 9): defence in depth behind the escaping."""

from __future__ import annotations

from html.parser import HTMLParser

from conftest import output_path


class Head(HTMLParser):
    """The CSP <meta> of a page, and what comes before it in the document."""

    def __init__(self):
        super().__init__()
        self.policy, self.before = None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = self.policy or attrs.get("content")
        elif self.policy is None:
            self.before.append(tag)


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_built_sample_page_has_a_policy_that_allows_no_script(built_samples):
    for name, result in built_samples.items():
        head = Head()
        head.feed(output_path(result, "html").read_text(encoding="utf-8"))
        assert head.policy, f"{name}: no Content-Security-Policy <meta>"
        assert head.before == ["html", "head", "meta"], f"{name}: the policy must come first, after the charset"
        policy = directives(head.policy)
        assert policy["default-src"] == ["'none'"], name
        assert "script-src" not in policy and "script-src-elem" not in policy, name
        assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"], name
        assert not any("unsafe-eval" in v or "*" in v or "http:" in v for v in policy.values()), name


def run_in_chromium(browser, path) -> dict:
    page = browser.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(path.as_uri())
        page.wait_for_timeout(200)  # the image's onerror, if it were allowed
        return {
            "ran": page.evaluate("window.injected || []"),
            "title": page.title(),
            "console": console,
            "images": page.evaluate("[...document.images].filter(i => i.naturalWidth > 0).length"),
            "all_images": page.evaluate("document.images.length"),
        }
    finally:
        page.close()


def test_a_script_injected_into_a_built_page_does_not_run(built_samples, browser, tmp_path):
    html = output_path(built_samples["annual-report-summary-2024-25"], "html").read_text(encoding="utf-8")
    injected = (
        "<script>(window.injected = window.injected || []).push('inline'); document.title = 'pwned';</script>"
        '<img src="data:,broken" alt="" onerror="(window.injected = window.injected || []).push(\'onerror\')">'
        "<svg><script>(window.injected = window.injected || []).push('svg')</script></svg>"
    )
    attacked = tmp_path / "attacked.html"
    attacked.write_text(html.replace("</main>", injected + "</main>", 1), encoding="utf-8")
    seen = run_in_chromium(browser, attacked)
    assert seen["ran"] == [], seen["ran"]
    assert seen["title"] != "pwned"
    assert any("Content Security Policy" in line for line in seen["console"]), seen["console"]
    # The page's own pictures (embedded) still show: the policy blocks script, not the page.
    assert seen["images"] == seen["all_images"] - 1 >= 3
    # Without the policy the same page runs all three: the check above can fail.
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    unprotected = tmp_path / "unprotected.html"
    unprotected.write_text(
        (html[:start] + html[html.index(">", start) + 1 :]).replace("</main>", injected + "</main>", 1),
        encoding="utf-8",
    )
    assert sorted(run_in_chromium(browser, unprotected)["ran"]) == ["inline", "onerror", "svg"]
