"""Benchmarks for the performance goals (issue 6): every figure next to its baseline,
measured in the same run, as a ratio, with the goal and PASS/MISS (VOID where pages failed,
so the work timed was not the real work).

    python tools/bench.py [--corpus DIR] [--quick] [--only a,c] [--json FILE] [--profile]

a. text pipeline vs ``ftfy.fix_text`` alone, on the corpus' dev raw.txt pages
b. HTML pipeline vs ``trafilatura.extract``, on the dev HTML pages (raw.html.gz)
c. cold start: importing the handler module vs a bare ``import boto3``
d. peak memory for synthetic pages up to the size limit
e. local stack throughput, real handler vs a handler that only copies the object
f. Lambda cost per million pages, from (a), (b) and the function's memory
g. hostile pages: time and peak memory per input byte of the shapes built to hurt, next to
   ordinary pages of the same size; and the cost of running each page in a forked child

Benchmarks, not tests: nothing here fails the build. The corpus is read from beside the
checkout (``--corpus``, else ``$NORMALISER_CORPUS``, else ``../shared/corpus``); sections that
need it say so and are skipped where it is absent. Progress goes to stderr, only on a terminal.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import logging
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
PYTHONPATH = os.pathsep.join(str(REPO / p) for p in ("shared", "functions/normalise"))
MIB = 1024 * 1024

# --- Prices and Lambda facts (f). Update the values and the date together. --------------
# AWS Lambda, arm64, US East (N. Virginia), first tier (up to 7.5 billion GB-s a month),
# from https://aws.amazon.com/lambda/pricing/ as listed in 2025; not re-checked from this
# machine (no network).
LAMBDA_ARM64_USD_PER_GB_SECOND = 0.0000133334
LAMBDA_USD_PER_MILLION_REQUESTS = 0.20
# Lambda gives CPU in proportion to memory: one full vCPU at 1,769 MB (AWS Lambda developer
# guide, "Configuring function memory"), so 512 MB gets about 29% of one.
LAMBDA_MB_PER_VCPU = 1769
# template.yaml: NormaliseFunction MemorySize and the SQS event source's BatchSize.
FUNCTION_MEMORY_MB = 512
SQS_BATCH_SIZE = 10
# For context only (not Lambda): S3 Standard requests, US East, same page and date.
# Each page costs one GET, one HEAD (duplicate check) and two PUTs (article, record).
S3_USD_PER_1000_PUT = 0.005
S3_USD_PER_1000_GET = 0.0004

# --- Goals (issue 6) ------------------------------------------------------------------
GOAL_TEXT_VS_FTFY = 5.0
GOAL_HTML_VS_TRAFILATURA = 3.0
GOAL_COLD_START_VS_BOTO3 = 1.5
GOAL_LOCAL_VS_COPY = 0.8

MEMORY_SIZES_MIB = (0.5, 1, 2, 5, 10, 20)
QUICK_MEMORY_SIZES_MIB = (1, 5, 20)


# --- Figures and their table ------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """``ratio >= threshold`` (higher is better) or ``ratio <= threshold``."""

    op: str
    threshold: float

    def met(self, ratio: float) -> bool:
        return ratio >= self.threshold if self.op == ">=" else ratio <= self.threshold

    def __str__(self) -> str:
        return f"{self.op} {self.threshold:g}x"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    goal: Goal | None = None
    # Why the figure cannot count (pages failed, so the work measured is not the real work).
    void: str | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @property
    def result(self) -> str:
        if self.goal is None:
            return ""
        if self.void:
            return "VOID"
        return "PASS" if self.ratio is not None and self.goal.met(self.ratio) else "MISS"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline_name": self.baseline_name,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "goal": str(self.goal) if self.goal else None,
            "result": self.result or None,
            "void": self.void,
        }


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    seconds: float = 0.0


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def print_section(section: Section) -> None:
    print(f"\n{section.key}. {section.title}")
    if section.skipped:
        print(f"   skipped: {section.skipped}")
        return
    rows = [("figure", "value", "baseline", "ratio", "goal", "")]
    for f in section.figures:
        baseline = f"{_number(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline_name else ""
        rows.append(
            (
                f.name,
                _number(f.value, f.unit),
                baseline,
                f"{f.ratio:.2f}x" if f.ratio is not None else "",
                str(f.goal) if f.goal else "",
                f.result,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    for i, row in enumerate(rows):
        print("   " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("   " + "  ".join("-" * width for width in widths))
    for note in section.notes:
        print(f"   * {note}")
    sys.stdout.flush()


def print_summary(sections: list[Section]) -> None:
    print("\nGoals")
    for section in sections:
        for f in section.figures:
            if f.goal:
                ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "n/a"
                why = f"; {f.void}" if f.void else ""
                print(f"   {f.result:4}  {section.key}. {f.name}: {ratio} (goal {f.goal}{why})")
        if section.skipped and section.key in "abce":
            print(f"   SKIP  {section.key}. {section.title}")


# --- Progress and helpers ---------------------------------------------------------------


class Progress:
    """One line on stderr, only when stderr is a terminal."""

    enabled = sys.stderr.isatty()

    @classmethod
    def show(cls, message: str) -> None:
        if cls.enabled:
            print(f"\r{message[:78]:<78}", end="", file=sys.stderr, flush=True)

    @classmethod
    def clear(cls) -> None:
        if cls.enabled:
            print("\r" + " " * 78 + "\r", end="", file=sys.stderr, flush=True)


@contextmanager
def quiet_logging() -> Iterator[None]:
    """The pipeline logs a traceback for each page it fails on; counted here, not printed."""
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def corpus_path(argument: Path | None) -> Path:
    return argument or Path(os.environ.get("NORMALISER_CORPUS") or DEFAULT_CORPUS)


def corpus_pages(corpus: Path, fmt: str, quick: bool) -> list[tuple[str, bytes]]:
    """``(case id, bytes)`` of every dev case's page in ``fmt`` (every fourth with --quick)."""
    from corpus_cases import page_path, read_page

    base = corpus / "dev"
    if not base.is_dir():
        return []
    paths = sorted(path for case in base.iterdir() if (path := page_path(case, fmt)) is not None)
    if quick:
        paths = paths[::4]
    return [(path.parent.name, read_page(path)) for path in paths]


