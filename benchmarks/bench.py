"""Benchmark: reportgen's PDF path against plain WeasyPrint and headless Chromium (issue 7).

    make bench                      # all ten locales of the at-a-glance summary, 3 repetitions
    python benchmarks/bench.py --reps 1 --langs en-GB ur --pages 30

Every measurement runs in a fresh process (multiprocessing "spawn"), so peak memory is
that process's own ``ru_maxrss``; preparing the publication (load, translate, render the
HTML) happens before the clock starts. Kinds measured, on the same print HTML:

* ``reportgen``       — ``build.render_pdf`` (font subset cache warm: the usual rebuild);
* ``reportgen-cold``  — the same with an empty font cache (first build of a new text);
* ``reportgen-full``  — ``render_pdf(subset_fonts=False)``: fontconfig's full fonts;
* ``plain``           — ``weasyprint.HTML(string=…).write_pdf()`` with the same fetcher,
  no tagging, no repair, full fonts;
* ``chromium``        — Debian Chromium through Playwright, ``page.goto`` + ``page.pdf``
  (browser already started; CPU and memory summed over the browser's processes).

Then reportgen's time per page for synthetic English publications of 30, 120 and 240
pages. Prints a table and writes ``out/bench/bench.json``. Timings are never asserted.

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
KINDS = ("reportgen", "reportgen-cold", "reportgen-full", "plain", "chromium")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# ---------------------------------------------------------------------------------------
# Pure helpers (unit-tested on fake numbers)

def summarise(samples: list[dict]) -> dict:
    """Medians of wall, cpu and peak memory over repetitions."""
    return {key: statistics.median(s[key] for s in samples) for key in ("wall", "cpu", "rss_mb")} | {
        "reps": len(samples), "pages": samples[0].get("pages") if samples else None}


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
            cells.append(f"{'-':>24}" if not m else
                         f"{_cell(m['wall']) + '/' + _cell(m['cpu']) + ', ' + _cell(m['rss_mb'], 0):>24}")
        r = ratios(row)
        lines.append(" ".join([name.ljust(22)] + cells
                              + [f"{_cell(r['reportgen/plain']):>8}", f"{_cell(r['reportgen/chromium']):>9}"]))
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

    return {"cpus": os.cpu_count(), "cpu_model": model, "ram_gb": ram, "python": platform.python_version(),
            "platform": platform.platform(), "weasyprint": weasyprint.__version__,
            "load_average": os.getloadavg()}


# ---------------------------------------------------------------------------------------
# One measurement, in a fresh process

def _edition(folder: Path, lang: str, variant: dict | None):
    from reportgen.build import localise
    from reportgen.datasets import prepare_variant
    from reportgen.model import load_report

    report, raw = load_report(folder)
    chosen = prepare_variant(report, raw, variant)
    edition, missing = localise(report, lang, allow_partial=True, source=str(folder), raw=raw)
    return chosen.specialise(edition), raw.folder, len(missing), chosen.context(lang)


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        return len(doc.pages)


def measure(kind: str, folder: str, lang: str, variant: dict | None, cache: str | None) -> dict:
    """Run in a child process: time one PDF of one kind; returns wall, cpu, rss_mb, pages."""
    if cache:
        os.environ["REPORTGEN_CACHE"] = cache
    if os.environ.get("BENCH_WEASYPRINT_FONTTOOLS"):
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None  # as on a machine without libharfbuzz-subset
    from reportgen.build import print_html, render_pdf
    from reportgen.fetch import FolderFetcher
    from reportgen.render import ASSETS_DIR

    edition, folder_path, untranslated, extra = _edition(Path(folder), lang, variant)
    if kind.startswith("reportgen"):
        subset = kind != "reportgen-full"
        start, cpu = time.perf_counter(), time.process_time()
        pdf = render_pdf(edition, folder_path, lang, untranslated, extra, subset_fonts=subset)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    else:
        html, _ = print_html(edition, folder_path, lang, untranslated, extra, subset_fonts=False)
        if kind == "plain":
            import weasyprint

            start, cpu = time.perf_counter(), time.process_time()
            pdf = weasyprint.HTML(string=html, base_url=folder_path.as_uri() + "/",
                                  url_fetcher=FolderFetcher([folder_path, ASSETS_DIR])).write_pdf()
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        else:
            return _chromium(html, folder_path)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": cpu, "rss_mb": rss_mb, "pages": _page_count(pdf)}


def _chromium(html: str, folder: Path) -> dict:
    import psutil
    from playwright.sync_api import sync_playwright

    html = html.replace("<head>", f'<head><base href="{folder.as_uri()}/">', 1)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "page.html"
        page_file.write_text(html, encoding="utf-8")
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
# Synthetic long publications

def long_publication(folder: Path, pages: int) -> Path:
    """An English report of about ``pages`` pages: sections of paragraphs and a table."""
    import yaml

    words = ("The trust provides community health and mental health services to people living in "
             "Leicester, Leicestershire and Rutland, working with partners across the region. ")
    sections = []
    for n in range(max(1, pages // 2)):  # ~2 pages a section
        sections.append({"title": f"Section {n + 1}", "blocks": [
            *({"type": "paragraph", "text": words * 4} for _ in range(5)),
            {"type": "table", "caption": f"Activity in section {n + 1}",
             "columns": [{"key": "service", "label": "Service", "type": "text", "row_header": True},
                         {"key": "patients", "label": "Patients", "type": "number"},
                         {"key": "change", "label": "Change", "type": "number"}],
             "rows": [{"service": f"Service {r + 1}", "patients": 1000 + 37 * r, "change": r - 6}
                      for r in range(12)]},
        ]})
    report = {"format": 1, "id": f"long-{pages}", "kind": "report", "language": "en-GB",
              "title": f"A long report of {pages} pages", "organisation": "Benchmark NHS Trust",
              "published": "2025-01-01", "publisher": "Benchmarks", "description": "Synthetic benchmark text.",
              "contents": False,
              "contact": {"name": "Benchmarks", "organisation": "Benchmark NHS Trust", "email": "bench@nhs.net"},
              "sections": sections}
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
    report = {"format": 1, "id": "nine-scripts", "kind": "report", "language": "en-GB",
              "title": "Information in other languages", "organisation": "Benchmark NHS Trust",
              "published": "2025-01-01", "publisher": "Benchmarks", "description": "Synthetic benchmark text.",
              "contents": False,
              "contact": {"name": "Benchmarks", "organisation": "Benchmark NHS Trust", "email": "bench@nhs.net"},
              "sections": [{"title": "Other languages", "blocks": [block]},
                           {"title": "The same, as passages", "blocks": passages}]}
    target = folder / "nine-scripts"
    target.mkdir(parents=True, exist_ok=True)
    (target / "report.yaml").write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), "utf-8")
    return target


# ---------------------------------------------------------------------------------------

def main(argv=None) -> int:
    from reportgen.locales import LANGUAGES

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--langs", nargs="*", default=list(LANGUAGES))
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--survey", action="store_true", help="also the CMH survey report for one trust")
    parser.add_argument("--no-multiscript", action="store_true", help="skip the two-page page in nine scripts")
    parser.add_argument("--pages", nargs="*", type=int, default=[30, 120, 240])
    parser.add_argument("--weasyprint-fonttools", action="store_true",
                        help="make WeasyPrint subset with fontTools, as without libharfbuzz-subset (issue 7's machine)")
    parser.add_argument("--out", default=str(ROOT / "out" / "bench" / "bench.json"))
    args = parser.parse_args(argv)
    if args.weasyprint_fonttools:
        os.environ["BENCH_WEASYPRINT_FONTTOOLS"] = "1"  # inherited by every measurement
    if not Path(CHROMIUM).exists() and "chromium" in args.kinds:
        args.kinds.remove("chromium")

    documents = [(f"summary {lang}", SUMMARY, lang, None) for lang in args.langs]
    if args.survey:
        from reportgen.datasets import variant_values
        from reportgen.model import load_report

        report, raw = load_report(SURVEY)
        trust = variant_values(report, raw, "trust")[0]
        documents.append((f"survey {trust}", SURVEY, "en-GB", {"trust": trust}))

    rows: dict[str, dict] = {}
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
                    cache = str(Path(tmp) / f"cold-{name}-{rep}".replace(" ", "_")) if kind == "reportgen-cold" else warm
                    samples.append(run_isolated(kind, str(folder), lang, variant, cache))
                row[kind] = summarise(samples)
                print(f"{name:22} {kind:15} wall {row[kind]['wall']:.2f}s cpu {row[kind]['cpu']:.2f}s "
                      f"{row[kind]['rss_mb']:.0f} MB", file=sys.stderr, flush=True)
            row["ratios"] = ratios(row)
        scaling = {}
        for pages in args.pages:
            folder = long_publication(Path(tmp) / "long", pages)
            samples = [run_isolated("reportgen", str(folder), "en-GB", None, warm) for _ in range(args.reps)]
            m = summarise(samples)
            m["wall_per_page"] = m["wall"] / m["pages"] if m["pages"] else None
            scaling[f"{pages} requested"] = m
            print(f"long {pages:4}: {m['pages']} pages, {m['wall']:.2f}s, {m['wall_per_page'] * 1000:.0f} ms/page",
                  file=sys.stderr, flush=True)

    print(format_table(rows, args.kinds))
    print("\nreportgen time per page (synthetic English publication):")
    for name, m in scaling.items():
        print(f"  {name:>14}: {m['pages']:4} pages  {m['wall']:7.2f}s  {1000 * (m['wall_per_page'] or 0):5.0f} ms/page"
              f"  cpu {m['cpu']:.2f}s  {m['rss_mb']:.0f} MB")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "reps": args.reps, "statistic": "median",
                               "weasyprint_subsetter": "fontTools" if args.weasyprint_fonttools else "default",
                               "documents": rows, "scaling": scaling}, indent=2), "utf-8")
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
