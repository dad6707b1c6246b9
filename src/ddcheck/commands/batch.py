"""``ddcheck report FILE... --out-dir DIR``: the batch side of ``report``, over ``portfolio.batch``.

The command checks everything it can before a worker starts (options, folders, clashing output
names), then streams jobs through the executor, shows a progress bar on stderr, reports each
failing file as it fails and renders the rest, and exits 1 at the end if any failed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional, Sequence

import typer

from .common import _located, echo, extra_dirs, library


def render_batch(ctx: typer.Context, inputs: Sequence[Path], out_dir: Optional[Path], fmt: Any, *,
                 variant: str | None, strict: bool, jobs: int | None, scheduler: str | None,
                 output: Optional[Path]) -> None:
    from ..answers.assessment import write_atomic
    from ..checklists.yamlread import read_limited
    from ..errors import EXIT_PROBLEMS, ConflictError, DdcheckError, InputError, display_path
    from ..portfolio import batch

    if output is not None:
        raise InputError("-o names one report; for several assessments give --out-dir DIR")
    if out_dir is None:
        raise InputError(f"{len(inputs)} assessments given: say where their reports go with --out-dir DIR")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out-dir {display_path(out_dir)}: exists and is not a folder")
    if variant is not None and fmt.value != "pdf":
        raise InputError(f"--pdf-variant applies to PDF reports only, not --format {fmt.value}")
    targets = batch.output_names(list(dict.fromkeys(inputs)), out_dir, fmt.suffix)
    sources = {p.resolve() for p in targets}
    for target in targets.values():
        if target.resolve() in sources:
            raise ConflictError(f"{display_path(target)}: refusing to overwrite an assessment with a report; "
                                "choose another --out-dir")

    lib = library(ctx)  # checks the folders now, with the usual messages, before any worker starts
    dirs = tuple(str(d.resolve()) for d in extra_dirs(ctx))
    batch.preload(dirs, lib)  # forked local workers start with it loaded
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = jobs or batch.cores()
    pool = (batch.DaskCluster(scheduler, dirs, fmt.value) if scheduler
            else batch.LocalProcesses(min(workers, len(targets)), dirs, fmt.value))

    def job_for(path: Path):
        def make():
            shown = display_path(path)
            try:
                return batch.Job(shown, path.name, read_limited(path, shown), fmt.value, variant, strict, dirs)
            except DdcheckError as exc:
                return batch.Outcome(shown, errors=tuple(exc.lines()), exit_code=exc.exit_code)
        return make

    by_shown = {display_path(p): t for p, t in targets.items()}
    clear = "\r\033[K" if sys.stderr.isatty() else ""  # a message replaces the progress bar's line
    failed: list[str] = []
    written = 0
    echo(f"Rendering {len(targets)} report(s) on {pool.description} into {display_path(out_dir)}", err=True)
    try:
        with typer.progressbar(length=len(targets), label="Rendering", file=sys.stderr) as bar:
            for outcome in batch.run(pool.executor, (job_for(p) for p in targets), in_flight=2 * workers):
                if outcome.ok:
                    write_atomic(by_shown[outcome.shown], outcome.data)
                    written += 1
                else:
                    failed.append(outcome.shown)
                    for line in outcome.errors:
                        typer.echo(clear, err=True, nl=False)  # our own control sequence; the line is sanitised
                        echo(line if _located(line) else f"error: {line}", err=True)
                for warning in outcome.warnings:
                    typer.echo(clear, err=True, nl=False)
                    echo(f"warning: {warning}", err=True)
                bar.update(1)
    finally:
        pool.close()
    echo(f"Wrote {written} of {len(targets)} report(s) to {display_path(out_dir)}"
               + (f"; {len(failed)} failed: {', '.join(failed)}" if failed else ""))
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)