def subprocess_environment(**extra: str) -> dict[str, str]:
    """This process' environment plus what the Lambda runtime and template would set (as
    tools/local_stack.py does, with an endpoint nothing listens on: no request is made)."""
    from local_stack import local_environment

    env = {**os.environ, **local_environment("ERROR", "http://127.0.0.1:9")}
    env["PYTHONPATH"] = PYTHONPATH
    env.update(extra)
    return env


def run_python(code: str, *args: str, env: dict[str, str], timeout: float = 300) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"subprocess failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- a and b: pipeline throughput against a baseline library ----------------------------


@dataclass
class Throughput:
    pages: int
    bytes: int
    seconds: float  # median of the rounds, for all pages
    rounds: list[float]

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def mb_per_second(self) -> float:
        return self.bytes / 1e6 / self.seconds

    @property
    def ms_per_page(self) -> float:
        return self.seconds * 1000 / self.pages


def compare(
    pages: list[tuple[str, bytes]], ours: Callable[[], object], theirs: Callable[[], object], rounds: int, label: str
) -> tuple[Throughput, Throughput]:
    """Median time of ``rounds`` interleaved passes of each (after one warm-up pass of a few
    pages each, so lazy imports and caches are not timed)."""
    size = sum(len(data) for _, data in pages)
    ours_times: list[float] = []
    theirs_times: list[float] = []
    for i in range(rounds):
        Progress.show(f"{label}: round {i + 1} of {rounds}, pipeline")
        ours_times.append(timed(ours))
        Progress.show(f"{label}: round {i + 1} of {rounds}, baseline")
        theirs_times.append(timed(theirs))
    Progress.clear()
    return (
        Throughput(len(pages), size, statistics.median(ours_times), ours_times),
        Throughput(len(pages), size, statistics.median(theirs_times), theirs_times),
    )


def pipeline_pass(
    pages: list[tuple[str, bytes]], fmt: str, statuses: Counter[str] | None = None, forget_lines: bool = False
) -> Callable[[], None]:
    """One pass of ``normalise_page`` over ``pages`` with the given format, serialising both
    outputs as the handler does (``forget_lines``: the cleaner's line memory cleared before
    each page, as a function that never sees two pages)."""
    from normaliser.config import NormaliserConfig
    from normaliser.pipeline import OutputLocation, SourceObject, normalise_page
    from normaliser.text.model import shipped_model

    config = replace(NormaliserConfig(), format=fmt)  # type: ignore[arg-type]  # "text" or "html"
    suffix = ".txt" if fmt == "text" else ".html"
    jobs = [
        (
            data,
            SourceObject(key=f"{case}{suffix}", size=len(data)),
            OutputLocation(None, f"text/{case}{suffix}.txt", f"metadata/{case}{suffix}.json"),
        )
        for case, data in pages
    ]

    def run() -> None:
        # The cleaner remembers measured lines between pages; every pass starts with none, so
        # it is timed as on pages it has never seen (repeats within the pass still count).
        remembered = shipped_model().compiled.records
        remembered.clear()
        for data, source, output in jobs:
            if forget_lines:
                remembered.clear()
            page = normalise_page(data, source, output, config)
            page.metadata_bytes()
            page.text_bytes()
            if statuses is not None:
                statuses[f"{page.status}/{page.reason}" if page.reason else page.status] += 1

    return run


def _status_note(statuses: Counter[str] | dict[str, int]) -> str:
    counts = ", ".join(f"{count} {status}" for status, count in Counter(statuses).most_common())
    return f"outcomes per pass: {counts}"


def _failures(statuses: Counter[str] | dict[str, int]) -> str | None:
    """Why a figure is void: pages that failed (a bug) skipped part of the work being timed."""
    failed = sum(count for status, count in statuses.items() if status.startswith("failed"))
    return f"{failed} of {sum(statuses.values())} pages failed (internal-error)" if failed else None


