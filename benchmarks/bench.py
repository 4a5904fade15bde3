"""Benchmark: reportgen's PDF path against plain WeasyPrint and headless Chromium (issues 7 and 19).

    make bench                      # everything below, 3 repetitions (about 30 minutes)
    python benchmarks/bench.py --reps 1 --langs en-GB ur --pages 30 --no-survey-batch

Every measurement runs in a fresh process (multiprocessing "spawn"), so peak memory is
that process's own ``ru_maxrss``. Four parts, each printed as a table and written to
``out/bench/bench.json`` with the machine's description. Timings are never asserted.

1. **One document, side by side** (the summary edition in each locale, the annual report
   summary and the CQC news item in English — every sample in every locale with
   ``--every-sample`` —, the survey report for one trust, a two-page page in nine scripts). Preparing the publication (load,
   translate, render the HTML) happens before the clock starts. Every kind is first
   warmed as a worker is after a few documents: libraries loaded, every script's fonts
   open, and another document made by the same kind, untimed. The clock sees one
   document's work:

   * ``reportgen``       — ``formats.pdf.edition.render`` (font subset cache warm: the usual rebuild);
   * ``reportgen-cold``  — the same with an empty font cache (first build of a new text);
   * ``reportgen-full``  — ``render(subset_fonts=False)``: fontconfig's full fonts;
   * ``plain``           — ``weasyprint.HTML(string=…).write_pdf()`` with the same fetcher,
     no tagging, no repair, full fonts;
   * ``chromium``        — Debian Chromium through Playwright, ``page.goto`` + ``page.pdf``
     (browser started, another page printed first; CPU and memory summed over the
     browser's processes).

2. **Rebuilds** through ``build.build_reports``: the ten locales of the summary edition and
   every sample publication, built serially (``jobs=1``) and on every core (warm pool,
   start-up included), and again with nothing changed (in the library, and as the
   ``reportgen build`` command). Peak memory per worker is the largest worker's.

3. **The survey batch**: the CMH survey report for each of the 50 trusts (HTML and PDF) with
   one worker and on every core, once each (it takes minutes), so the scaling is visible.

4. **Time per page** for synthetic English publications of about 30, 120 and 240 pages.

5. **Start-up**: a tiny publication built by a cold ``reportgen build`` command (HTML and
   PDF, font cache warm), and ``reportgen --help``, each the median of five runs.

Then the issue's targets, each with the measured value and whether it is met.

``--weasyprint-fonttools`` makes WeasyPrint subset with fontTools, as it does where
libharfbuzz-subset is missing: the machine of issue 7, where that took seconds a page.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "data" / "annual-report-2024-25-at-a-glance"
SURVEY = ROOT / "data" / "cmh-survey-2025"
ANNUAL = ROOT / "data" / "annual-report-summary-2024-25"
NEWS = ROOT / "data" / "cqc-community-mental-health-news-2025"
TINY = ROOT / "tests" / "fixtures" / "letter"
KINDS = ("reportgen", "reportgen-cold", "reportgen-full", "plain", "chromium")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# ---------------------------------------------------------------------------------------
# Pure helpers (unit-tested on fake numbers)


def summarise(samples: list[dict]) -> dict:
    """Medians of wall, cpu and peak memory over repetitions."""
    return {key: statistics.median(s[key] for s in samples) for key in ("wall", "cpu", "rss_mb")} | {
        "reps": len(samples),
        "pages": samples[0].get("pages") if samples else None,
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def ratios(row: dict) -> dict:
    """reportgen / plain and reportgen / chromium, by wall time."""
    mine = (row.get("reportgen") or {}).get("wall")
    return {
        "reportgen/plain": ratio(mine, (row.get("plain") or {}).get("wall")),
        "reportgen/chromium": ratio(mine, (row.get("chromium") or {}).get("wall")),
    }


def _cell(value, digits=2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_table(rows: dict[str, dict], kinds=KINDS) -> str:
    """One line per document: wall s / cpu s / peak MB per kind, then the ratios."""
    head = ["document".ljust(22)] + [f"{kind:>24}" for kind in kinds] + ["rg/plain", "rg/chrome"]
    lines = [" ".join(head), " ".join(["".ljust(22)] + [f"{'wall/cpu s, MB':>24}"] * len(kinds))]
    for name, row in rows.items():
        cells = []
        for kind in kinds:
            m = row.get(kind)
            cells.append(
                f"{'-':>24}"
                if not m
                else f"{_cell(m['wall']) + '/' + _cell(m['cpu']) + ', ' + _cell(m['rss_mb'], 0):>24}"
            )
        r = ratios(row)
        lines.append(
            " ".join(
                [name.ljust(22)] + cells + [f"{_cell(r['reportgen/plain']):>8}", f"{_cell(r['reportgen/chromium']):>9}"]
            )
        )
    return "\n".join(lines)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import weasyprint

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "ram_gb": ram,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "weasyprint": weasyprint.__version__,
        "load_average": os.getloadavg(),
    }


# ---------------------------------------------------------------------------------------
# One measurement, in a fresh process


def _edition(folder: Path, lang: str, variant: dict | None):
    from reportgen.build.edition import localise
    from reportgen.content.model import load_report
    from reportgen.formats import EditionSource
    from reportgen.survey.variants import prepare_variant

    report, raw = load_report(folder)
    chosen = prepare_variant(report, raw, variant)
    edition, missing = localise(report, lang, allow_partial=True, source=str(folder), raw=raw)
    return EditionSource(chosen.specialise(edition), raw.folder, str(folder), lang, len(missing), chosen.context(lang))


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        return len(doc.pages)


def _prepare(kind: str, folder: Path, lang: str, variant: dict | None):
    """What the clock times for ``kind``: a function making the PDF, or Chromium's (html, folder)."""
    from reportgen.formats.pdf.edition import print_html, render
    from reportgen.formats.pdf.fetch import FolderFetcher
    from reportgen.render.html import ASSETS_DIR

    source = _edition(folder, lang, variant)
    folder_path = source.folder
    if kind.startswith("reportgen"):
        subset = kind != "reportgen-full"
        return lambda: render(source, subset_fonts=subset)
    html, _ = print_html(source, subset_fonts=False)
    if kind == "chromium":
        return html, folder_path
    import weasyprint

    fetcher = FolderFetcher([folder_path, ASSETS_DIR])
    return lambda: weasyprint.HTML(string=html, base_url=folder_path.as_uri() + "/", url_fetcher=fetcher).write_pdf()


