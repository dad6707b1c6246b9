"""Report overhead against WeasyPrint alone, and CLI start-up against importing Typer.

    .venv/bin/python benchmarks/report_bench.py [--runs N]

For a small assessment (one checklist, no notes) and a large one (every bundled checklist, every
note filled), it times our whole report (read + score + view-model + Jinja2 + glyph check +
WeasyPrint + attachment) and WeasyPrint alone rendering the very same HTML, in the same process,
interleaved, and prints the fastest of N runs of each and their ratio (the fastest run is the one
least disturbed by whatever else the machine is doing; medians are printed too). Target: ratio
<= 1.15. Then it times ``ddcheck --help`` against ``python -c "import typer"`` in fresh processes.

Ratios, not seconds, are what to compare across machines. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import synthetic_yaml  # noqa: E402

REPORT_TARGET = 1.15


def timed(func) -> float:
    gc.collect()  # neither side pays for the other's garbage
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def bench_report(name: str, path: Path, library, runs: int, warm: bool) -> float:
    import weasyprint

    from ddcheck.report import pipeline
    from ddcheck.report.html import render_html
    from ddcheck.resources import bundled

    assessment, data = pipeline.read_assessment(path)
    context = pipeline.make_context(assessment, data, pipeline.score(assessment, library), library, path.name)
    html = render_html(context)
    base = bundled("templates").as_uri() + "/"

    page_counts: list[int] = []

    def ours():
        page_counts.append(pipeline.render(path, library, "pdf").pages)

    def alone():
        weasyprint.HTML(string=html, base_url=base).write_pdf()

    if warm:  # the first render of a process loads fonts and compiles templates: not what we compare
        ours()
        alone()
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(timed(ours))
        theirs.append(timed(alone))
    m, t = min(mine), min(theirs)
    pages = page_counts[-1]
    ratio = m / t
    print(f"{name:<6} {pages:>4} pages   ddcheck report {m:6.2f} s   WeasyPrint alone {t:6.2f} s   "
          f"ratio {ratio:5.3f}   (target <= {REPORT_TARGET}; medians {statistics.median(mine):.2f} / "
          f"{statistics.median(theirs):.2f} s)")
    return ratio


def bench_startup(runs: int) -> float:
    exe = [sys.executable]
    help_cmd = exe + ["-m", "ddcheck", "--help"]
    typer_cmd = exe + ["-c", "import typer"]
    subprocess.run(help_cmd, capture_output=True, check=True)  # warm the file cache
    ours = statistics.median(timed(lambda: subprocess.run(help_cmd, capture_output=True, check=True))
                             for _ in range(runs))
    base = statistics.median(timed(lambda: subprocess.run(typer_cmd, capture_output=True, check=True))
                             for _ in range(runs))
    print(f"startup   ddcheck --help {ours * 1000:6.0f} ms   python -c 'import typer' {base * 1000:6.0f} ms   "
          f"ratio {ours / base:5.2f}")
    return ours / base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each side per assessment")
    args = parser.parse_args()

    from ddcheck.checklists.library import load_library

    library = load_library()
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp, "small.yaml")
        small.write_text(synthetic_yaml(library, ["xinjiang-supply-chain"], notes=False), encoding="utf-8")
        large = Path(tmp, "large.yaml")
        large.write_text(synthetic_yaml(library, sorted(library.checklists), notes=True), encoding="utf-8")
        ratios.append(bench_report("small", small, library, args.runs, warm=True))
        ratios.append(bench_report("large", large, library, args.runs, warm=False))
    bench_startup(max(5, args.runs))
    return 0 if all(r <= REPORT_TARGET for r in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
