"""A small load test of ``reportgen serve`` (issue 14): a real server process on 127.0.0.1, and
an asyncio client that reads pages from several connections at once while builds run and
returned files are uploaded. Bounded in count and duration (about 25 s in all).

Run on its own for the figures in docs/web.md (requests, latency, server memory):

    .venv/bin/python tests/test_web_load.py
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import LETTER, LETTER_ID, ROOT  # noqa: E402
from test_web_heavy import one_line_xliff  # noqa: E402

READERS = 6  # connections reading pages at once
SECONDS = 12.0  # how long the load runs
MAX_REQUESTS = 3000  # and at most this many page reads
PAGES = ["/", f"/reports/{LETTER_ID}", f"/reports/{LETTER_ID}/translations", "/archive", "/static/web.css"]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # page reads, seconds
    errors: list[str] = field(default_factory=list)
    builds: int = 0  # builds and checks run to their end
    uploads: int = 0
    rss: list[int] = field(default_factory=list)  # the server process, KB
    workers_rss: list[int] = field(default_factory=list)  # its worker processes together, KB

    def figures(self) -> dict:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "errors": len(self.errors),
            "p50_ms": round(1000 * statistics.median(ordered)) if ordered else None,
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))]) if ordered else None,
            "max_ms": round(1000 * ordered[-1]) if ordered else None,
            "builds": self.builds,
            "uploads": self.uploads,
            "server_rss_mb": round(max(self.rss, default=0) / 1024),
            "workers_rss_mb": round(max(self.workers_rss, default=0) / 1024),
        }


async def http(port: int, method: str, path: str, cookie: str = "", body: bytes = b"", kind: str = "", timeout=30):
    """One HTTP/1.1 request on its own connection: (status, headers, body text)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    head += [f"Content-Length: {len(body)}"] if method == "POST" else []
    head += [f"Content-Type: {kind}"] if kind else []
    head += [f"Cookie: {cookie}"] if cookie else []
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), timeout)
    writer.close()
    top, _, content = data.partition(b"\r\n\r\n")
    lines = top.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    return int(lines[0].split()[1]), headers, content.decode("utf-8", "replace")


def run_async(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API (the session's browser, when
    another test started it) holds this thread's event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def multipart(fields: dict, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


async def session(port: int) -> tuple[str, str]:
    """A session cookie and the CSRF token that goes with it."""
    status, headers, html = await http(port, "GET", f"/reports/{LETTER_ID}/translations")
    assert status == 200, status
    cookie = headers["set-cookie"].split(";")[0]
    return cookie, re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)


async def read_pages(port: int, tally: Tally, until: float, offset: int) -> None:
    index = offset
    while time.monotonic() < until and len(tally.latencies) < MAX_REQUESTS:
        path = PAGES[index % len(PAGES)]
        index += 1
        start = time.monotonic()
        try:
            status, _, _ = await http(port, "GET", path)
        except (TimeoutError, OSError) as exc:
            tally.errors.append(f"GET {path}: {exc!r}")
            continue
        tally.latencies.append(time.monotonic() - start)
        if status != 200:
            tally.errors.append(f"GET {path}: {status}")


async def build_again_and_again(port: int, tally: Tally, until: float) -> None:
    cookie, token = await session(port)
    form = f"csrf_token={token}&lang=en-GB".encode()
    kinds = ["check", "build"]  # a check builds the outputs and runs axe and veraPDF on them: real work
    while time.monotonic() < until:
        kind = kinds[tally.builds % 2]
        status, headers, _ = await http(
            port, "POST", f"/reports/{LETTER_ID}/jobs/{kind}", cookie, form, "application/x-www-form-urlencoded"
        )
        if status != 303:
            tally.errors.append(f"build: {status}")
            return
        job = headers["location"]
        while True:
            status, _, text = await http(port, "GET", job + "/status", cookie)
            if status != 200:
                tally.errors.append(f"build status: {status}")
                return
            if '"finished":true' in text.replace(" ", ""):
                break
            await asyncio.sleep(0.25)
        if '"status":"done"' not in text.replace(" ", ""):
            tally.errors.append(f"{kind} failed: {text}")
        tally.builds += 1


async def upload_again_and_again(port: int, tally: Tally, until: float) -> None:
    cookie, token = await session(port)
    heavy = one_line_xliff(4000)  # refused: 4,000 problems, 100 listed
    while time.monotonic() < until:
        body, kind = multipart({"csrf_token": token, "lang": "pl"}, f"{LETTER_ID}.pl.xlf", heavy)
        status, _, html = await http(port, "POST", f"/reports/{LETTER_ID}/translations/import", cookie, body, kind)
        if status != 422 or "3,900 more problem(s)" not in html:
            tally.errors.append(f"upload: {status}")
        tally.uploads += 1


def rss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmRSS:\s+(\d+)", text)
    return int(found.group(1)) if found else 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return found + [g for c in found for g in children(c)]


async def watch_memory(pid: int, tally: Tally, until: float) -> None:
    while time.monotonic() < until:
        tally.rss.append(rss_kb(pid))
        tally.workers_rss.append(sum(rss_kb(c) for c in children(pid)))
        await asyncio.sleep(0.5)


async def load(port: int, pid: int) -> Tally:
    tally = Tally()
    until = time.monotonic() + SECONDS
    await asyncio.gather(
        *(read_pages(port, tally, until, i) for i in range(READERS)),
        build_again_and_again(port, tally, until),
        upload_again_and_again(port, tally, until),
        watch_memory(pid, tally, until),
    )
    return tally


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_load(root: Path) -> dict:
    """``reportgen serve`` over a copy of the letter, loaded for SECONDS: the figures."""
    data = root / "data"
    shutil.copytree(LETTER, data / LETTER_ID)
    shutil.copytree(ROOT / "translations", root / "translations", ignore=shutil.ignore_patterns("*.mo"))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "serve", "--port", str(port), "--data", str(data)]
        + ["--out", str(root / "out"), "--archive", str(root / "archive")],
        env={**os.environ, "REPORTGEN_TRANSLATIONS": str(root / "translations")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its workers too are ended with it below
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if run_async(http(port, "GET", "/", timeout=5))[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "reportgen serve did not answer within 30 s"
            time.sleep(0.2)
        tally = run_async(load(port, server.pid))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(server.pid, signal.SIGKILL)  # the server's own process group, workers included
        except ProcessLookupError:
            pass
        server.wait(10)
    return {**tally.figures(), "first_errors": tally.errors[:5]}


def test_pages_keep_answering_under_builds_and_uploads(tmp_path):
    figures = run_load(tmp_path)
    print(figures)
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["builds"] >= 1 and figures["uploads"] >= 1, figures
    assert figures["requests"] >= 200, figures  # pages were answered all along, not only at the end
    assert figures["p95_ms"] < 1000, figures  # a guard: one page held up behind a build would take seconds


if __name__ == "__main__":
    import platform
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = run_load(Path(folder))
    print(time.strftime("%Y-%m-%d"), platform.processor() or platform.machine(), os.cpu_count(), "cores")
    print(result)