def measure(kind: str, folder: str, lang: str, variant: dict | None, cache: str | None) -> dict:
    """Run in a child process: time one PDF of one kind; returns wall, cpu, rss_mb, pages.

    The process is first warmed as a worker is after a few documents: libraries loaded,
    every script's fonts open, and another document (the summary in another language)
    made by the same kind, untimed.
    """
    if cache:
        os.environ["REPORTGEN_CACHE"] = cache
    if os.environ.get("BENCH_WEASYPRINT_FONTTOOLS"):
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None  # as on a machine without libharfbuzz-subset
    other = (SUMMARY, "bn" if lang == "ar" else "ar", None)
    job = _prepare(kind, Path(folder), lang, variant)
    primer = _prepare(kind, *other)
    if kind == "chromium":
        return _chromium(*job, primer=primer)
    from reportgen.build.workers import warm_up

    warm_up(every_script=True)
    primer()
    start, cpu = time.perf_counter(), time.process_time()
    pdf = job()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": cpu, "rss_mb": rss_mb, "pages": _page_count(pdf)}


def _chromium(html: str, folder: Path, primer: tuple[str, Path]) -> dict:
    import psutil
    from playwright.sync_api import sync_playwright

    def with_base(text: str, where: Path) -> str:
        return text.replace("<head>", f'<head><base href="{where.as_uri()}/">', 1)

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file, primer_file = Path(tmp) / "page.html", Path(tmp) / "primer.html"
        page_file.write_text(with_base(html, folder), encoding="utf-8")
        primer_file.write_text(with_base(*primer), encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        me = psutil.Process()

        def tree_cpu():
            total = 0.0
            for proc in me.children(recursive=True):
                try:
                    t = proc.cpu_times()
                    total += t.user + t.system
                except psutil.Error:
                    pass
            return total

        def tree_rss():
            total = 0
            for proc in me.children(recursive=True):
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            return total / 1024 / 1024

        page = browser.new_page()
        page.goto(primer_file.as_uri(), wait_until="load")  # warm, as reportgen's worker is
        page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        start, cpu, child_cpu = time.perf_counter(), time.process_time(), tree_cpu()
        page.goto(page_file.as_uri(), wait_until="load")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu + tree_cpu() - child_cpu
        rss = tree_rss()
        browser.close()
    return {"wall": wall, "cpu": cpu, "rss_mb": rss, "pages": _page_count(pdf)}


def run_isolated(*args) -> dict:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure, *args).result()


