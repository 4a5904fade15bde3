"""reportgen serve: safety of the web app (CSRF, upload limit, paths from requests, binding, sign-in).

One server per module, over copies of the letter fixture and translations/. Requests are made
with the standard library (Starlette's TestClient needs httpx, which is not a dependency);
the sign-in tests call the ASGI app directly.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import LETTER_ID, asgi_request, web_server
from reportgen.cli import main
from reportgen.formats import FORMATS
from reportgen.web import MAX_UPLOAD_BYTES, Config, check_host, create_app
from reportgen.web.auth import hash_password


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with web_server(tmp_path_factory.mktemp("web")) as (base, config):
        yield base, config


class Client:
    """A browser-like client: keeps its session cookie, reads the CSRF token from pages."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def get(self, path: str):
        return self.request(path)

    def post(self, path: str, fields: dict):
        return self.request(
            path, urllib.parse.urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def token(self, path: str = "/archive") -> str:
        _status, html, _headers = self.get(path)
        return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)

    def upload(self, path: str, fields: dict, name: str, data: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_pages_answer_with_security_headers_and_a_strict_session_cookie(site):
    base, _config = site
    status, html, headers = Client(base).get("/")
    assert status == 200 and "Carers – our promise to you" in html
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


@pytest.mark.parametrize(
    "path",
    [
        f"/reports/{LETTER_ID}/jobs/build",
        f"/reports/{LETTER_ID}/jobs/publish",
        f"/reports/{LETTER_ID}/translations/request",
        "/archive/verify",
        "/sign-out",
    ],
)
def test_post_without_a_csrf_token_is_refused(site, path):
    client = Client(site[0])
    client.get("/")
    status, html, _ = client.post(path, {"lang": "en-GB"})
    assert status == 403 and "security token" in html


def test_a_token_from_another_session_is_refused(site):
    base, _config = site
    stolen = Client(base).token()
    victim = Client(base)
    victim.get("/")
    status, _html, _ = victim.post(f"/reports/{LETTER_ID}/jobs/build", {"lang": "en-GB", "csrf_token": stolen})
    assert status == 403


def test_upload_over_the_limit_is_refused_with_a_clear_message(site):
    client = Client(site[0])
    token = client.token(f"/reports/{LETTER_ID}/translations")
    status, html, _ = client.upload(
        f"/reports/{LETTER_ID}/translations/import",
        {"csrf_token": token, "lang": "pl"},
        "big.po",
        b"#" * (MAX_UPLOAD_BYTES + 100 * 1024),
    )
    assert status == 413
    assert "larger than 2 MB" in html and 'href="#upload-file"' in html, "the error links to the field"


def test_upload_is_data_only_whatever_its_name(site):
    base, config = site
    client = Client(base)
    token = client.token(f"/reports/{LETTER_ID}/translations")
    status, html, _ = client.upload(
        f"/reports/{LETTER_ID}/translations/import",
        {"csrf_token": token, "lang": "pl"},
        "../../../evil.po",
        b'msgid "x"\nmsgstr "y"\n',
    )
    assert status == 422 and "Nothing was imported" in html
    assert not (config.data_dir.parent / "evil.po").exists() and not list(config.data_dir.parent.rglob("evil.po"))
    status, html, _ = client.upload(
        f"/reports/{LETTER_ID}/translations/import", {"csrf_token": token, "lang": "pl"}, "notes.txt", b"hello"
    )
    assert status == 400 and ".po or .xlf" in html


@pytest.mark.parametrize(
    "path",
    [
        "/reports/..%2F..%2Fetc",
        "/reports/unknown-report",
        "/reports/%2Fetc%2Fpasswd/translations",
        f"/reports/{LETTER_ID}/preview/..%2F..",
        f"/reports/{LETTER_ID}/preview/xx",
        f"/reports/{LETTER_ID}/out/..%2F..%2Freport.html",
        f"/reports/{LETTER_ID}/out/en-GB.yaml",
        f"/reports/{LETTER_ID}/translations/pl/..%2F..%2F..%2Fdata%2F{LETTER_ID}%2Freport.yaml",
        f"/reports/{LETTER_ID}/translations/pl/%2Fetc%2Fpasswd",
        f"/reports/{LETTER_ID}/translations/xx/a.po",
        "/archive/files/..%2F..%2Fetc/pl/1",
        f"/archive/files/{LETTER_ID}/%2Fetc%2Fpasswd/1",
        f"/archive/files/{LETTER_ID}/pl/..%2F1",
        "/static/..%2F..%2Fpyproject.toml",
        "/static/%2Fetc%2Fpasswd",
    ],
)
def test_paths_from_requests_are_refused(site, path):
    status, html, _ = Client(site[0]).get(path)
    assert status in (400, 404), (path, status)
    assert "root:" not in html and "[project]" not in html


def test_unknown_language_in_a_form_is_refused(site):
    client = Client(site[0])
    token = client.token()
    for lang in ("../../x", "/etc/passwd", "xx"):
        status, _html, _ = client.post(f"/reports/{LETTER_ID}/jobs/build", {"lang": lang, "csrf_token": token})
        assert status == 400


def test_unknown_pdf_standard_in_a_form_is_refused(site):
    client = Client(site[0])
    token = client.token()
    status, html, _ = client.get(f"/reports/{LETTER_ID}")
    assert 'name="pdf_standard" value="ua-2"' in html
    form = {"lang": "en-GB", "csrf_token": token, "pdf_standard": "ua-3"}
    status, html, _ = client.post(f"/reports/{LETTER_ID}/jobs/build", form)
    assert status == 400 and "ua-1, ua-2" in html


def test_archive_filters_are_checked(site):
    status, html, _ = Client(site[0]).get("/archive?since=yesterday&lang=..%2F")
    assert status == 400 and 'href="#filter-since"' in html and 'href="#filter-lang"' in html


def test_serve_refuses_a_non_loopback_host_without_the_flag(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 1
    assert "--allow-remote" in capsys.readouterr().err
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_host(host, allow_remote=False)
    check_host("10.0.0.5", allow_remote=True)


# -- sign-in, through the ASGI app directly ----------------------------------------------


def test_proxy_header_sign_in(site):
    _base, config = site
    app = create_app(Config(**{**config.__dict__, "trust_proxy_header": "X-Remote-User"}))
    assert asgi_request(app, "/archive")[0] == 401
    status, _headers, html = asgi_request(app, "/archive", {"X-Remote-User": "jo.bloggs"})
    assert status == 200 and "Signed in as jo.bloggs" in html


def test_password_file_sign_in(site, tmp_path):
    _base, config = site
    passwords = tmp_path / "passwords"
    passwords.write_text(hash_password("jo", "correct horse", iterations=1000) + "\n")
    app = create_app(Config(**{**config.__dict__, "password_file": passwords}))
    status, headers, _ = asgi_request(app, "/archive")
    assert status == 303 and headers["location"] == "/sign-in"
    status, headers, html = asgi_request(app, "/sign-in")
    cookie = headers["set-cookie"].split(";")[0]
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)
    form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    wrong = urllib.parse.urlencode({"csrf_token": token, "name": "jo", "password": "wrong"}).encode()
    status, _, html = asgi_request(app, "/sign-in", form, "POST", wrong)
    assert status == 400 and 'href="#sign-in-name"' in html
    right = urllib.parse.urlencode({"csrf_token": token, "name": "jo", "password": "correct horse"}).encode()
    status, headers, _ = asgi_request(app, "/sign-in", form, "POST", right)
    assert status == 303
    signed_in = headers["set-cookie"].split(";")[0]  # a new session at sign-in (tests/test_web_sessions.py)
    status, _, html = asgi_request(app, "/archive", {"Cookie": signed_in})
    assert status == 200 and "Signed in as jo" in html


def test_other_host_names_and_origins_are_refused(site):
    """DNS rebinding and cross-site forms."""
    client = Client(site[0])
    assert client.request("/", headers={"Host": "attacker.example"})[0] == 400
    token = client.token()
    status, _, _ = client.request(
        "/archive/verify",
        urllib.parse.urlencode({"csrf_token": token}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://attacker.example"},
    )
    assert status == 403


def test_a_broken_publication_is_shown_not_a_crash(site):
    base, config = site
    broken = config.data_dir / "broken-one"
    broken.mkdir()
    (broken / "report.yaml").write_text("id: broken-one\ntitle: [unclosed\n")
    try:
        client = Client(base)
        status, html, _ = client.get("/")
        assert status == 200 and "Carers – our promise to you" in html and "broken-one" in html
        status, html, _ = client.get("/reports/broken-one")
        assert status == 200 and "cannot be built yet" in html
    finally:
        (broken / "report.yaml").unlink()
        broken.rmdir()


def test_a_build_runs_in_a_worker_while_the_pages_keep_answering(site):
    import json
    import time

    client = Client(site[0])
    status, _html, headers = client.post(
        f"/reports/{LETTER_ID}/jobs/build", {"lang": "en-GB", "csrf_token": client.token()}
    )
    assert status == 303
    job = headers["Location"]
    started = time.monotonic()
    finished_before = json.loads(client.get(job + "/status")[1])["finished"]
    status, html, _ = client.get(job)  # without JavaScript: a progress indicator and a link to look again
    finished_after = json.loads(client.get(job + "/status")[1])["finished"]
    assert status == 200 and time.monotonic() - started < 2
    # A build in a freshly spawned worker takes seconds, so the page is nearly always the running
    # one; whichever it is, it must be the page of the state the job was in when it was served.
    running = 'data-finished="no"' in html
    if not finished_after:  # still running after the page was served: the page is the running page
        assert running, html
    if finished_before:  # already finished before: the page is the finished page
        assert not running, html
    if running:
        assert "<progress" in html and f'<a href="{job}">check again</a>' in html, html
        assert 'id="job-result"' not in html
    else:
        assert 'id="job-result"' in html and "<progress" not in html
    deadline = time.monotonic() + 120
    while not json.loads(client.get(job + "/status")[1])["finished"]:
        assert client.get("/archive")[0] == 200
        assert time.monotonic() < deadline
        time.sleep(0.5)
    status, html, _ = client.get(job)
    assert "Finished" in html and "Open the PDF in English (en-GB)" in html


def test_the_web_pages_are_not_in_the_translation_catalogs():
    from reportgen.i18n.catalogs import extract_ui

    assert not [loc for message in extract_ui() for loc, _line in message.locations if "templates/web/" in loc]


def test_the_build_form_offers_every_format_and_builds_the_chosen_ones(site):
    import json
    import time

    client = Client(site[0])
    _status, page, _ = client.get(f"/reports/{LETTER_ID}")
    for name, fmt in FORMATS.items():
        checked = " checked" if fmt.by_default else ""
        assert f'name="format" value="{name}"{checked}>' in page, name
    token = client.token()
    status, html, _ = client.post(
        f"/reports/{LETTER_ID}/jobs/build", [("lang", "en-GB"), ("format", "nonsense"), ("csrf_token", token)]
    )
    assert status == 400 and "is not a format reportgen can make" in html
    status, _html, headers = client.post(
        f"/reports/{LETTER_ID}/jobs/build", [("lang", "en-GB"), ("format", "txt"), ("csrf_token", client.token())]
    )
    assert status == 303
    job = headers["Location"]
    deadline = time.monotonic() + 120
    while not json.loads(client.get(job + "/status")[1])["finished"]:
        assert time.monotonic() < deadline
        time.sleep(0.5)
    folder = Path(site[1].out_dir) / LETTER_ID
    assert (folder / f"{LETTER_ID}.en-GB.txt").is_file()
