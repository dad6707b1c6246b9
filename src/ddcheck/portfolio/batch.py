"""Many reports at once, behind one ``concurrent.futures.Executor``: local processes or a Dask cluster.

Why an executor and nothing of our own: ``ProcessPoolExecutor`` gives one process per core on this
machine, and ``distributed.Client.get_executor()`` is the same interface over a cluster, so a team
with tens of thousands of suppliers scales out with a real engine and the code path stays one.

A job carries the assessment's *bytes* and returns the report's bytes: workers need no shared
filesystem, and the client alone writes files (atomically). Each worker process loads the checklist
library, the templates, WeasyPrint and the font coverage once (:func:`warm`) and keeps them for every
job it runs. Rendering holds a per-process lock, since WeasyPrint is not documented as thread-safe
(Dask workers may run several threads).

A job that fails comes back as an :class:`Outcome` with its error lines; the batch goes on.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import DdcheckError, EnvironmentProblem

_LIBRARIES: dict[tuple[str, ...], object] = {}  # per worker process: the library, by checklist folders
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Job:
    shown: str  # the input as the user named it, for messages
    file_name: str  # the input's name, as the report's audit page names it
    data: bytes
    fmt: str = "pdf"
    variant: str | None = None
    strict: bool = False
    checklist_dirs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    shown: str
    data: bytes | None = None  # None when the job failed
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    exit_code: int = 0
    seconds: float = 0.0
    worker: int = field(default=0, compare=False)  # pid of the process that rendered it

    @property
    def ok(self) -> bool:
        return self.data is not None


def cores() -> int:
    """The cores this process may use (the default number of workers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def preload(dirs: tuple[str, ...], library: object) -> None:
    """Hand this process's loaded library to workers forked from it (they then skip loading it)."""
    _LIBRARIES[dirs] = library


def _library(dirs: tuple[str, ...]):
    if dirs not in _LIBRARIES:
        from ..checklists.library import load_library

        _LIBRARIES[dirs] = load_library([Path(d) for d in dirs])
    return _LIBRARIES[dirs]


def warm(dirs: tuple[str, ...] = (), fmt: str = "pdf") -> None:
    """Load once per worker what every report needs: library, templates, and for PDFs WeasyPrint
    and the installed fonts' coverage."""
    _library(dirs)
    if fmt in ("pdf", "html"):
        from ..report.html import environment
        from ..resources import bundled

        environment(bundled("templates")).get_template("report.html.j2")
    if fmt == "pdf":
        from ..report import pdf  # noqa: F401  (imports WeasyPrint)
        from ..report.fonts import installed_coverage

        installed_coverage()


def render_job(job: Job) -> Outcome:
    """Runs in a worker: one assessment's bytes in, the report's bytes (or the error lines) out."""
    from ..report.fonts import describe_missing
    from ..report.pipeline import render_bytes

    started = time.perf_counter()
    try:
        with _RENDER_LOCK:
            result = render_bytes(job.data, job.shown, job.file_name, _library(job.checklist_dirs), job.fmt,
                                  variant=job.variant, strict=job.strict)
    except DdcheckError as exc:
        return Outcome(job.shown, errors=tuple(exc.lines()), exit_code=exc.exit_code,
                       seconds=time.perf_counter() - started, worker=os.getpid())
    except Exception as exc:  # one broken file must not stop the batch; say what happened, in one line
        return Outcome(job.shown, errors=(f"{job.shown}: cannot render: {type(exc).__name__}: {exc}",),
                       exit_code=1, seconds=time.perf_counter() - started, worker=os.getpid())
    warnings = [f"{job.shown}: {describe_missing(result.missing)}"] if result.missing else []
    warnings += [f"{job.shown}: WeasyPrint: {m}" for m in result.warnings]
    return Outcome(job.shown, data=result.data, pages=result.pages, warnings=tuple(warnings),
                   seconds=time.perf_counter() - started, worker=os.getpid())


class LocalProcesses:
    """``jobs`` worker processes, each warmed once."""

    def __init__(self, jobs: int, dirs: tuple[str, ...], fmt: str):
        self.executor: Executor = ProcessPoolExecutor(max_workers=jobs, initializer=warm, initargs=(dirs, fmt))
        self.description = f"{jobs} local worker process{'es' if jobs != 1 else ''}"

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """The executor of an existing Dask distributed scheduler (``pip install 'ddcheck[dask]'``)."""

    def __init__(self, address: str, dirs: tuple[str, ...], fmt: str, timeout: float = 10.0):
        try:
            from distributed import Client
        except ImportError:
            raise EnvironmentProblem("--scheduler needs Dask distributed: pip install 'ddcheck[dask]'") from None
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise EnvironmentProblem(f"--scheduler {address}: cannot reach the Dask scheduler ({exc})") from None
        self.client.run(warm, dirs, fmt)  # once on every worker now there, as the local pool's initializer does
        self.executor = self.client.get_executor(pure=False)
        workers = len(self.client.scheduler_info().get("workers", {}))
        self.description = f"Dask scheduler {address} ({workers} worker{'s' if workers != 1 else ''})"

    def close(self) -> None:
        self.client.close()


def run(executor: Executor, jobs: Iterable[Callable[[], Job | Outcome]], in_flight: int) -> Iterator[Outcome]:
    """Submit jobs as earlier ones finish (at most ``in_flight`` at a time, so 50,000 files are never
    all in memory) and yield outcomes in the order they complete.

    Each item of ``jobs`` is called just before submission; it returns the job, or an Outcome when
    the input could not even be read (reported like a failed render).
    """
    pending: dict[Future, str] = {}
    source = iter(jobs)
    exhausted = False
    while True:
        while not exhausted and len(pending) < in_flight:
            try:
                make = next(source)
            except StopIteration:
                exhausted = True
                break
            item = make()
            if isinstance(item, Outcome):
                yield item
                continue
            pending[executor.submit(render_job, item)] = item.shown
        if not pending:
            return
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield _result(future, pending.pop(future))


def _result(future: Future, shown: str) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # the worker died (killed, out of memory) or the cluster lost it
        return Outcome(shown, errors=(f"{shown}: the worker rendering it failed: {type(exc).__name__}: {exc}",),
                       exit_code=1)


def output_names(inputs: Sequence[Path], out_dir: Path, suffix: str) -> dict[Path, Path]:
    """Each input's report path in ``out_dir``; two inputs with one name are bad input (exit 2)."""
    from ..errors import InputError, display_path

    targets: dict[Path, Path] = {}
    by_target: dict[Path, Path] = {}
    for path in inputs:
        target = out_dir / (path.stem + suffix)
        if target in by_target and by_target[target].resolve() != path.resolve():
            raise InputError(f"{display_path(path)} and {display_path(by_target[target])} would both be written "
                             f"to {display_path(target)}; rename one of them or render them separately")
        by_target[target] = path
        targets[path] = target
    return targets