# ---------------------------------------------------------------------------------------
# Rebuilds and the survey batch, each in a fresh process


def _children_usage() -> tuple[float, float]:
    """(CPU seconds, largest peak MB) of the worker processes that have finished."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def rebuild(folders: list[str], out: str, jobs: int, force: bool, cache: str) -> dict:
    """Run in a child process: ``build_reports`` of every language of ``folders``."""
    os.environ["REPORTGEN_CACHE"] = cache
    from reportgen.build.core import build_reports
    from reportgen.build.request import BuildRequest

    start, cpu = time.perf_counter(), time.process_time()
    built = build_reports([Path(f) for f in folders], BuildRequest(langs=["all"], out_dir=out, force=force, jobs=jobs))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    errors = [str(b.error).splitlines()[0] for b in built if b.error]
    outputs = [o for b in built if b.result for o in b.result.outputs]
    child_cpu, child_peak = _children_usage()
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "wall": wall,
        "cpu": cpu + child_cpu,
        "rss_mb": child_peak if jobs > 1 else own_peak,
        "files": len(outputs),
        "skipped": sum(o.skipped for o in outputs),
        "errors": errors,
    }


def survey_batch(out: str, jobs: int, cache: str) -> dict:
    """Run in a child process: the survey report for every trust, HTML and PDF."""
    os.environ["REPORTGEN_CACHE"] = cache
    from reportgen.build.batch import build_batch
    from reportgen.build.request import BuildRequest

    start, cpu = time.perf_counter(), time.process_time()
    result = build_batch(SURVEY, BuildRequest(out_dir=out, jobs=jobs, force=True), axis="trust")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    child_cpu, child_peak = _children_usage()
    return {
        "wall": wall,
        "cpu": cpu + child_cpu,
        "rss_mb": child_peak,
        "trusts": len(result.results),
        "failed": [f"{r.value}: {r.reason}" for r in result.failed],
    }


def startup(cache: str, reps: int = 5) -> dict:
    """Median wall time of a cold ``reportgen build`` of a tiny publication, and of ``reportgen --help``."""
    import subprocess

    env = dict(os.environ, REPORTGEN_CACHE=cache)

    def timed(arguments: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "reportgen", *arguments], check=True, capture_output=True, env=env)
        return time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="reportgen-startup-") as out:
        build = ["build", str(TINY), "--lang", "en-GB", "--out", out, "--force"]
        timed(build)  # the font cache for this text, as on any rebuild
        builds = [timed(build) for _ in range(reps)]
    helps = [timed(["--help"]) for _ in range(reps)]
    return {"tiny build": statistics.median(builds), "help": statistics.median(helps), "reps": reps}


def cli_noop(folders: list[str], out: str, cache: str) -> float:
    """Wall time of the ``reportgen build … --lang all`` command when nothing has changed."""
    import subprocess

    env = dict(os.environ, REPORTGEN_CACHE=cache)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reportgen", "build", *folders, "--lang", "all", "--out", out],
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - start


def run_child(function, *args):
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def measure_rebuilds(name: str, folders: list[str], reps: int, jobs: int, tmp: Path, cache: str) -> dict:
    """Serial and parallel full rebuilds, then no-op rebuilds (library and command)."""
    out = str(tmp / f"rebuild-{name}".replace(" ", "_"))
    found: dict[str, list] = {"serial": [], "parallel": [], "no-op": [], "no-op command": []}
    for _ in range(reps):
        found["serial"].append(run_child(rebuild, folders, out, 1, True, cache))
        found["parallel"].append(run_child(rebuild, folders, out, jobs, True, cache))
        found["no-op"].append(run_child(rebuild, folders, out, jobs, False, cache))
        found["no-op command"].append({"wall": cli_noop(folders, out, cache), "cpu": 0.0, "rss_mb": 0.0})
    row = {kind: summarise(samples) for kind, samples in found.items()}
    for kind in ("serial", "parallel", "no-op"):
        row[kind]["files"] = found[kind][0]["files"]
        row[kind]["skipped"] = found[kind][0]["skipped"]
        row[kind]["errors"] = sorted({e for sample in found[kind] for e in sample["errors"]})
    row["jobs"] = jobs
    row["speed-up"] = ratio(row["serial"]["wall"], row["parallel"]["wall"])
    row["no-op share"] = ratio(row["no-op"]["wall"], row["parallel"]["wall"])
    row["no-op command share"] = ratio(row["no-op command"]["wall"], row["parallel"]["wall"])
    return row


def format_rebuilds(rows: dict[str, dict]) -> str:
    lines = [
        f"{'work':24} {'files':>5} {'serial s':>9} {'parallel s':>10} {'speed-up':>8} {'no-op s':>8} "
        f"{'no-op %':>7} {'command s':>9} {'MB/worker':>9}"
    ]
    for name, row in rows.items():
        lines.append(
            f"{name:24} {row['serial']['files']:>5} {row['serial']['wall']:>9.2f} {row['parallel']['wall']:>10.2f} "
            f"{_cell(row['speed-up']):>8} {row['no-op']['wall']:>8.2f} {100 * (row['no-op share'] or 0):>6.1f}% "
            f"{row['no-op command']['wall']:>9.2f} {max(row['serial']['rss_mb'], row['parallel']['rss_mb']):>9.0f}"
        )
    return "\n".join(lines)


def flatness(scaling: dict[str, dict]) -> float | None:
    """The largest relative distance of any size's time per page from their median."""
    per_page = [m["wall_per_page"] for m in scaling.values() if m.get("wall_per_page")]
    if len(per_page) < 2:
        return None
    middle = statistics.median(per_page)
    return max(abs(value - middle) / middle for value in per_page)


