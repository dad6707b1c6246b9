"""Reading assessment files: parse_yaml (fast reader first) against the general reader alone.

    .venv/bin/python benchmarks/yaml_bench.py [--files N] [--rounds R] [--folder DIR]

Issue 14 (``ddcheck portfolio DIR``) leaves about 4.5 ms of CPU per file for everything; the general
reader alone took ~4 ms of it on a 41 KiB file. This times, in one process, with the cyclic
collector paused, interleaved round by round: the general reader (``parse_yaml_general``), the
whole ``parse_yaml`` (control-character check, then the fast reader, which declines what it is not
sure of) and the fast reader alone, over N synthetic portfolio files (benchmarks/synthetic.py; or
the ``*.yaml`` under ``--folder``). It prints the fastest round of each (ms per file, the round
least disturbed by the rest of the machine), their ratio, and how many files the fast reader
accepted: every one must be, they are ddcheck's own output. Targets: ratio >= 3.5, 100 % accepted.

Ratios, not milliseconds, are what to compare across machines. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

RATIO_TARGET = 3.5


def texts_of(folder: Path | None, files: int) -> list[str]:
    if folder is None:
        from synthetic import synthetic_portfolio

        from ddcheck.checklists.library import load_library

        folder = Path(tempfile.mkdtemp(prefix="yaml-bench-"))
        synthetic_portfolio(folder, load_library(), subjects=files, broken=False, limit=files)
    paths = sorted(folder.rglob("*.yaml"))[:files]
    return [path.read_text(encoding="utf-8-sig") for path in paths]


def per_file_ms(func, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        func(text, "f")
    return (time.perf_counter() - start) / len(texts) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="read the *.yaml under DIR instead of generating files")
    args = parser.parse_args()

    from ddcheck.checklists.yamlfast import DECLINED, fast_data
    from ddcheck.checklists.yamlread import parse_yaml, parse_yaml_general

    texts = texts_of(args.folder, args.files)
    accepted = sum(fast_data(text) is not DECLINED for text in texts)
    size = sum(len(text.encode("utf-8")) for text in texts) / len(texts) / 1024
    readers = {"general reader": parse_yaml_general, "parse_yaml": parse_yaml,
               "fast reader alone": lambda text, _file: fast_data(text)}
    best = {name: float("inf") for name in readers}
    gc.disable()
    try:
        for _ in range(args.rounds):
            for name, reader in readers.items():
                best[name] = min(best[name], per_file_ms(reader, texts))
    finally:
        gc.enable()
    ratio = best["general reader"] / best["parse_yaml"]
    print(f"{len(texts)} files of {size:.0f} KiB on average, best of {args.rounds} rounds:")
    for name, ms in best.items():
        print(f"  {name:<18} {ms:6.2f} ms per file")
    print(f"  ratio general / parse_yaml: {ratio:.2f} (target >= {RATIO_TARGET})")
    print(f"  accepted by the fast reader: {accepted} of {len(texts)} (target: all)")
    return 0 if ratio >= RATIO_TARGET and accepted == len(texts) else 1


if __name__ == "__main__":
    sys.exit(main())
