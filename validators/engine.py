"""The validation engine: intake, references, Arelle in the pool, filing rules, signals -> one Report."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import shutil
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .arelle.pool import EngineError, PoolSettings, WorkerPool
from .arelle.viewer import SCRIPT_URL
from .codes import ENGINE_MEMORY, ENGINE_TIMEOUT
from .i18n import both, require
from .intake import Limits, Rejected, accept
from .references import check_references
from .registry import Registry
from .report import Finding, Report, finding
from .reserialise import ArelleInput
from .rules import FilingData, run_rules
from .signals import compute

BOARD_NUMBER = re.compile(r"\d{5}")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSettings:
    """Everything configurable about the engine."""

    limits: Limits = field(default_factory=Limits)
    pool: PoolSettings = field(default_factory=PoolSettings)
    package_dirs: tuple[Path, ...] | None = None  # None: the shipped packages
    # For tests only: False skips the reference checks (FR-ENTRYPOINT), to prove that the worker's
    # guard alone stops what they would have stopped. Never switch it off for real filings.
    check_references: bool = True
    # An inline filing that loads is also prepared for Arelle's ixbrl-viewer (Report.viewer), its
    # document loading the viewer's script from this URL; None: no viewer documents are made.
    viewer_script: str | None = SCRIPT_URL


def engine_failure(error: EngineError, pool: PoolSettings, filename: str) -> Finding:
    """The finding that tells the filer why this file got no verdict, and what to do."""
    if error.code == ENGINE_MEMORY:
        message = both("Checking this file needed more memory than allowed (%(mb)s MB) and was stopped. That is due "
                       "to the file's size or structure, not a fault. Make the file smaller (fewer facts or contexts) "
                       "and upload it again.", mb=pool.kill_mb)
    elif error.code == ENGINE_TIMEOUT:
        message = both("Checking this file needed more than %(seconds)s seconds of computing time and was stopped. "
                       "That is due to the file's size or structure. Make the file smaller (fewer facts or contexts) "
                       "and upload it again.", seconds=f"{pool.timeout_s:g}")
    else:
        message = both("The check could not be completed because of a system fault, not because of your file. Try "
                       "again later.")
    return finding(error.code, "error", message, file=filename)


def read_exports(directory: Path) -> dict[str, bytes]:
    """The worker's OIM files as they are served: the xBRL-JSON document, and the xBRL-CSV
    files in one zip (the same filing always gives the same bytes: fixed entry times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted((directory / "csv").iterdir()):
            archive.writestr(zipfile.ZipInfo(item.name, date_time=(1980, 1, 1, 0, 0, 0)), item.read_bytes(),
                             compress_type=zipfile.ZIP_DEFLATED)
    return {"xbrl-json": (directory / "filing.json").read_bytes(), "xbrl-csv": buffer.getvalue()}


def _new_report(data: bytes, filename: str, board: str, year: int) -> Report:
    return Report(board=board, year=int(year), file_name=filename, file_size=len(data),
                  file_sha256=hashlib.sha256(data).hexdigest())


def refusal(data: bytes, filename: str, board: str, year: int, limits: Limits = Limits()) -> Report | None:
    """The report of an upload that intake refuses (status `rejected`, its one IN-* finding), the same
    report `Engine.validate` gives it; None when the file passes intake. Cheap (no Arelle, no
    taxonomy; intake reads within its limits), so a caller can know at once whether a file is an
    XBRL report at all, e.g. before giving it a version number."""
    started = time.perf_counter()
    try:
        accept(data, filename, limits)
    except Rejected as rejected:
        report = _new_report(data, filename, board, year)
        report.findings.append(rejected.finding)
        report.timings["total_ms"] = (time.perf_counter() - started) * 1000
        return report
    return None


class Engine:
    """Validates uploads; owns the taxonomy registry and the warm worker pool."""

    def __init__(self, settings: EngineSettings = EngineSettings(), registry: Registry | None = None) -> None:
        require()  # a missing catalogue stops the engine at its start, not at its first finding
        self.settings = settings
        self.registry = registry or Registry(list(settings.package_dirs) if settings.package_dirs else None)
        latest = self.registry.all()[-1].entry_point if self.registry.all() else None
        pool_settings = settings.pool if settings.pool.warmup else PoolSettings(
            **{**settings.pool.__dict__, "warmup": latest})
        self._pool: WorkerPool | None = None
        self._pool_settings = pool_settings
        self._pool_lock = threading.Lock()  # callers are many threads: one pool, started once

    @property
    def pool(self) -> WorkerPool:
        """The worker pool, started on first use."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = WorkerPool([str(p) for p in self.registry.packages], self._pool_settings)
            return self._pool

    def validate(self, data: bytes, filename: str, board: str, year: int, exports: bool = False) -> Report:
        """Validate one upload for school board `board` and reporting `year`.

        Returns the report; raises ValueError for a malformed board number or
        year (the caller's mistake). When the engine could not finish (the
        file's worker ran out of memory or time, or died), the report's status
        is `error` with an ENGINE-* finding that says why.
        With `exports`, a filing that Arelle loaded also comes back as
        xBRL-JSON and xBRL-CSV in `report.exports` (see Report).
        """
        if not BOARD_NUMBER.fullmatch(board or ""):
            raise ValueError(f"a school board number has 5 digits, not {board!r}")
        if not 1900 < int(year) < 2200:
            raise ValueError(f"not a reporting year: {year!r}")
        started = time.perf_counter()
        report = _new_report(data, filename, board, year)
        try:
            document = accept(data, filename, self.settings.limits)
        except Rejected as rejected:
            report.findings.append(rejected.finding)
            report.timings["total_ms"] = (time.perf_counter() - started) * 1000
            return report
        report.timings["intake_ms"] = (time.perf_counter() - started) * 1000
        taxonomy = self.registry.for_year(report.year)
        if taxonomy is not None:
            report.taxonomy = {"year": taxonomy.year, "entry_point": taxonomy.entry_point,
                               "package_sha256": taxonomy.package_sha256}
        references = check_references(document, report.year, self.registry) if self.settings.check_references else []
        if references:  # never let Arelle open what the file points at
            report.findings.extend(references)
            report.timings["total_ms"] = (time.perf_counter() - started) * 1000
            return report

        workdir = Path(tempfile.mkdtemp(prefix="edu-validate-"))  # private (0700), never a user-chosen name
        try:
            path = workdir / ("filing.xhtml" if document.kind == "ixbrl" else "filing.xbrl")
            # Arelle reads the document intake parsed and the references were checked on, never the
            # upload's bytes (it would decode them its own way); its lines are mapped back below.
            serialised = time.perf_counter()
            arelle_input = ArelleInput(document)
            path.write_bytes(arelle_input.data)
            report.timings["serialise_ms"] = (time.perf_counter() - serialised) * 1000
            export_dir = workdir / "oim" if exports else None
            if export_dir is not None:
                export_dir.mkdir()
            result = self.pool.run(str(path), document.name, entry_point=taxonomy.entry_point if taxonomy else None,
                                   export_dir=str(export_dir) if export_dir else None,
                                   viewer=self.settings.viewer_script if document.kind == "ixbrl" else None)
            arelle_input.map_lines(result)
            if export_dir is not None and result.loaded:
                report.exports = read_exports(export_dir)
        except EngineError as error:  # this file's own verdict; the other files of a batch go on
            report.findings.append(engine_failure(error, self._pool_settings, document.name))
            report.timings["total_ms"] = (time.perf_counter() - started) * 1000
            return report
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        report.timings["arelle_ms"] = result.timings.arelle_ms
        report.timings["extract_ms"] = result.timings.extract_ms
        if result.timings.viewer_ms is not None:
            report.timings["viewer_ms"] = result.timings.viewer_ms
        if result.viewer_error:  # the verdict stands; only the document view is missing
            log.warning("%s: the ixbrl-viewer document could not be made: %s", document.name, result.viewer_error)
        report.findings.extend(result.findings)
        if result.loaded:
            rules_started = time.perf_counter()
            filing = FilingData(board=board, year=report.year, file=document.name, facts=result.facts,
                                labels=result.labels, required=result.required)
            report.findings.extend(run_rules(filing))
            report.facts = result.facts
            report.viewer = result.viewer
            report.signals, report.signals_version = compute(filing)
            for item in report.findings:  # where each finding is shown: its concept's statement
                if item.concept and item.statement is None:
                    label = result.labels.get(item.concept)
                    item.statement = label["statement"] if label else None
            report.timings["rules_ms"] = (time.perf_counter() - rules_started) * 1000
        report.timings["total_ms"] = (time.perf_counter() - started) * 1000
        return report

    def validate_many(self, uploads: list[tuple[bytes, str, str, int]]) -> list[Report]:
        """Validate several uploads side by side on the pool; reports in the same order."""
        with ThreadPoolExecutor(max_workers=self._pool_settings.workers) as executor:
            return list(executor.map(lambda u: self.validate(*u), uploads))

    def close(self) -> None:
        """Stop the worker processes (and remove their private folders)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