def _ratio_target(found: list, rows: dict, names: list[str], ratio: str, limit: float, label: str) -> None:
    measured = [(rows[name]["ratios"][ratio], name) for name in names if rows[name]["ratios"].get(ratio)]
    if measured:
        worst = max(measured)
        found.append(
            {
                "target": f"{label} ({ratio} <= {limit:g})",
                "measured": f"worst {worst[0]:.2f} ({worst[1]})",
                "met": worst[0] <= limit,
            }
        )


def targets(rows: dict, rebuilds: dict, batches: dict, scaling: dict, starts: dict | None = None) -> list[dict]:
    """Issue 19's targets: what was measured, and whether it is met."""
    found: list[dict] = []
    samples = [name for name in rows if not name.startswith(("survey", "nine scripts"))]
    surveys = [name for name in rows if name.startswith("survey")]
    annual = [name for name in rows if name.startswith("annual summary")]
    _ratio_target(found, rows, samples, "reportgen/plain", 1.0, "every sample's PDF: no slower than plain WeasyPrint")
    _ratio_target(found, rows, surveys, "reportgen/plain", 0.75, "survey report: at most 0.75 of plain WeasyPrint")
    _ratio_target(found, rows, surveys, "reportgen/chromium", 4.0, "survey report: at most 4x warm Chromium")
    _ratio_target(found, rows, annual, "reportgen/chromium", 4.0, "annual summary: at most 4x warm Chromium")
    if starts:
        found.append(
            {
                "target": "tiny publication, cold reportgen build <= 1.5 s",
                "measured": f"{starts['tiny build']:.2f} s",
                "met": starts["tiny build"] <= 1.5,
            }
        )
        found.append(
            {"target": "reportgen --help <= 0.3 s", "measured": f"{starts['help']:.2f} s", "met": starts["help"] <= 0.3}
        )
    if batches:
        workers = max(batches)
        batch = batches[workers]
        per_trust = batch["wall"] / max(1, batch["trusts"])
        found.append(
            {
                "target": "survey batch: <= 2.0 s a trust on every core",
                "measured": f"{per_trust:.2f} s a trust with {workers} workers",
                "met": per_trust <= 2.0,
            }
        )
    for name, row in rebuilds.items():
        found.append(
            {
                "target": f"{name}: a rebuild with nothing changed <= 5% of a full build (the command)",
                "measured": f"{100 * row['no-op command share']:.1f}% (in the library: {100 * row['no-op share']:.1f}%)",
                "met": row["no-op command share"] <= 0.05,
            }
        )
    peaks = [max(row["serial"]["rss_mb"], row["parallel"]["rss_mb"]) for row in rebuilds.values()]
    peaks += [batch["rss_mb"] for batch in batches.values()]
    if peaks:
        found.append(
            {"target": "peak memory per worker <= 600 MB", "measured": f"{max(peaks):.0f} MB", "met": max(peaks) <= 600}
        )
    flat = flatness(scaling)
    if flat is not None:
        found.append(
            {
                "target": "time per page flat (+-20%) from 30 to 240 pages",
                "measured": f"within +-{100 * flat:.0f}% of the median",
                "met": flat <= 0.20,
            }
        )
    return found