def bench_text(corpus: Path, rounds: int, quick: bool) -> Section:
    section = Section("a", "Text pipeline (decode, repair, whitespace, boilerplate, metadata, serialise) vs ftfy")
    pages = corpus_pages(corpus, "text", quick)
    if not pages:
        section.skipped = f"no dev raw.txt pages under {corpus}; pass --corpus or set NORMALISER_CORPUS"
        return section
    import ftfy

    # ftfy takes str: the pages are decoded before the clock starts (which favours ftfy).
    texts = [data.decode("utf-8", errors="replace") for _, data in pages]
    statuses: Counter[str] = Counter()
    with quiet_logging():
        pipeline_pass(pages[:20], "text")()
        for text in texts[:20]:
            ftfy.fix_text(text)
        pipeline_pass(pages, "text", statuses)()

        def baseline() -> None:
            for text in texts:
                ftfy.fix_text(text)

        ours, theirs = compare(pages, pipeline_pass(pages, "text"), baseline, rounds, "text")
    _versus(
        section,
        "text",
        ours,
        theirs,
        "ftfy.fix_text alone",
        GOAL_TEXT_VS_FTFY,
        statuses,
        rounds,
        "ftfy.fix_text with its default config, on the pages decoded as UTF-8 (decoding not timed)",
    )
    _same_site(section, pages, rounds)
    return section


def _same_site(section: Section, pages: list[tuple[str, bytes]], rounds: int) -> None:
    """CleanPortalEval's pages come from a few sites, several pages each: what a warm function
    sees in a crawl, where the cleaner's line memory pays. Timed with and without it."""
    sites = [page for page in pages if page[0].startswith("cleanportaleval-")]
    if not sites:
        return
    with quiet_logging():
        remembering, forgetting = compare(
            sites,
            pipeline_pass(sites, "text"),
            pipeline_pass(sites, "text", forget_lines=True),
            rounds,
            "same-site pages",
        )
    section.figures.append(
        Figure(
            "same-site pages, time per page",
            remembering.ms_per_page,
            "ms",
            "line memory cleared per page",
            forgetting.ms_per_page,
        )
    )
    count = len({case.rsplit("_", 1)[0] for case, _ in sites})
    section.notes.append(
        f"same-site pages: the {len(sites)} CleanPortalEval dumps ({count} sites), in order, "
        "with the line memory a warm function keeps against none"
    )


def _versus(
    section: Section,
    fmt: str,
    ours: Throughput,
    theirs: Throughput,
    baseline: str,
    goal: float,
    statuses: Counter[str],
    rounds: int,
    baseline_note: str,
) -> Section:
    """Throughput figures of the pipeline against a baseline on the same pages."""
    section.figures = [
        Figure(
            f"{fmt} pipeline throughput",
            ours.pages_per_second,
            "pages/s",
            baseline,
            theirs.pages_per_second,
            Goal(">=", goal),
            void=_failures(statuses),
        ),
        Figure(f"{fmt} pipeline MB/s", ours.mb_per_second, "MB/s", baseline, theirs.mb_per_second),
        Figure("time per page", ours.ms_per_page, "ms", baseline, theirs.ms_per_page),
    ]
    section.notes = [
        f"{ours.pages} dev raw.{'txt' if fmt == 'text' else 'html'} pages, {ours.bytes / 1e6:.1f} MB "
        f"({ours.bytes / ours.pages / 1e3:.1f} KB a page), format {fmt.lower()}; "
        f"median of {rounds} interleaved round(s), one core",
        _status_note(statuses),
        baseline_note,
    ]
    section.details = {"pipeline": asdict(ours), "baseline": asdict(theirs), "statuses": dict(statuses)}
    return section


def bench_html(corpus: Path, rounds: int, quick: bool) -> Section:
    section = Section("b", "HTML pipeline vs trafilatura")
    pages = corpus_pages(corpus, "html", quick)
    if not pages:
        section.skipped = f"no dev HTML pages under {corpus}; pass --corpus or set NORMALISER_CORPUS"
        return section
    statuses: Counter[str] = Counter()
    trafilatura: Any = None
    try:
        # By name: it is installed only for benchmarks (requirements-bench.txt, by make bench).
        trafilatura = importlib.import_module("trafilatura")
    except ImportError as exc:
        missing = (
            f"trafilatura is not importable ({exc}); install requirements-bench.txt (make bench does) "
            "to measure the baseline"
        )
    with quiet_logging():
        pipeline_pass(pages[:20], "html")()
        pipeline_pass(pages, "html", statuses)()
        if trafilatura is None:
            ours_seconds = [timed(pipeline_pass(pages, "html")) for _ in range(rounds)]
            ours = Throughput(len(pages), sum(len(d) for _, d in pages), statistics.median(ours_seconds), ours_seconds)
            section.figures = [
                Figure("HTML pipeline throughput", ours.pages_per_second, "pages/s"),
                Figure("time per page", ours.ms_per_page, "ms"),
            ]
            section.notes = [missing, _status_note(statuses)]
            section.details = {"pipeline": asdict(ours), "statuses": dict(statuses)}
            return section
        for _, data in pages[:20]:
            trafilatura.extract(data)

        def baseline() -> None:
            for _, data in pages:
                trafilatura.extract(data)

        ours, theirs = compare(pages, pipeline_pass(pages, "html"), baseline, rounds, "html")
    return _versus(
        section,
        "HTML",
        ours,
        theirs,
        "trafilatura.extract",
        GOAL_HTML_VS_TRAFILATURA,
        statuses,
        rounds,
        f"trafilatura {trafilatura.__version__} extract(bytes) with its defaults (its own decoding, no metadata)",
    )


