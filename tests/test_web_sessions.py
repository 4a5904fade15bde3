"""reportgen serve: sessions and sign-in under attack (issue 14, item 8).

A new session at sign-in and sign-out (no fixation), cookies the server did not make replaced
rather than adopted, the password check off the event loop, failed attempts throttled per name
and per address, forms accepted only from the pages' exact origin, Secure cookies over https.
Requests go through the ASGI app directly (conftest.asgi_request), one app per test.
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse

import pytest

from conftest import asgi_request, web_server
from reportgen.cli import main
from reportgen.web import Config, create_app, csrf
from reportgen.web.auth import Throttle, hash_password

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    root = tmp_path_factory.mktemp("sessions")
    passwords = root / "passwords"
    passwords.write_text(hash_password("jo", "correct horse", iterations=1000) + "\n")
    with web_server(root, password_file=passwords) as (_base, config):
        yield config


def app_for(config: Config, **options):
    return create_app(Config(**{**config.__dict__, **options}))


def cookie_of(headers: dict) -> str:
    """The ``name=value`` of the session cookie a response sets."""
    return headers["set-cookie"].split(";")[0]


def sign_in_page(app, cookie: str | None = None, client: str = "127.0.0.1"):
    """A sign-in page: (the cookie to send, its CSRF token)."""
    _status, headers, html = asgi_request(app, "/sign-in", {"Cookie": cookie} if cookie else {}, client=client)
    cookie = cookie_of(headers) if "set-cookie" in headers else cookie
    return cookie, re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)


def post(app, path: str, cookie: str, fields: dict, client: str = "127.0.0.1", **headers):
    body = urllib.parse.urlencode(fields).encode()
    return asgi_request(app, path, {"Cookie": cookie, "Content-Type": FORM, **headers}, "POST", body, client=client)


def sign_in(app, name: str, password: str, client: str = "127.0.0.1", cookie: str | None = None):
    cookie, token = sign_in_page(app, cookie, client)
    status, headers, html = post(
        app, "/sign-in", cookie, {"csrf_token": token, "name": name, "password": password}, client
    )
    return status, headers, html, cookie


def signed_in_as(app, cookie: str) -> str | None:
    status, _headers, html = asgi_request(app, "/archive", {"Cookie": cookie})
    found = re.search(r"Signed in as ([^<\s]+)", html)
    return found.group(1) if status == 200 and found else None


# -- session ids ---------------------------------------------------------------------------


def test_signing_in_starts_a_new_session_so_a_planted_cookie_is_worthless(config):
    app = app_for(config)
    status, headers, _html, before = sign_in(app, "jo", "correct horse")
    assert status == 303 and "set-cookie" in headers
    after = cookie_of(headers)
    assert after != before
    assert signed_in_as(app, after) == "jo"
    assert signed_in_as(app, before) is None  # whoever planted `before` is not signed in


def test_a_cookie_the_server_did_not_make_is_replaced_not_adopted(config):
    app = app_for(config)
    made = cookie_of(asgi_request(app, "/sign-in")[1])
    # The server's own cookie is kept (no new one is sent) ...
    assert "set-cookie" not in asgi_request(app, "/sign-in", {"Cookie": made})[1]
    value = made.split("=", 1)[1]
    forged_id = "attacker-chosen-session-id"
    signed_elsewhere = csrf.cookie_value(b"another server's secret key 123", forged_id)
    for forged in (forged_id, signed_elsewhere, value + "x", value.split(".")[0] + ".", "a.b.c", "x" * 5000):
        _status, headers, html = asgi_request(app, "/sign-in", {"Cookie": f"{csrf.SESSION_COOKIE}={forged}"})
        # ... any other is replaced by a new signed session, whose token is not the forged id's.
        replacement = cookie_of(headers).split("=", 1)[1]
        assert replacement != forged and not replacement.startswith(forged_id)
        assert csrf.session_from_cookie(config.secret, replacement) is not None
        assert csrf.token_for(config.secret, forged_id) not in html
    # A session id planted without the server's signature cannot be signed in either.
    planted = f"{csrf.SESSION_COOKIE}={forged_id}"
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', asgi_request(app, "/sign-in", {"Cookie": planted})[2])
    fields = {"csrf_token": token.group(1), "name": "jo", "password": "correct horse"}
    assert post(app, "/sign-in", planted, fields)[0] == 403  # the token is the replacement session's
    fields["csrf_token"] = csrf.token_for(config.secret, forged_id)  # even if the attacker could make one
    assert post(app, "/sign-in", planted, fields)[0] == 403


def test_signing_out_ends_the_session_and_starts_a_new_one(config):
    app = app_for(config)
    session = cookie_of(sign_in(app, "jo", "correct horse")[1])
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', asgi_request(app, "/archive", {"Cookie": session})[2])
    status, headers, _ = post(app, "/sign-out", session, {"csrf_token": token.group(1)})
    assert status == 303 and headers["location"] == "/sign-in"
    assert cookie_of(headers) != session
    assert signed_in_as(app, session) is None


# -- the password check ----------------------------------------------------------------------


def test_the_password_check_runs_off_the_event_loop(config, monkeypatch):
    from reportgen.web import auth

    checked_on = []
    real = auth.check_password

    def recording(*args):
        try:
            asyncio.get_running_loop()
            checked_on.append("event loop")
        except RuntimeError:
            checked_on.append("thread")
        return real(*args)

    monkeypatch.setattr(auth, "check_password", recording)
    app = app_for(config)
    assert sign_in(app, "jo", "correct horse")[0] == 303
    assert checked_on == ["thread"]


def test_failed_sign_ins_for_one_name_are_paused_with_when_to_try_again(config, monkeypatch):
    from reportgen.web import auth

    app = app_for(config)
    for attempt in range(5):
        status, _headers, html, _ = sign_in(app, "jo", f"guess {attempt}", client=f"10.0.0.{attempt}")
        assert status == 400 and "not right" in html
    checks = []
    monkeypatch.setattr(auth, "check_password", lambda *args: checks.append(args) or True)
    # From yet another address, even the right password: paused, and no password is checked.
    status, headers, html, _ = sign_in(app, "jo", "correct horse", client="10.0.0.99")
    assert status == 429 and checks == []
    assert "Too many sign-in attempts with this name" in html
    assert re.search(r"try again after \d\d:\d\d \(in 15 minutes\)", html)
    assert 14 * 60 < int(headers["retry-after"]) <= 15 * 60
    assert 'href="#sign-in-name"' in html  # in the error summary, linked to the field
    # Another name is not paused.
    monkeypatch.setattr(auth, "check_password", lambda *args: False)
    assert sign_in(app, "sam", "anything", client="10.0.0.99")[0] == 400


def test_failed_sign_ins_from_one_address_are_paused_whatever_the_name(config):
    app = app_for(config)
    app.state.site.address_attempts = Throttle(limit=3, window=600)
    for name in ("ann", "bob", "cy"):
        assert sign_in(app, name, "guess", client="192.0.2.7")[0] == 400
    status, _headers, html, _ = sign_in(app, "jo", "correct horse", client="192.0.2.7")
    assert status == 429 and "from this computer" in html and "(in 10 minutes)" in html
    assert sign_in(app, "jo", "correct horse", client="192.0.2.8")[0] == 303


def test_behind_a_proxy_on_this_computer_attempts_count_against_the_forwarded_address(config):
    app = app_for(config)
    app.state.site.address_attempts = Throttle(limit=2, window=600)
    for name in ("ann", "bob"):
        _cookie, token = sign_in_page(app)
        fields = {"csrf_token": token, "name": name, "password": "guess"}
        forwarded = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}  # the proxy adds the last one
        assert post(app, "/sign-in", _cookie, fields, **forwarded)[0] == 400
    blocked = {"X-Forwarded-For": "198.51.100.1"}
    _cookie, token = sign_in_page(app)
    fields = {"csrf_token": token, "name": "jo", "password": "correct horse"}
    assert post(app, "/sign-in", _cookie, fields, **blocked)[0] == 429
    assert post(app, "/sign-in", _cookie, fields, **{"X-Forwarded-For": "198.51.100.2"})[0] == 303
    # From another computer the header is anyone's to send: the direct address counts.
    for _attempt in range(2):
        assert sign_in(app, "cy", "guess", client="192.0.2.50")[0] == 400
    _cookie, token = sign_in_page(app, client="192.0.2.50")
    fields = {"csrf_token": token, "name": "jo", "password": "correct horse"}
    assert post(app, "/sign-in", _cookie, fields, client="192.0.2.50", **{"X-Forwarded-For": "198.51.100.3"})[0] == 429


def test_a_right_password_clears_the_count_for_its_name(config):
    app = app_for(config)
    for attempt in range(4):
        assert sign_in(app, "jo", f"guess {attempt}")[0] == 400
    assert sign_in(app, "jo", "correct horse")[0] == 303
    for attempt in range(4):
        assert sign_in(app, "jo", f"guess {attempt}")[0] == 400  # four more: still under the limit of five


def test_the_throttle_forgets_after_its_window_and_its_table_is_bounded():
    throttle = Throttle(limit=2, window=60, max_keys=100)
    throttle.record("jo", 0.0)
    assert throttle.retry_at("jo", 1.0) is None
    throttle.record("jo", 1.0)
    assert throttle.retry_at("jo", 2.0) == 60.0
    assert throttle.retry_at("jo", 60.5) is None  # the first attempt has left the window
    for n in range(10_000):
        throttle.record(f"name-{n}", 100.0 + n)
    assert len(throttle.attempts) == 100
    assert "name-9999" in throttle.attempts and "jo" not in throttle.attempts
    assert all(len(times) <= 2 for times in throttle.attempts.values())


# -- where a form may come from ------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        ({}, True),  # not a browser: the CSRF token alone
        ({"Origin": "http://127.0.0.1:8000"}, True),
        ({"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}, True),
        ({"Origin": "http://127.0.0.1:9999"}, False),  # another port on the same computer
        ({"Origin": "http://127.0.0.1"}, False),
        ({"Origin": "https://127.0.0.1:8000"}, False),
        ({"Origin": "http://localhost:8000"}, False),
        ({"Origin": "null"}, False),
        ({"Origin": "http://127.0.0.1:8000/evil"}, False),
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),
    ],
)
def test_a_form_is_accepted_only_from_the_exact_origin(config, headers, accepted):
    app = app_for(config, password_file=None)
    cookie = cookie_of(asgi_request(app, "/archive")[1])
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', asgi_request(app, "/archive", {"Cookie": cookie})[2])
    status, _headers, body = post(app, "/sign-out", cookie, {"csrf_token": token.group(1)}, **headers)
    if accepted:
        assert status == 303
    else:
        assert status == 403 and "http://127.0.0.1:8000" in body and "docs/web.md" in body


# -- Secure cookies --------------------------------------------------------------------------


def test_secure_cookies_when_asked_or_when_the_trusted_proxy_says_https(config):
    def cookie_flags(app, headers=None):
        return asgi_request(app, "/archive", headers or {})[1]["set-cookie"]

    assert "Secure" not in cookie_flags(app_for(config, password_file=None))
    assert "Secure" in cookie_flags(app_for(config, password_file=None, secure_cookies=True))
    proxied = app_for(config, password_file=None, trust_proxy_header="X-Remote-User")
    assert "Secure" in cookie_flags(proxied, {"X-Remote-User": "jo", "X-Forwarded-Proto": "https"})
    assert "Secure" not in cookie_flags(proxied, {"X-Remote-User": "jo", "X-Forwarded-Proto": "http"})
    # Without a trusted proxy the header is anyone's to send, and is not read.
    assert "Secure" not in cookie_flags(app_for(config, password_file=None), {"X-Forwarded-Proto": "https"})


def test_over_https_a_form_must_come_from_the_https_origin(config):
    app = app_for(config, password_file=None, secure_cookies=True)
    cookie = cookie_of(asgi_request(app, "/archive")[1])
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', asgi_request(app, "/archive", {"Cookie": cookie})[2])
    fields = {"csrf_token": token.group(1)}
    assert post(app, "/sign-out", cookie, fields, Origin="http://127.0.0.1:8000")[0] == 403
    assert post(app, "/sign-out", cookie, fields, Origin="https://127.0.0.1:8000")[0] == 303


def test_behind_the_proxy_as_documented_forms_come_from_the_public_https_address(config):
    """docs/web.md: the proxy passes Host and X-Forwarded-Proto on; --allowed-host names it."""
    app = app_for(
        config, password_file=None, trust_proxy_header="X-Remote-User", allowed_hosts=("reportgen.example.nhs.uk",)
    )
    proxy = {"host": "reportgen.example.nhs.uk", "X-Remote-User": "jo", "X-Forwarded-Proto": "https"}
    _status, headers, html = asgi_request(app, "/archive", proxy)
    assert "Secure" in headers["set-cookie"]
    cookie = cookie_of(headers)
    fields = {"csrf_token": re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)}
    assert post(app, "/sign-out", cookie, fields, **proxy, Origin="https://reportgen.example.nhs.uk")[0] == 303
    for origin in ("http://reportgen.example.nhs.uk", "https://reportgen.example.nhs.uk:8443", "https://evil.example"):
        status, _headers, body = post(app, "/sign-out", cookie, fields, **proxy, Origin=origin)
        assert status == 403 and "https://reportgen.example.nhs.uk)" in body


def test_serve_has_a_secure_cookies_option(monkeypatch):
    import reportgen.web

    served = []
    monkeypatch.setattr(reportgen.web, "serve", lambda config, *args, **kwargs: served.append(config))
    assert main(["serve", "--secure-cookies"]) == 0
    assert main(["serve"]) == 0
    assert [c.secure_cookies for c in served] == [True, False]


# -- clean shutdown ------------------------------------------------------------------------


def test_sigterm_stops_serve_with_its_worker_processes_and_resource_tracker(tmp_path):
    """`reportgen serve` in its own process, with a job running in a worker, then SIGTERM."""
    import os
    import shutil
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    import psutil

    from conftest import LETTER, LETTER_ID, ROOT

    shutil.copytree(LETTER, tmp_path / "data" / LETTER_ID)
    shutil.copytree(ROOT / "translations", tmp_path / "translations", ignore=shutil.ignore_patterns("*.mo"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    where = [f"--{name}={tmp_path / name}" for name in ("data", "out", "archive")]
    env = {**os.environ, "REPORTGEN_TRANSLATIONS": str(tmp_path / "translations"), "PYTHONDONTWRITEBYTECODE": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "serve", f"--port={port}", *where],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started: list[psutil.Process] = []
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        deadline = time.monotonic() + 60
        while True:
            try:
                html = opener.open(base + "/archive", timeout=5).read().decode()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()
                time.sleep(0.2)
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "lang": "en-GB"}).encode()
        opener.open(urllib.request.Request(f"{base}/reports/{LETTER_ID}/jobs/check", body), timeout=30).read()
        # The check runs in a worker process; wait until it is there (and the resource tracker).
        deadline = time.monotonic() + 30
        while not any("spawn_main" in " ".join(p.cmdline()) for p in started):
            assert time.monotonic() < deadline, [p.cmdline() for p in started]
            time.sleep(0.1)
            started = psutil.Process(server.pid).children(recursive=True)
        assert any("resource_tracker" in " ".join(p.cmdline()) for p in started)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        _gone, alive = psutil.wait_procs(started, timeout=5)
        assert not alive, [p.cmdline() for p in alive]
        stderr = server.stderr.read().decode()
        assert "Traceback" not in stderr and "leaked" not in stderr, stderr
    finally:
        for process in [psutil.Process(server.pid), *started] if server.poll() is None else started:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        server.communicate(timeout=10)
