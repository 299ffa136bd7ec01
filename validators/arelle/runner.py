"""One Arelle run per call, inside a worker process (Arelle is not thread-safe).

`run()` validates one instance file offline against the registered packages
and returns plain data (picklable, no Arelle objects): findings from Arelle's
messages, mapped onto the facts they are about; every fact of the filing; the
concepts' labels and which are mandatory. Filing rules and signals are
computed from that data by the caller.

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

from .messages import plain, split_assertion_message

LEVELS = {"error": "error", "critical": "error", "warning": "warning", "inconsistency": "inconsistency"}
FILING_RULES_NS = "https://xbrl.onderwijs.example/filing-rules"
_cache_dir: str | None = None


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


def use_cache_dir(path: str) -> None:
    """Arelle's web cache for this process: an empty folder that the caller owns and removes
    (a worker's private folder). Without it, the first run makes one in the temp folder."""
    global _cache_dir
    _cache_dir = path


def _options(path: str, packages: list[str], formula_timeout: float) -> Any:
    from arelle.RuntimeOptions import RuntimeOptions

    global _cache_dir
    if _cache_dir is None:  # an empty, private web cache: nothing is ever fetched into it
        _cache_dir = tempfile.mkdtemp(prefix="edu-arelle-cache-")
        atexit.register(shutil.rmtree, _cache_dir, True)  # made here, removed here (pool workers get theirs)
    return RuntimeOptions(
        entrypointFile=path, packages=packages, internetConnectivity="offline", cacheDirectory=_cache_dir,
        validate=True, calcs="c11r", formulaAction="run", baseTaxonomyValidationMode="none",
        formulaVarSetTimeout=formula_timeout, formulaReportTimeout=formula_timeout,
        logFile="logToBuffer", logPropagate=False, disablePersistentConfig=True, keepOpen=True, pluginOptions={},
    )


def _period(context: Any) -> str | None:
    if context is None or context.period is None:
        return None
    parts = {child.localName: (child.text or "").strip() for child in context.period.iterchildren()
             if isinstance(child.tag, str)}
    if "instant" in parts:
        return parts["instant"]
    if "startDate" in parts:
        return f"{parts['startDate']}/{parts.get('endDate', '')}"
    return "forever"


def _dimensions(context: Any) -> dict[str, str]:
    result = {}
    for dim_qname, value in (context.qnameDims.items() if context is not None else ()):
        if value.isExplicit:
            result[str(dim_qname)] = str(value.memberQname)
        else:
            result[str(dim_qname)] = (value.typedMember.stringValue if value.typedMember is not None else "").strip()
    return result


def _lang(fact: Any) -> str | None:
    # Arelle looks only at an inline fact's own element and its parent; xml:lang
    # is inherited from any ancestor (usually <html xml:lang="nl">).
    from arelle import XmlUtil

    return fact.xmlLang or XmlUtil.ancestorOrSelfAttr(fact, "{http://www.w3.org/XML/1998/namespace}lang")


# Labels and flags of concepts, per process and set of packages: they change only
# with the packages, and Arelle's label lookup is the costliest part of reading facts.
_concept_caches: dict[tuple[str, ...], dict[tuple[str, str], dict[str, Any]]] = {}
_concepts: dict[tuple[str, str], dict[str, Any]] = {}


def _concept_info(concept: Any, qname: Any) -> dict[str, Any]:
    key = (qname.namespaceURI, qname.localName)
    info = _concepts.get(key)
    if info is None:
        if concept is None:
            return {"nl": str(qname), "en": str(qname), "monetary": False, "text": False, "required": None}
        info = {"nl": concept.label(lang="nl", fallbackToQname=True), "en": concept.label(lang="en", fallbackToQname=True),
                "monetary": bool(concept.isMonetary), "text": concept.baseXbrliType == "stringItemType",
                "required": concept.get(f"{{{FILING_RULES_NS}}}required"), "statement": _statement(concept)}
        _concepts[key] = info
    return info


def _context_info(context: Any, cache: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Period, dimensions and entity of a context, worked out once per context."""
    info = cache.get(id(context))
    if info is None:
        info = {"period": _period(context),
                "period_type": "instant" if context is not None and context.isInstantPeriod else "duration",
                "dimensions": _dimensions(context),
                "entity": [context.entityIdentifier[0], context.entityIdentifier[1]] if context is not None else None}
        cache[id(context)] = info
    return info


def _statement(concept: Any) -> str | None:
    """The definition of the first presentation role (in role order) that shows the concept."""
    from arelle import XbrlConst

    model = concept.modelXbrl
    roles = sorted({rel.linkrole for rel in model.relationshipSet(XbrlConst.parentChild).toModelObject(concept)})
    for role in roles:
        types = model.roleTypes.get(role)
        if types:
            return types[0].definition or role
    return roles[0] if roles else None


def _fact(fact: Any, contexts: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    unit = fact.unit
    qname = fact.qname
    info = _concept_info(fact.concept, qname)
    ctx = _context_info(fact.context, {} if contexts is None else contexts)
    return {
        "concept": str(qname), "local": qname.localName, "namespace": qname.namespaceURI,
        "label": info["nl"], "label_en": info["en"], "monetary": info["monetary"], "text": info["text"],
        "context": fact.contextID, "period": ctx["period"], "period_type": ctx["period_type"],
        "dimensions": dict(ctx["dimensions"]), "entity": ctx["entity"],
        "unit": " ".join(str(m) for m in unit.measures[0]) if unit is not None else None,
        "unit_id": fact.unitID, "decimals": fact.decimals, "value": None if fact.isNil else fact.value,
        "lang": _lang(fact) if info["text"] else fact.xmlLang, "numeric": bool(fact.isNumeric),
        "line": fact.sourceline,
    }


def _sequence_concepts(var_set: Any) -> set[Any]:
    """Concepts an assertion binds as whole sequences: context for its message, not its subject."""
    from arelle import XbrlConst
    from arelle.ModelFormulaObject import ModelConceptName, ModelFactVariable

    result: set[Any] = set()
    for rel in var_set.modelXbrl.relationshipSet(XbrlConst.variableSet).fromModelObject(var_set):
        var = rel.toModelObject
        if isinstance(var, ModelFactVariable) and var.bindAsSequence == "true":
            for filter_rel in var.filterRelationships:
                if isinstance(filter_rel.toModelObject, ModelConceptName):
                    result |= set(filter_rel.toModelObject.conceptQnames)
    return result


def _is_variable_set(obj: Any) -> bool:
    from arelle.ModelFormulaObject import ModelVariableSet

    return isinstance(obj, ModelVariableSet)


def _finding(entry: dict[str, Any], model: Any, display_name: str) -> dict[str, Any]:
    code = entry["code"]
    text = entry["message"]["text"]
    args = entry["message"].get("args", {})
    facts = []
    line = None
    skip: set[Any] = set()
    for ref in entry.get("refs", []):
        obj = model.modelObject(ref["objectId"]) if ref.get("objectId") and model is not None else None
        if obj is not None and getattr(obj, "isItem", False):
            if obj.qname not in skip:
                facts.append(obj)
        elif obj is not None and code.startswith("message:") and _is_variable_set(obj):
            skip = _sequence_concepts(obj)
        elif line is None and ref.get("sourceLine") and not ref.get("href", "").startswith("http"):
            line = ref["sourceLine"]
    first = _fact(facts[0]) if facts else None
    if code.startswith("message:"):
        code = code[len("message:"):]
        message = split_assertion_message(args.get("formulaMessage", text))
    else:
        technical = text.split("] ", 1)[1] if text.startswith("[") else text
        technical = technical.rsplit(" - ", 1)[0] if " - " in technical else technical
        message = plain(code, technical, args, first["value"] if first else None,
                        (first["label"], first["label_en"]) if first else None)
    return {
        "code": code, "severity": LEVELS[entry["level"]], "message": message,
        "concept": first["concept"] if first else None, "label": first["label"] if first else None,
        "context": first["context"] if first else None, "period": first["period"] if first else None,
        "dimensions": first["dimensions"] if first else {}, "values": [f.value for f in facts if not f.isNil],
        "file": display_name, "line": first["line"] if first else line,
    }


# Warm taxonomy models of this process (see warm_dts.py), under the controller
# configured for one set of packages and formula time limit.
_warm_key: tuple[Any, ...] | None = None
_warm_session: Any = None
_warm: dict[str, Any] = {}


def _warm_dts(entry_point: str, packages: list[str], formula_timeout: float) -> Any:
    """The warm model for `entry_point`, made on first use (None when it cannot be made)."""
    from arelle.api.Session import Session

    from .warm_dts import WarmDts, WarmDtsError

    global _warm_key, _warm_session
    key = (tuple(packages), formula_timeout)
    if key != _warm_key:
        drop_warm()
        session = Session()
        # Configures the controller exactly as a fresh run does (packages, calculations,
        # formula options); the entry point itself is what it loads and validates.
        session.run(_options(entry_point, packages, formula_timeout))
        for model in list(session.get_models()):
            model.close()
        session.get_models().clear()
        _warm_session, _warm_key = session, key
    warm = _warm.get(entry_point)
    if warm is None:
        try:
            warm = _warm[entry_point] = WarmDts(_warm_session._cntlr, entry_point)
        except WarmDtsError:
            return None
    return warm


def drop_warm() -> None:
    """Forget every warm model (after a failure, or when the packages change)."""
    global _warm_key, _warm_session
    for warm in _warm.values():
        warm.close()
    _warm.clear()
    if _warm_session is not None:
        _warm_session.close()
    _warm_session, _warm_key = None, None


def warm_up(target: str, packages: list[str], formula_timeout: float) -> None:
    """Prepare this process: an entry point URL gets its warm model and one empty
    filing through it (compiling the formulas); a file is simply validated."""
    if "://" not in target:
        run(target, "warmup", packages, formula_timeout)
        return
    workdir = tempfile.mkdtemp(prefix="edu-warmup-")
    path = os.path.join(workdir, "warmup.xbrl")
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write('<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" '
                    'xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
                    f'<link:schemaRef xlink:type="simple" xlink:href="{escape(target, quote=True)}"/></xbrli:xbrl>')
        run(path, "warmup", packages, formula_timeout, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _extract(model: Any, log: list[dict[str, Any]], display_name: str, arelle_ms: float,
             started: float) -> dict[str, Any]:
    findings = [_finding(e, model, display_name) for e in log if e.get("level") in LEVELS]
    facts, labels, required, namespaces = [], {}, {}, set()
    loaded = model is not None and model.modelDocument is not None
    if loaded:
        contexts: dict[int, dict[str, Any]] = {}
        facts = [_fact(f, contexts) for f in model.facts if f.isItem]
        for concept in model.qnameConcepts.values():
            if concept.get(f"{{{FILING_RULES_NS}}}required") is not None:
                info = _concept_info(concept, concept.qname)
                name = str(concept.qname)
                labels[name] = {"nl": info["nl"], "en": info["en"], "statement": info["statement"]}
                required[name] = info["required"]
                namespaces.add(concept.qname.namespaceURI)
    return {"findings": findings, "facts": facts, "labels": labels, "required": required,
            "namespaces": sorted(namespaces), "loaded": loaded,
            "timings": {"arelle_ms": arelle_ms, "extract_ms": (time.perf_counter() - started) * 1000 - arelle_ms},
            "pid": os.getpid()}


def save_oim(model: Any, directory: str) -> None:
    """The loaded filing as xBRL-JSON (`filing.json`) and xBRL-CSV (`csv/filing-metadata.json`
    with its tables) in `directory`: Arelle's saveLoadableOIM, so OIM-aware tools load them as
    they would the XML."""
    from arelle.plugin.saveLoadableOIM import saveLoadableOIM

    saveLoadableOIM(model, os.path.join(directory, "filing.json"))
    os.mkdir(os.path.join(directory, "csv"))
    saveLoadableOIM(model, os.path.join(directory, "csv", "filing.csv"))  # writes filing-*.csv beside the metadata


def run(path: str, display_name: str, packages: list[str], formula_timeout: float = 30.0,
        entry_point: str | None = None, export_dir: str | None = None) -> dict[str, Any]:
    """Validate one instance file; returns findings, facts, labels, mandatory concepts and timings.

    With `entry_point` (the one the file's schemaRef was checked to name), the
    taxonomy is this process's warm model of it; without, or with
    VALIDATORS_WARM_DTS=0, a fresh Arelle session reads everything again.
    With `export_dir`, a filing that loaded is also saved there as OIM (`save_oim`).
    """
    global _concepts
    install_xpath_cache()
    _concepts = _concept_caches.setdefault(tuple(packages), {})
    started = time.perf_counter()
    warm = None
    if entry_point and os.environ.get("VALIDATORS_WARM_DTS") != "0":
        warm = _warm_dts(entry_point, packages, formula_timeout)
    if warm is not None:
        try:
            model, log = warm.validate(path)
            result = _extract(model, log, display_name, (time.perf_counter() - started) * 1000, started)
            if export_dir and result["loaded"]:
                save_oim(model, export_dir)
        except Exception:
            drop_warm()  # never reuse a model that Arelle left half-way; this file goes the fresh way
        else:
            warm.release()
            result["timings"]["warm"] = True
            return result
    if export_dir:  # a warm attempt may have written part of it
        shutil.rmtree(export_dir, ignore_errors=True)
        os.mkdir(export_dir)
    return _run_fresh(path, display_name, packages, formula_timeout, time.perf_counter(), export_dir)


def _run_fresh(path: str, display_name: str, packages: list[str], formula_timeout: float,
               started: float, export_dir: str | None = None) -> dict[str, Any]:
    from arelle.api.Session import Session

    with Session() as session:  # a new Session per file: a reused one fails on its second run (ARELLE.md)
        session.run(_options(path, packages, formula_timeout))
        models = session.get_models()
        model = models[0] if models else None
        log = json.loads(session.get_logs("json"))["log"]
        result = _extract(model, log, display_name, (time.perf_counter() - started) * 1000, started)
        if export_dir and result["loaded"]:
            save_oim(model, export_dir)
        for m in models:
            m.close()
    return result