# --- c: cold start ------------------------------------------------------------------------

_IMPORT_TIMER = """
import json, time
started = time.perf_counter()
import {module}
imported = time.perf_counter()
result = {{"import": imported - started}}
if {lazy!r}:
    import normaliser.pipeline
    result["lazy"] = time.perf_counter() - imported
print(json.dumps(result))
"""


def _import_times(module: str, env: dict[str, str], repetitions: int, lazy: bool = False) -> list[dict[str, float]]:
    code = _IMPORT_TIMER.format(module=module, lazy=lazy)
    return [run_python(code, env=env, timeout=120) for _ in range(repetitions)]


def _project_bytecode() -> int:
    return sum(1 for top in ("shared", "functions") for _ in (REPO / top).rglob("__pycache__/*.pyc"))


def bench_cold_start(repetitions: int) -> Section:
    section = Section("c", "Cold start: import the handler module vs a bare `import boto3`")
    cached = _project_bytecode()
    modes = {
        # As SAM packages the function: pip-installed dependencies come with .pyc files, our
        # own modules ship as source and are compiled at every cold start (/var/task is
        # read-only, so nothing is cached between cold starts).
        "as deployed": {"PYTHONDONTWRITEBYTECODE": "1"},
    }
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as prefix:
        # Everything precompiled, our modules included (e.g. compileall in the build step).
        modes["all precompiled"] = {"PYTHONPYCACHEPREFIX": prefix}
        results: dict[str, dict[str, list[dict[str, float]]]] = {}
        for mode, extra in modes.items():
            env = subprocess_environment(**extra)
            if mode == "all precompiled":
                writing = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
                for module in ("boto3", "app"):  # fills the cache prefix; not timed
                    _import_times(module, writing, 1, lazy=module == "app")
                env["PYTHONDONTWRITEBYTECODE"] = "1"  # the timed runs only read it
            runs: dict[str, list[dict[str, float]]] = {"boto3": [], "app": []}
            for i in range(repetitions):  # interleaved, so drift hits both alike
                Progress.show(f"cold start ({mode}): {i + 1} of {repetitions}")
                runs["boto3"] += _import_times("boto3", env, 1)
                runs["app"] += _import_times("app", env, 1, lazy=True)
            results[mode] = runs
    Progress.clear()
    for mode, runs in results.items():
        boto3_ms = statistics.median(r["import"] for r in runs["boto3"]) * 1000
        app_ms = statistics.median(r["import"] for r in runs["app"]) * 1000
        lazy_ms = statistics.median(r["lazy"] for r in runs["app"]) * 1000
        goal = Goal("<=", GOAL_COLD_START_VS_BOTO3) if mode == "as deployed" else None
        section.figures.append(Figure(f"import app ({mode})", app_ms, "ms", "import boto3", boto3_ms, goal))
        section.figures.append(
            Figure(f"first page adds: import normaliser.pipeline ({mode})", lazy_ms, "ms", "import boto3", boto3_ms)
        )
    section.notes = [
        f"median of {repetitions} fresh interpreters per figure (import time only, not interpreter start-up); "
        "PYTHONPATH=shared:functions/normalise and the Lambda/Powertools environment of tools/local_stack.py",
        "as deployed: PYTHONDONTWRITEBYTECODE=1 for both; site-packages precompiled by pip; our modules "
        + (
            "compiled from source each time (no cached .pyc under shared/ or functions/)"
            if not cached
            else f"NOT from source: {cached} cached .pyc found under shared/ and functions/ were used"
        ),
        "all precompiled: every module read from a warmed PYTHONPYCACHEPREFIX, for both",
        f"Python {platform.python_version()} here; the function runs python3.12 on arm64 (template.yaml)",
    ]
    section.details = {mode: runs for mode, runs in results.items()}
    return section


# --- d: memory ----------------------------------------------------------------------------

