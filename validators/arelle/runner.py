"""One Arelle run per call, inside a worker process (Arelle is not thread-safe).

`ArelleRunner.run()` validates one instance file offline against the
registered packages and returns plain data (picklable, no Arelle objects; see
extract.py): findings from Arelle's messages, mapped onto the facts they are
about; every fact of the filing; the concepts' labels and which are
mandatory. Filing rules and signals are computed from that data by the engine.

What a worker keeps from one filing to the next is one `ArelleRunner`: its
web cache folder, the concept labels per set of packages, and the warm
taxonomy models (warm_dts.py) with the session they were loaded under.

Speed: a fresh Arelle Session per file re-reads the unchanged taxonomy every
time; the largest part of that was re-parsing the formula linkbase's XPath
with pyparsing. `install_xpath_cache()` keeps parsed expressions per process
(see its docstring); the trusted taxonomy itself is not re-validated.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import time
from html import escape
from typing import Any

from .extract import ConceptCache, Extractor
from .viewer import build as build_viewer
from .warm_dts import WarmDts, WarmDtsError


def install_xpath_cache() -> None:
    """Parse each formula XPath expression once per process instead of once per filing.

    Arelle's parse result is a ProgHeader bound to the expression's element in
    this model, followed by tokens that depend only on the expression text and
    the element's namespace bindings. The tokens are cached under exactly that
    key; every model gets its own fresh ProgHeader. Expressions from a model
    that logged any error are never cached. Measured: 284 ms -> 139 ms per
    300-fact filing. tests/validators/test_worker.py checks that results with
    and without the cache are identical.
    """
    from arelle.formula import XPathParser

    if getattr(XPathParser.parse, "_edu_cached", False) or os.environ.get("VALIDATORS_XPATH_CACHE") == "0":
        return
    original = XPathParser.parse
    cache: dict[tuple[Any, ...], list[Any]] = {}

    def parse(model_object: Any, expression: str | None, element: Any, name: str, trace_type: int) -> Any:
        if not expression or element is None:
            return original(model_object, expression, element, name, trace_type)
        key = (expression, name, trace_type, tuple(sorted((k or "", v) for k, v in element.nsmap.items())))
        tokens = cache.get(key)
        if tokens is None:
            errors_before = len(model_object.modelXbrl.errors)
            program = original(model_object, expression, element, name, trace_type)
            if program and len(model_object.modelXbrl.errors) == errors_before:
                cache[key] = program[1:]
            return program
        header = XPathParser.ProgHeader(model_object, name, element, XPathParser.normalizeExpr(expression), trace_type)
        return [header, *tokens]

    parse._edu_cached = True  # type: ignore[attr-defined]
    XPathParser.parse = parse


class ArelleRunner:
    """What one worker process keeps between filings, and the runs that use it.

    `cache_dir` is Arelle's web cache: an empty folder that the caller owns and
    removes (a worker's private folder). Without it, the first run makes one in
    the temp folder, removed when the process exits.
    """

    def __init__(self, cache_dir: str | None = None) -> None:
        self._cache_dir = cache_dir
        # Labels and flags of concepts per set of packages (see Extractor).
        self._concept_caches: dict[tuple[str, ...], ConceptCache] = {}
        # The warm models (one per entry point), under the controller configured for one
        # set of packages and formula time limit: the key they were made for.
        self._warm_key: tuple[Any, ...] | None = None
        self._warm_session: Any = None
        self.warm: dict[str, WarmDts] = {}

    def _options(self, path: str, packages: list[str], formula_timeout: float) -> Any:
        from arelle.RuntimeOptions import RuntimeOptions

        if self._cache_dir is None:  # an empty, private web cache: nothing is ever fetched into it
            self._cache_dir = tempfile.mkdtemp(prefix="edu-arelle-cache-")
            atexit.register(shutil.rmtree, self._cache_dir, True)  # made here, removed here (pool workers get theirs)
        return RuntimeOptions(
            entrypointFile=path, packages=packages, internetConnectivity="offline", cacheDirectory=self._cache_dir,
            validate=True, calcs="c11r", formulaAction="run", baseTaxonomyValidationMode="none",
            formulaVarSetTimeout=formula_timeout, formulaReportTimeout=formula_timeout,
            logFile="logToBuffer", logPropagate=False, disablePersistentConfig=True, keepOpen=True,
            pluginOptions={},
        )

    def _warm_dts(self, entry_point: str, packages: list[str], formula_timeout: float) -> WarmDts | None:
        """The warm model for `entry_point`, made on first use (None when it cannot be made)."""
        from arelle.api.Session import Session

        key = (tuple(packages), formula_timeout)
        if key != self._warm_key:
            self.drop_warm()
            session = Session()
            # Configures the controller exactly as a fresh run does (packages, calculations,
            # formula options); the entry point itself is what it loads and validates.
            session.run(self._options(entry_point, packages, formula_timeout))
            for model in list(session.get_models()):
                model.close()
            session.get_models().clear()
            self._warm_session, self._warm_key = session, key
        warm = self.warm.get(entry_point)
        if warm is None:
            try:
                warm = self.warm[entry_point] = WarmDts(self._warm_session._cntlr, entry_point)
            except WarmDtsError:
                return None
        return warm

    def drop_warm(self) -> None:
        """Forget every warm model (after a failure, or when the packages change)."""
        for warm in self.warm.values():
            warm.close()
        self.warm.clear()
        if self._warm_session is not None:
            self._warm_session.close()
        self._warm_session, self._warm_key = None, None

    def warm_up(self, target: str, packages: list[str], formula_timeout: float) -> None:
        """Prepare this process: an entry point URL gets its warm model and one empty
        filing through it (compiling the formulas); a file is simply validated."""
        if "://" not in target:
            self.run(target, "warmup", packages, formula_timeout)
            return
        workdir = tempfile.mkdtemp(prefix="edu-warmup-")
        path = os.path.join(workdir, "warmup.xbrl")
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write('<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" '
                        'xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
                        f'<link:schemaRef xlink:type="simple" xlink:href="{escape(target, quote=True)}"/></xbrli:xbrl>')
            self.run(path, "warmup", packages, formula_timeout, target)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def run(self, path: str, display_name: str, packages: list[str], formula_timeout: float = 30.0,
            entry_point: str | None = None, export_dir: str | None = None,
            viewer_script: str | None = None) -> dict[str, Any]:
        """Validate one instance file; returns findings, facts, labels, mandatory concepts and timings.

        With `entry_point` (the one the file's schemaRef was checked to name), the
        taxonomy is this process's warm model of it; without, or with
        VALIDATORS_WARM_DTS=0, a fresh Arelle session reads everything again.
        With `export_dir`, a filing that loaded is also saved there as OIM (`save_oim`).
        With `viewer_script`, an inline filing that loaded is also prepared for the ixbrl-viewer
        loading its script from that URL (`with_viewer`).
        """
        install_xpath_cache()
        extractor = Extractor(self._concept_caches.setdefault(tuple(packages), {}))
        started = time.perf_counter()
        warm = None
        if entry_point and os.environ.get("VALIDATORS_WARM_DTS") != "0":
            warm = self._warm_dts(entry_point, packages, formula_timeout)
        if warm is not None:
            try:
                model, log = warm.validate(path)
                result = extractor.result(model, log, display_name, (time.perf_counter() - started) * 1000, started)
                if export_dir and result["loaded"]:
                    save_oim(model, export_dir)
                with_viewer(result, warm.cntlr, model, viewer_script)
            except Exception:
                self.drop_warm()  # never reuse a model that Arelle left half-way; this file goes the fresh way
            else:
                warm.release()
                result["timings"]["warm"] = True
                return result
        if export_dir:  # a warm attempt may have written part of it
            shutil.rmtree(export_dir, ignore_errors=True)
            os.mkdir(export_dir)
        return self._run_fresh(path, display_name, packages, formula_timeout, extractor, export_dir, viewer_script)

    def _run_fresh(self, path: str, display_name: str, packages: list[str], formula_timeout: float,
                   extractor: Extractor, export_dir: str | None = None,
                   viewer_script: str | None = None) -> dict[str, Any]:
        from arelle.api.Session import Session

        started = time.perf_counter()
        # A new Session per file: a reused Session given packages fails on its second run (KeyError: 'packages').
        with Session() as session:
            session.run(self._options(path, packages, formula_timeout))
            models = session.get_models()
            model = models[0] if models else None
            log = json.loads(session.get_logs("json"))["log"]
            result = extractor.result(model, log, display_name, (time.perf_counter() - started) * 1000, started)
            if export_dir and result["loaded"]:
                save_oim(model, export_dir)
            with_viewer(result, session._cntlr, model, viewer_script)
            for m in models:
                m.close()
        return result


def with_viewer(result: dict[str, Any], cntlr: Any, model: Any, script: str | None) -> None:
    """Add the viewer's document of a loaded inline filing to `result` ("viewer": bytes or None, and
    "viewer_error" when building it failed), with its cost in the timings. Last of all: the builder
    changes the model (see viewer.py). Never raises, so the verdict is the same with or without it."""
    if not script or not result["loaded"]:
        return
    started = time.perf_counter()
    result["viewer"], result["viewer_error"] = build_viewer(cntlr, model, script)
    result["timings"]["viewer_ms"] = (time.perf_counter() - started) * 1000


def save_oim(model: Any, directory: str) -> None:
    """The loaded filing as xBRL-JSON (`filing.json`) and xBRL-CSV (`csv/filing-metadata.json`
    with its tables) in `directory`: Arelle's saveLoadableOIM, so OIM-aware tools load them as
    they would the XML."""
    from arelle.plugin.saveLoadableOIM import saveLoadableOIM

    saveLoadableOIM(model, os.path.join(directory, "filing.json"))
    os.mkdir(os.path.join(directory, "csv"))
    saveLoadableOIM(model, os.path.join(directory, "csv", "filing.csv"))  # writes filing-*.csv beside the metadata