# ---------------------------------------------------------------------------------------
# Synthetic long publications


def long_publication(folder: Path, pages: int) -> Path:
    """An English report of about ``pages`` pages: sections of paragraphs and a table."""
    import yaml

    words = (
        "The trust provides community health and mental health services to people living in "
        "Leicester, Leicestershire and Rutland, working with partners across the region. "
    )
    sections = []
    for n in range(max(1, pages // 2)):  # ~2 pages a section
        sections.append(
            {
                "title": f"Section {n + 1}",
                "blocks": [
                    *({"type": "paragraph", "text": words * 4} for _ in range(5)),
                    {
                        "type": "table",
                        "caption": f"Activity in section {n + 1}",
                        "columns": [
                            {"key": "service", "label": "Service", "type": "text", "row_header": True},
                            {"key": "patients", "label": "Patients", "type": "number"},
                            {"key": "change", "label": "Change", "type": "number"},
                        ],
                        "rows": [
                            {"service": f"Service {r + 1}", "patients": 1000 + 37 * r, "change": r - 6}
                            for r in range(12)
                        ],
                    },
                ],
            }
        )
    report = {
        "format": 1,
        "id": f"long-{pages}",
        "kind": "report",
        "language": "en-GB",
        "title": f"A long report of {pages} pages",
        "organisation": "Benchmark NHS Trust",
        "published": "2025-01-01",
        "publisher": "Benchmarks",
        "description": "Synthetic benchmark text.",
        "contents": False,
        "contact": {"name": "Benchmarks", "organisation": "Benchmark NHS Trust", "email": "bench@nhs.net"},
        "sections": sections,
    }
    target = folder / f"long-{pages}"
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.yaml").write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), "utf-8")
    return target


def multiscript_publication(folder: Path) -> Path:
    """A two-page English page with a passage in each of the trust's other languages (issue 7's case).

    The passages are the "other languages" block of the annual report summary, twice.
    """
    import yaml

    def find(node):
        if isinstance(node, dict):
            if node.get("type") == "languages":
                return node
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                found = find(child)
                if found:
                    return found
        return None

    source = yaml.safe_load((ROOT / "data" / "annual-report-summary-2024-25" / "report.yaml").read_text("utf-8"))
    block = find(source)
    passages = [{"type": "paragraph", "lang": item["lang"], "text": item["text"]} for item in block["items"]]
    report = {
        "format": 1,
        "id": "nine-scripts",
        "kind": "report",
        "language": "en-GB",
        "title": "Information in other languages",
        "organisation": "Benchmark NHS Trust",
        "published": "2025-01-01",
        "publisher": "Benchmarks",
        "description": "Synthetic benchmark text.",
        "contents": False,
        "contact": {"name": "Benchmarks", "organisation": "Benchmark NHS Trust", "email": "bench@nhs.net"},
        "sections": [
            {"title": "Other languages", "blocks": [block]},
            {"title": "The same, as passages", "blocks": passages},
        ],
    }
    target = folder / "nine-scripts"
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.yaml").write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), "utf-8")
    return target


# ---------------------------------------------------------------------------------------


def markdown_report(result: dict) -> str:
    """The results of one run (bench.json) as Markdown tables, for docs/speed.md."""
    m = result["machine"]
    lines = [
        f"Machine: {m['cpus']} CPUs ({m['cpu_model'] or 'unknown model'}), {m['ram_gb']} GB RAM, "
        f"{m['platform']}, Python {m['python']}, WeasyPrint {m['weasyprint']}; WeasyPrint's subsetter: "
        f"{result['weasyprint_subsetter']}; load average at the start {', '.join(f'{x:.2f}' for x in m['load_average'])}. "
        f"Medians of {result['reps']} runs; the whole run took {result.get('minutes', '?')} minutes.",
        "",
    ]
    rows = result.get("documents") or {}
    if rows:
        kinds = [k for k in KINDS if any(k in row for row in rows.values())]
        lines += [
            "| document | pages | " + " | ".join(f"{k} s" for k in kinds) + " | reportgen/plain | reportgen/chromium |",
            "|---|---:|" + "---:|" * len(kinds) + "---:|---:|",
        ]
        for name, row in rows.items():
            pages = next((row[k]["pages"] for k in kinds if k in row and row[k].get("pages")), "")
            cells = [_cell((row.get(k) or {}).get("wall")) for k in kinds]
            lines.append(
                f"| {name} | {pages} | " + " | ".join(cells) + f" | {_cell(row['ratios']['reportgen/plain'])} | "
                f"{_cell(row['ratios']['reportgen/chromium'])} |"
            )
        lines.append("")
    rebuilds = result.get("rebuilds") or {}
    if rebuilds:
        lines += [
            "| rebuild | files | serial s | on every core s | speed-up | nothing changed s (library) | "
            "nothing changed s (command) | peak MB per worker |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in rebuilds.items():
            lines.append(
                f"| {name} | {row['serial']['files']} | {row['serial']['wall']:.2f} | {row['parallel']['wall']:.2f} | "
                f"{row['speed-up']:.2f}× | {row['no-op']['wall']:.2f} ({100 * row['no-op share']:.1f}%) | "
                f"{row['no-op command']['wall']:.2f} ({100 * row['no-op command share']:.1f}%) | "
                f"{max(row['serial']['rss_mb'], row['parallel']['rss_mb']):.0f} |"
            )
        lines.append("")
    batches = result.get("survey_batches") or {}
    if batches:
        lines += [
            "| survey batch, 50 trusts | seconds | s a trust | peak MB per worker | failed |",
            "|---|---:|---:|---:|---:|",
        ]
        for workers, batch in batches.items():
            lines.append(
                f"| {workers} worker(s) | {batch['wall']:.0f} | {batch['wall'] / max(1, batch['trusts']):.2f} | "
                f"{batch['rss_mb']:.0f} | {len(batch['failed'])} |"
            )
        lines.append("")
    starts = result.get("startup")
    if starts:
        lines += [
            f"Start-up (medians of {starts['reps']}): a tiny publication, cold `reportgen build` (HTML and PDF) "
            f"{starts['tiny build']:.2f} s; `reportgen --help` {starts['help']:.2f} s.",
            "",
        ]
    scaling = result.get("scaling") or {}
    if scaling:
        lines += ["| pages | seconds | ms per page | peak MB |", "|---:|---:|---:|---:|"]
        for row in scaling.values():
            lines.append(
                f"| {row['pages']} | {row['wall']:.2f} | {1000 * (row['wall_per_page'] or 0):.0f} | {row['rss_mb']:.0f} |"
            )
        lines.append("")
    verdicts = result.get("targets") or []
    if verdicts:
        lines += ["| target | measured | met |", "|---|---|---|"]
        lines += [f"| {v['target']} | {v['measured']} | {'yes' if v['met'] else '**no**'} |" for v in verdicts]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    from reportgen.languages import LANGUAGES

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--langs", nargs="*", default=list(LANGUAGES))
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--no-survey", action="store_true", help="skip the CMH survey report for one trust")
    parser.add_argument("--no-multiscript", action="store_true", help="skip the two-page page in nine scripts")
    parser.add_argument("--no-rebuilds", action="store_true", help="skip the serial, parallel and no-op rebuilds")
    parser.add_argument("--no-survey-batch", action="store_true", help="skip the survey for all 50 trusts")
    parser.add_argument("--no-startup", action="store_true", help="skip the cold-start measurements")
    parser.add_argument(
        "--every-sample", action="store_true", help="every sample in every locale side by side (long), not only English"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for the parallel builds")
    parser.add_argument("--pages", nargs="*", type=int, default=[30, 120, 240])
    parser.add_argument(
        "--weasyprint-fonttools",
        action="store_true",
        help="make WeasyPrint subset with fontTools, as without libharfbuzz-subset (issue 7's machine)",
    )
    parser.add_argument("--out", default=str(ROOT / "out" / "bench" / "bench.json"))
    parser.add_argument(
        "--markdown",
        metavar="JSON",
        default=None,
        help="measure nothing: print an earlier run's bench.json as Markdown tables (docs/speed.md)",
    )
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown_report(json.loads(Path(args.markdown).read_text("utf-8"))), end="")
        return 0
    if args.weasyprint_fonttools:
        os.environ["BENCH_WEASYPRINT_FONTTOOLS"] = "1"  # inherited by every measurement
    if not Path(CHROMIUM).exists() and "chromium" in args.kinds:
        args.kinds.remove("chromium")
    started = time.perf_counter()
    documents = [(f"summary {lang}", SUMMARY, lang, None) for lang in args.langs]
    for label, folder in (("annual summary", ANNUAL), ("news", NEWS)):
        documents += [
            (f"{label} {lang}", folder, lang, None) for lang in (args.langs if args.every_sample else ["en-GB"])
        ]
    if not args.no_survey:
        from reportgen.content.model import load_report
        from reportgen.survey.variants import default_variant_name

        report, _raw = load_report(SURVEY)
        trust = default_variant_name(report)
        documents.append((f"survey {trust}", SURVEY, "en-GB", {"trust": trust}))

    rows: dict[str, dict] = {}
    rebuilds: dict[str, dict] = {}
    batches: dict[int, dict] = {}
    starts = None
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        if not args.no_multiscript:
            documents.insert(0, ("nine scripts en-GB", multiscript_publication(Path(tmp)), "en-GB", None))
        warm = str(Path(tmp) / "warm-cache")
        for name, folder, lang, variant in documents:
            row = rows.setdefault(name, {})
            if "reportgen" in args.kinds:
                run_isolated("reportgen", str(folder), lang, variant, warm)  # fill the cache
            for kind in args.kinds:
                samples = []
                for rep in range(args.reps):
                    cache = (
                        str(Path(tmp) / f"cold-{name}-{rep}".replace(" ", "_")) if kind == "reportgen-cold" else warm
                    )
                    samples.append(run_isolated(kind, str(folder), lang, variant, cache))
                row[kind] = summarise(samples)
                print(
                    f"{name:22} {kind:15} wall {row[kind]['wall']:.2f}s cpu {row[kind]['cpu']:.2f}s "
                    f"{row[kind]['rss_mb']:.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
            row["ratios"] = ratios(row)
        if not args.no_rebuilds:
            samples = sorted(str(path.parent) for path in (ROOT / "data").glob("*/report.yaml"))
            for name, folders in (("summary, ten locales", [str(SUMMARY)]), ("every sample, every locale", samples)):
                rebuilds[name] = measure_rebuilds(name, folders, args.reps, args.jobs, Path(tmp), warm)
                print(
                    f"{name}: serial {rebuilds[name]['serial']['wall']:.2f}s, parallel "
                    f"{rebuilds[name]['parallel']['wall']:.2f}s, no-op {rebuilds[name]['no-op']['wall']:.3f}s",
                    file=sys.stderr,
                    flush=True,
                )
        if not args.no_survey_batch:
            for workers in sorted({1, args.jobs}):
                batch = run_child(survey_batch, str(Path(tmp) / f"batch-{workers}"), workers, warm)
                batches[workers] = batch
                print(
                    f"survey batch, {workers} worker(s): {batch['trusts']} trusts in {batch['wall']:.1f}s",
                    file=sys.stderr,
                    flush=True,
                )
        if not args.no_startup:
            starts = startup(warm)
        scaling = {}
        for pages in args.pages:
            folder = long_publication(Path(tmp) / "long", pages)
            samples = [run_isolated("reportgen", str(folder), "en-GB", None, warm) for _ in range(args.reps)]
            m = summarise(samples)
            m["wall_per_page"] = m["wall"] / m["pages"] if m["pages"] else None
            scaling[f"{pages} requested"] = m
            print(
                f"long {pages:4}: {m['pages']} pages, {m['wall']:.2f}s, {m['wall_per_page'] * 1000:.0f} ms/page",
                file=sys.stderr,
                flush=True,
            )

    verdicts = targets(rows, rebuilds, batches, scaling, starts)
    print(format_table(rows, args.kinds))
    if rebuilds:
        print(f"\nRebuilds (build_reports; parallel = {args.jobs} warm workers, start-up included):")
        print(format_rebuilds(rebuilds))
    for workers, batch in batches.items():
        print(
            f"\nSurvey batch: {batch['trusts']} trusts, HTML and PDF, {workers} worker(s): {batch['wall']:.1f}s "
            f"({batch['wall'] / max(1, batch['trusts']):.2f}s a trust), cpu {batch['cpu']:.1f}s, "
            f"{batch['rss_mb']:.0f} MB per worker, {len(batch['failed'])} failed"
        )
    if starts:
        print(f"\nStart-up: tiny publication {starts['tiny build']:.2f}s; --help {starts['help']:.2f}s")
    print("\nreportgen time per page (synthetic English publication):")
    for name, m in scaling.items():
        print(
            f"  {name:>14}: {m['pages']:4} pages  {m['wall']:7.2f}s  {1000 * (m['wall_per_page'] or 0):5.0f} ms/page"
            f"  cpu {m['cpu']:.2f}s  {m['rss_mb']:.0f} MB"
        )
    print("\nTargets (issue 19):")
    for verdict in verdicts:
        print(f"  {'met    ' if verdict['met'] else 'NOT met'}  {verdict['target']}: {verdict['measured']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "reps": args.reps,
                "statistic": "median",
                "weasyprint_subsetter": "fontTools" if args.weasyprint_fonttools else "default",
                "minutes": round((time.perf_counter() - started) / 60, 1),
                "documents": rows,
                "rebuilds": rebuilds,
                "survey_batches": batches,
                "startup": starts,
                "scaling": scaling,
                "targets": verdicts,
            },
            indent=2,
        ),
        "utf-8",
    )
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
