"""What a loaded Arelle model holds, as plain data: findings, facts, labels, mandatory concepts.

Runs inside a worker process (Arelle's objects never leave it). The result is
the worker's answer: plain dicts, lists, strings and numbers only, because the
pool unpickles it with every class refused. The engine's side of the boundary
turns it into typed results (results.py).
"""

from __future__ import annotations

import os
import time
from typing import Any

from .messages import plain, split_assertion_message

LEVELS = {"error": "error", "critical": "error", "warning": "warning", "inconsistency": "inconsistency"}
FILING_RULES_NS = "https://xbrl.onderwijs.example/filing-rules"

# A concept's labels and flags, keyed by (namespace, local name).
ConceptCache = dict[tuple[str, str], dict[str, Any]]


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
    """The definition of the first presentation role that shows the concept, in the order of the
    roles' definitions ("300 - ..." before "500 - ..."): a concept a later statement shows again
    (the continuity section's budget Income) stays in the statement it belongs to."""
    from arelle import XbrlConst

    model = concept.modelXbrl
    roles = {rel.linkrole for rel in model.relationshipSet(XbrlConst.parentChild).toModelObject(concept)}
    defined = sorted((_role_order(types[0].definition or role), types[0].definition or role, role)
                     for role in roles if (types := model.roleTypes.get(role)))
    if defined:
        return defined[0][1]
    return min(roles) if roles else None


def _role_order(definition: str) -> float:
    """The number a role's definition starts with ("200 - Balans ..." -> 200), unnumbered ones last."""
    digits = definition[:len(definition) - len(definition.lstrip("0123456789"))]
    return int(digits) if digits else float("inf")


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


class Extractor:
    """Reads loaded models into plain data, with the concept cache of one set of packages.

    Labels and flags of concepts change only with the packages, and Arelle's
    label lookup is the costliest part of reading facts: the cache is kept by
    the worker's runner across filings (one per set of packages).
    """

    def __init__(self, concepts: ConceptCache) -> None:
        self._concepts = concepts

    def concept_info(self, concept: Any, qname: Any) -> dict[str, Any]:
        """A concept's Dutch and English label, its flags, mandatory flag and statement."""
        key = (qname.namespaceURI, qname.localName)
        info = self._concepts.get(key)
        if info is None:
            if concept is None:
                return {"nl": str(qname), "en": str(qname), "monetary": False, "text": False, "required": None}
            info = {"nl": concept.label(lang="nl", fallbackToQname=True),
                    "en": concept.label(lang="en", fallbackToQname=True),
                    "monetary": bool(concept.isMonetary), "text": concept.baseXbrliType == "stringItemType",
                    "required": concept.get(f"{{{FILING_RULES_NS}}}required"), "statement": _statement(concept)}
            self._concepts[key] = info
        return info

    def fact(self, fact: Any, contexts: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """One fact as the rules, the signals and the portal's fact store read it."""
        unit = fact.unit
        qname = fact.qname
        info = self.concept_info(fact.concept, qname)
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

    def finding(self, entry: dict[str, Any], model: Any, display_name: str) -> dict[str, Any]:
        """One of Arelle's log entries as a finding, pointing at the first fact it is about."""
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
        first = self.fact(facts[0]) if facts else None
        if code.startswith("message:"):
            code = code[len("message:"):]
            message = split_assertion_message(args.get("formulaMessage", text),
                                              [f.value for f in facts if not f.isNil])
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

    def result(self, model: Any, log: list[dict[str, Any]], display_name: str, arelle_ms: float,
               started: float) -> dict[str, Any]:
        """The whole answer for one filing: findings, facts, labels and mandatory flags, timings."""
        findings = [self.finding(e, model, display_name) for e in log if e.get("level") in LEVELS]
        facts, labels, required, namespaces = [], {}, {}, set()
        loaded = model is not None and model.modelDocument is not None
        if loaded:
            contexts: dict[int, dict[str, Any]] = {}
            facts = [self.fact(f, contexts) for f in model.facts if f.isItem]
            for concept in model.qnameConcepts.values():
                if concept.get(f"{{{FILING_RULES_NS}}}required") is not None:
                    info = self.concept_info(concept, concept.qname)
                    name = str(concept.qname)
                    labels[name] = {"nl": info["nl"], "en": info["en"], "statement": info["statement"]}
                    required[name] = info["required"]
                    namespaces.add(concept.qname.namespaceURI)
        return {"findings": findings, "facts": facts, "labels": labels, "required": required,
                "namespaces": sorted(namespaces), "loaded": loaded,
                "timings": {"arelle_ms": arelle_ms, "extract_ms": (time.perf_counter() - started) * 1000 - arelle_ms},
                "pid": os.getpid()}