_MEMORY_CHILD = """
import json, resource, sys, time
from dataclasses import replace
from pathlib import Path
import app
from normaliser.pipeline import OutputLocation, SourceObject, normalise_page

STATUS, CLEAR_REFS = Path("/proc/self/status"), Path("/proc/self/clear_refs")

def rss():
    # (current, peak) resident bytes. Linux: VmRSS and VmHWM, whose peak can be reset, so it
    # measures this page only (ru_maxrss would also carry the parent's peak across exec).
    # Elsewhere ru_maxrss, which cannot be reset: the growth is then a lower bound.
    if STATUS.is_file():
        fields = dict(line.split(":", 1) for line in STATUS.read_text().splitlines() if ":" in line)
        return tuple(int(fields[name].split()[0]) * 1024 for name in ("VmRSS", "VmHWM"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak, peak

path, fmt, warm = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]).read_bytes()
app._s3()  # the handler's S3 client (botocore's models) is part of the real footprint
config = replace(app.CONFIG, format=fmt)
output = OutputLocation(None, "text/x", "metadata/x")
normalise_page(warm, SourceObject(key="warm"), output, config).metadata_bytes()
try:
    CLEAR_REFS.write_text("5")  # reset the peak to the current size
    method = "VmHWM"
except OSError:
    method = "ru_maxrss"
before = rss()[0]
data = path.read_bytes()
started = time.perf_counter()
page = normalise_page(data, SourceObject(key=path.name, size=len(data)), output, config)
text, record = page.text_bytes(), page.metadata_bytes()
seconds = time.perf_counter() - started
print(json.dumps({"bytes": len(data), "before": before, "peak": rss()[1], "seconds": seconds, "method": method,
                  "status": page.status, "reason": page.reason, "bytes_out": len(text)}))
"""


def _least_squares(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Slope, intercept and R² of the straight line through the points."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for y in ys)
    residual = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return slope, intercept, 1 - residual / total if total else 1.0


def bench_memory(quick: bool) -> Section:
    from normaliser.config import NormaliserConfig
    from synthetic_pages import html_page, text_dump

    section = Section("d", "Peak memory by page size (synthetic pages, up to the size limit)")
    limit = NormaliserConfig().max_input_bytes
    sizes = sorted(
        {int(s * MIB) for s in (QUICK_MEMORY_SIZES_MIB if quick else MEMORY_SIZES_MIB) if s * MIB < limit} | {limit}
    )
    env = subprocess_environment()
    rows: dict[str, list[dict[str, Any]]] = {"text": [], "html": []}
    # Conservative: 512 x 10^6 bytes (if Lambda's MB are MiB, there are 25 MB more).
    lambda_bytes = FUNCTION_MEMORY_MB * 1e6
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        warm = Path(folder, "warm.txt")
        warm.write_bytes(text_dump(8192, seed=99))
        for fmt, make in (("text", text_dump), ("html", html_page)):
            for size in sizes:
                Progress.show(f"memory: {fmt} page of {size / MIB:g} MiB")
                path = Path(folder, f"page-{size}.{'txt' if fmt == 'text' else 'html'}")
                path.write_bytes(make(size, seed=size))
                result = run_python(_MEMORY_CHILD, str(path), fmt, str(warm), env=env, timeout=600)
                rows[fmt].append({**result, "size": size})
                path.unlink()
    Progress.clear()
    cpu_share = FUNCTION_MEMORY_MB / LAMBDA_MB_PER_VCPU
    max_seconds = NormaliserConfig().max_seconds_per_page
    for fmt, results in rows.items():
        growth = [r["peak"] - r["before"] for r in results]
        slope, _intercept, r2 = _least_squares([r["bytes"] for r in results], growth)
        largest = results[-1]
        section.figures.append(
            Figure(
                f"{fmt}: peak RSS, largest accepted page ({largest['size'] / MIB:g} MiB)",
                largest["peak"] / 1e6,
                "MB",
                "512 MB Lambda",
                lambda_bytes / 1e6,
                Goal("<=", 1.0),
                void=_failures(Counter(r["status"] for r in results)),
            )
        )
        section.figures.append(Figure(f"{fmt}: peak growth per input byte (fit, R²={r2:.3f})", slope, "B/B"))
        for r, grown in zip(results, growth, strict=True):
            section.notes.append(
                f"{fmt} {r['size'] / MIB:4g} MiB: {r['status']}{'/' + r['reason'] if r['reason'] else ''}, "
                f"{r['seconds']:.2f}s, RSS {r['before'] / 1e6:.0f} -> {r['peak'] / 1e6:.0f} MB "
                f"(+{grown / 1e6:.0f} MB, {grown / r['bytes']:.1f} B per input byte)"
            )
        lambda_seconds = largest["seconds"] / cpu_share
        if lambda_seconds > max_seconds:
            section.notes.append(
                f"{fmt}: the largest page takes {largest['seconds']:.1f}s here; at {FUNCTION_MEMORY_MB} MB "
                f"(~{cpu_share:.0%} of a vCPU) expect ~{lambda_seconds:.0f}s, over max_seconds_per_page "
                f"({max_seconds:g}s): it would be rejected as time-limit"
            )
    method = rows["text"][0]["method"] if rows["text"] else "VmHWM"
    section.notes.insert(
        0,
        f"resident memory ({method}) of a fresh process that imported the handler, made its S3 "
        "client and normalised a small page (before); then read, normalised and serialised "
        "the page (peak). Pages: synthetic, at most the stated size",
    )
    section.details = {"sizes": sizes, **rows}
    return section


# --- g: hostile pages and the hard guard ----------------------------------------------------


def hostile_shapes(size: int) -> dict[str, bytes]:
    """Pages of about ``size`` bytes in each shape that once ran for minutes or took
    gigabytes (issue 15), and an ordinary text dump and HTML page of the same size."""
    import gzip
    import random

    from synthetic_pages import html_page, text_dump

    rng = random.Random(15)
    article = b"<p>" + b"The ferry to the island runs three times a day from March. " * 10 + b"</p>"
    return {
        "ordinary text dump": text_dump(size, seed=1),
        "ordinary HTML page": html_page(size, seed=1),
        "gzip of many empty members": gzip.compress(article) + gzip.compress(b"") * (size // 20),
        "lines of 4,000 @": (b"@" * 4000 + b"\n") * (size // 4001),
        "windows-1252 page of \\xa1 bytes": b"<meta charset=windows-1252><p>" + b"\xa1" * size + b"</p>",
        "nested author elements": b'<div itemprop="author">' * (size // 24) + b"Ann Lee" + article,
        "tag with 100,000s of attributes": b"<div " + b" ".join(b"a%d=1" % i for i in range(size // 8)) + b">",
        "elements nested deep": b"<div>" * (size // 5) + article,
        "random high bytes": bytes(rng.randrange(128, 256) for _ in range(size)),
        "many short distinct lines": b"\n".join(b"line %d word" % i for i in range(size // 14)),
        "tiny <p> elements": b"".join(b"<p>w%d</p>" % i for i in range(size // 10)),
    }


def bench_hostile(corpus: Path, quick: bool) -> Section:
    section = Section("g", "Hostile pages (per input byte, next to ordinary pages) and the per-page guard's cost")
    size = MIB // 4 if quick else MIB
    env = subprocess_environment()
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        warm = Path(folder, "warm.txt")
        warm.write_bytes(b"A short warm-up page with one sentence of text in it.\n")
        for name, data in hostile_shapes(size).items():
            Progress.show(f"hostile: {name}")
            path = Path(folder, "page.html" if "HTML" in name or b"<" in data[:64] else "page.txt")
            path.write_bytes(data)
            rows[name] = run_python(_MEMORY_CHILD, str(path), "auto", str(warm), env=env, timeout=900)
    Progress.clear()
    ordinary = [rows[name] for name in rows if name.startswith("ordinary")]
    hostile = {name: row for name, row in rows.items() if not name.startswith("ordinary")}

    def per_mib(row: dict[str, Any]) -> float:
        return float(row["seconds"]) / (float(row["bytes"]) / MIB)

    def per_byte(row: dict[str, Any]) -> float:
        return float(row["peak"] - row["before"]) / float(row["bytes"])

    worst_time = max(hostile, key=lambda name: per_mib(hostile[name]))
    worst_memory = max(hostile, key=lambda name: per_byte(hostile[name]))
    section.figures = [
        Figure(
            f"worst hostile time per MiB ({worst_time})",
            per_mib(hostile[worst_time]),
            "s",
            "ordinary pages",
            max(map(per_mib, ordinary)),
        ),
        Figure(
            f"worst hostile peak growth per input byte ({worst_memory})",
            per_byte(hostile[worst_memory]),
            "B/B",
            "ordinary pages",
            max(map(per_byte, ordinary)),
        ),
    ]
    section.notes = [
        f"{name}: {row['bytes'] / MIB:.2f} MiB, {row['status']}"
        f"{'/' + row['reason'] if row['reason'] else ''}, {row['seconds']:.2f}s, "
        f"+{(row['peak'] - row['before']) / 1e6:.0f} MB peak ({per_byte(row):.0f} B per input byte)"
        for name, row in rows.items()
    ]
    section.notes.append(
        "in-process, as the forked child runs it (RSS of a fresh process that imported the handler); "
        "with the guard, a page past MAX_PAGE_MEMORY_BYTES or MAX_SECONDS_PER_PAGE is rejected "
        "as memory-limit / time-limit instead"
    )
    pages = corpus_pages(corpus, "text", quick=True)[:200]
    if pages:
        guarded, plain = _guard_cost(pages)
        section.figures.append(
            Figure("text pages in a forked child, time a page", guarded * 1000, "ms", "in-process", plain * 1000)
        )
        section.notes.append(
            f"guard: {len(pages)} dev text dumps; the fork, the pipe and the wait cost "
            f"{(guarded - plain) * 1000:.1f} ms a page"
        )
    section.details = rows
    return section


def _guard_cost(pages: list[tuple[str, bytes]]) -> tuple[float, float]:
    """Seconds a page with and without the hard guard (a forked child per page)."""
    from normaliser.config import NormaliserConfig
    from normaliser.pipeline import OutputLocation, SourceObject, normalise_page_bounded

    output = OutputLocation(None, "t", "m")
    results: list[tuple[bool, float]] = []
    for isolate in (True, False, True, False):
        config = NormaliserConfig(format="text", isolate=isolate)
        started = time.perf_counter()
        with quiet_logging():
            for key, data in pages:
                normalise_page_bounded(data, SourceObject(key=key), output, config)
        results.append((isolate, (time.perf_counter() - started) / len(pages)))
    guarded = min(seconds for isolate, seconds in results if isolate)
    plain = min(seconds for isolate, seconds in results if not isolate)
    return guarded, plain


# --- e: local stack -----------------------------------------------------------------------


def bench_local_stack(corpus: Path, pages: int, timeout: float) -> Section:
    section = Section("e", "Local pipeline (moto S3 + SQS + worker): real handler vs a copy-only handler")
    source = ["--corpus", str(corpus)] if (corpus / "dev").is_dir() else []
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        for handler in ("copy", "real"):
            Progress.show(f"local stack: {pages} pages through the {handler} handler")
            out = Path(folder, f"{handler}.json")
            command = [
                sys.executable,
                str(REPO / "tools" / "load_test.py"),
                "--pages",
                str(pages),
                "--handler",
                handler,
                "--text-only",
                "--no-bad",
                "--timeout",
                str(timeout),
                "--json",
                str(out),
                *source,
            ]
            done = subprocess.run(
                command,
                cwd=REPO,
                env={**os.environ, "PYTHONPATH": PYTHONPATH},
                capture_output=True,
                text=True,
                timeout=timeout + 120,
                check=False,
            )
            if not out.is_file():
                section.skipped = f"load_test.py --handler {handler} failed: {done.stderr.strip()[-1500:]}"
                Progress.clear()
                return section
            runs[handler] = json.loads(out.read_text(encoding="utf-8"))
    Progress.clear()
    real, copy = runs["real"], runs["copy"]
    section.figures = [
        Figure(
            "pages/s through the local stack",
            real["pages_per_second"],
            "pages/s",
            "copy-only handler",
            copy["pages_per_second"],
            Goal(">=", GOAL_LOCAL_VS_COPY),
            void=_failures(real["outcomes"]),
        )
    ]
    pages_from = f"dev raw.txt pages from {corpus}" if source else "synthetic text dumps (no corpus found)"
    section.notes = [
        f"{pages} {pages_from}, {real['bytes'] / 1e6:.1f} MB, dropped at once by 8 threads; "
        "timed from the first upload to the last page handled; each stack in a fresh process",
        f"real: {real['accounted']} of {real['pages']} accounted for, outcomes {real['outcomes']}; "
        f"copy: {copy['accounted']} of {copy['pages']}",
        "the copy-only handler does GET raw + PUT clean per page; the real one GET raw + HEAD record + PUT text "
        "+ PUT record, plus the pipeline, on the same core as moto (one worker thread, as make local)",
    ]
    if real["missing"] or copy["missing"]:
        section.notes.append(f"UNACCOUNTED pages: real {len(real['missing'])}, copy {len(copy['missing'])}")
    section.details = runs
    return section


# --- f: cost ------------------------------------------------------------------------------


def lambda_cost_per_million(seconds_per_page: float, cpu_scale: float) -> float:
    """USD per million pages: duration at FUNCTION_MEMORY_MB plus one request per SQS batch."""
    gb_seconds = FUNCTION_MEMORY_MB / 1024 * seconds_per_page * cpu_scale
    duration = 1e6 * gb_seconds * LAMBDA_ARM64_USD_PER_GB_SECOND
    requests = LAMBDA_USD_PER_MILLION_REQUESTS / SQS_BATCH_SIZE
    return duration + requests


def bench_cost(text: Section, html: Section) -> Section:
    section = Section("f", f"Lambda cost per million pages (arm64, {FUNCTION_MEMORY_MB} MB)")
    scale = LAMBDA_MB_PER_VCPU / FUNCTION_MEMORY_MB
    inputs = [("text", text, "ftfy alone"), ("HTML", html, "trafilatura alone")]
    for label, source, theirs_name in inputs:
        if source.skipped or "pipeline" not in source.details:
            continue
        ours = source.details["pipeline"]["seconds"] / source.details["pipeline"]["pages"]
        theirs_detail = source.details.get("baseline")
        theirs = theirs_detail["seconds"] / theirs_detail["pages"] if theirs_detail else None
        for cpu_label, cpu_scale in (("CPU as here", 1.0), (f"CPU scaled x{scale:.2f} to 512 MB's vCPU share", scale)):
            section.figures.append(
                Figure(
                    f"{label} pages, {cpu_label}",
                    lambda_cost_per_million(ours, cpu_scale),
                    "USD",
                    theirs_name,
                    lambda_cost_per_million(theirs, cpu_scale) if theirs is not None else None,
                )
            )
    if not section.figures:
        section.skipped = "needs the per-page times of a (text) or b (HTML)"
        return section
    s3 = 1e6 * (2 * S3_USD_PER_1000_PUT + 2 * S3_USD_PER_1000_GET) / 1000
    section.notes = [
        f"prices (us-east-1, aws.amazon.com/lambda/pricing, 2025): ${LAMBDA_ARM64_USD_PER_GB_SECOND} per GB-s "
        f"(arm64, first tier), ${LAMBDA_USD_PER_MILLION_REQUESTS} per million requests; one request per SQS "
        f"batch of {SQS_BATCH_SIZE}; free tier ignored",
        f"duration = measured per-page time (a, b) x {FUNCTION_MEMORY_MB / 1024:g} GB; 'scaled' assumes CPU-bound "
        f"work runs at {FUNCTION_MEMORY_MB}/{LAMBDA_MB_PER_VCPU} of this machine's core speed",
        "not included: init (cold start) duration, waiting on S3 (4 calls a page, billed as duration), "
        f"and the S3 requests themselves: ${s3:.2f} per million pages (2 PUT at ${S3_USD_PER_1000_PUT}/1000, "
        f"GET + HEAD at ${S3_USD_PER_1000_GET}/1000), likely more than the Lambda compute",
    ]
    return section


# --- profile ------------------------------------------------------------------------------


def profile_pipeline(corpus: Path, quick: bool) -> None:
    """Where the time goes: one pass over the text and HTML pages under cProfile, grouped by
    module (own time) and the costliest normaliser functions (cumulative)."""
    for fmt in ("text", "html"):
        pages = corpus_pages(corpus, fmt, quick)
        if not pages:
            print(f"\nprofile {fmt}: no pages under {corpus}")
            continue
        run = pipeline_pass(pages, fmt)
        with quiet_logging():
            run()  # warm
            profiler = cProfile.Profile()
            profiler.runcall(run)
        stats = pstats.Stats(profiler)
        raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
        total = sum(entry[2] for entry in raw.values())
        by_module: dict[str, float] = {}
        for (filename, _, function), (_, _, own, _, callers) in raw.items():
            # Time in C functions (regex, str methods) goes to the module that called them.
            shares = (
                [(_module_of(*caller[::2]), timing[2]) for caller, timing in callers.items()]
                if filename == "~" and callers
                else [(_module_of(filename, function), own)]
            )
            for module, seconds in shares:
                by_module[module] = by_module.get(module, 0.0) + seconds
        print(f"\nprofile {fmt}: {len(pages)} pages, {total:.2f}s of own time under cProfile")
        print("   own time by module (C calls counted in the module that made them):")
        for module, own in sorted(by_module.items(), key=lambda item: -item[1])[:12]:
            print(f"   {own / total:6.1%}  {module}")
        print("   cumulative time of normaliser functions:")
        ours = [
            (entry[3], f"{Path(filename).name}:{function}")
            for (filename, _, function), entry in raw.items()
            if "normaliser" in Path(filename).parts and function != "<module>"
        ]
        for cumulative, label in sorted(ours, reverse=True)[:14]:
            print(f"   {cumulative / total:6.1%}  {label}")


def _module_of(filename: str, function: str) -> str:
    if filename == "~":  # C functions: named by what they are
        return f"(C) {function.split(' of ')[0].strip('<>{}')}"
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1]
    for base in (REPO / "shared", REPO):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return f"stdlib {path.stem}" if path.suffix == ".py" else filename


# --- main ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": model or platform.processor(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "max_rss_of_this_process_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="corpus folder (default $NORMALISER_CORPUS or ../shared/corpus)")
    parser.add_argument("--quick", action="store_true", help="a smaller sample: about a minute instead of several")
    parser.add_argument("--only", default="abcdefg", help="sections to run, e.g. --only ac (default: all)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--profile", action="store_true", help="then profile the text and HTML pipelines")
    args = parser.parse_args(argv)
    for path in (REPO / "shared", REPO / "functions" / "normalise"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    corpus = corpus_path(args.corpus)
    rounds = 1 if args.quick else 3
    info: dict[str, Any] = machine()
    print(
        f"bench: {info['cpu']} ({info['cpus']} CPUs), {info['platform']}, Python {info['python']}"
        f"{' (--quick)' if args.quick else ''}"
    )
    print(f"corpus: {corpus}" + ("" if (corpus / "dev").is_dir() else " (absent: corpus sections skipped)"))

    runners: dict[str, Callable[[dict[str, Section]], Section]] = {
        "a": lambda done: bench_text(corpus, rounds, args.quick),
        "b": lambda done: bench_html(corpus, rounds, args.quick),
        "c": lambda done: bench_cold_start(3 if args.quick else 7),
        "d": lambda done: bench_memory(args.quick),
        "e": lambda done: bench_local_stack(corpus, 100 if args.quick else 300, timeout=300),
        "f": lambda done: bench_cost(
            done.get("a") or Section("a", "", skipped="not run"), done.get("b") or Section("b", "", skipped="not run")
        ),
        "g": lambda done: bench_hostile(corpus, args.quick),
    }
    done: dict[str, Section] = {}
    for key, run in runners.items():
        if key not in args.only:
            continue
        started = time.perf_counter()
        try:
            section = run(done)
        except Exception as exc:  # one broken section must not hide the others' figures
            section = Section(key, f"section {key}", skipped=f"error: {type(exc).__name__}: {exc}")
        section.seconds = time.perf_counter() - started
        done[key] = section
        print_section(section)
    print_summary(list(done.values()))
    if args.profile:
        profile_pipeline(corpus, args.quick)
    if args.json:
        payload = {
            "machine": info,
            "quick": args.quick,
            "corpus": str(corpus),
            "sections": {
                k: {
                    "title": s.title,
                    "skipped": s.skipped,
                    "seconds": s.seconds,
                    "figures": [f.as_json() for f in s.figures],
                    "notes": s.notes,
                    "details": s.details,
                }
                for k, s in done.items()
            },
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
