"""The taxonomy parsed once per worker process; each filing is swapped in and out.

Arelle builds a new model per instance and discovers the whole DTS again for
it: about 2,700 taxonomy elements parsed, typed and indexed per filing, the
same every time. Its own design allows a loaded model to be validated again
(the desktop app re-validates an open model), so a worker here keeps one
model per entry point holding only the taxonomy, and per filing:

1. restores the model's top-level state to the snapshot taken right after the
   taxonomy was loaded (two levels deep: dicts of lists such as `baseSets`),
   with a fresh error manager and the documents' `inDTS` flags as they were;
2. loads the instance into it: its schemaRef finds the entry point already in
   `urlDocs`, so only the instance itself is parsed;
3. validates exactly as `arelleCmdLine --validate --formula run` does
   (CntlrCmdLine.run: Validate.validate with formulas held back, then
   ValidateFormula with fresh parameters).

The instance's documents, facts, contexts, units, relationship-set caches and
fact indexes exist only in the containers that step 1 replaces, so nothing of
one filing survives into the next. tests/validators/test_warm_dts.py proves
the findings and facts equal those of a fresh Arelle session for every sample,
in mixed order, and a model that raised is discarded, never reused.
"""

from __future__ import annotations

import copy
import json
from typing import Any

_CONTAINERS = (dict, list, set)


def _copy2(value: Any) -> Any:
    """A copy of a container and of the containers directly inside it (dict of lists)."""
    if isinstance(value, dict):
        result = copy.copy(value)  # keeps defaultdict's factory
        for key, inner in result.items():
            if isinstance(inner, _CONTAINERS):
                result[key] = copy.copy(inner)
        return result
    if isinstance(value, (list, set)):
        return copy.copy(value)
    return value


class WarmDtsError(Exception):
    """The taxonomy could not be loaded cleanly: the caller validates the fresh way instead."""


class WarmDts:
    """One entry point's taxonomy, loaded once into a model that filings pass through."""

    def __init__(self, cntlr: Any, entry_point: str) -> None:
        self.cntlr = cntlr
        self.entry_point = entry_point
        self.model = cntlr.modelManager.load(entry_point)
        if self.model.modelDocument is None or self.model.errors:
            errors = list(self.model.errors)
            self.model.close()
            raise WarmDtsError(f"taxonomy {entry_point} did not load cleanly: {errors[:5]}")
        self._snapshot = {key: _copy2(value) for key, value in self.model.__dict__.items()}
        self._in_dts = {doc: doc.inDTS for doc in self.model.urlDocs.values()}
        cntlr.logHandler.clearLogBuffer()  # the load's own info messages are not a filing's

    def _restore(self) -> None:
        from arelle.ErrorManager import ErrorManager

        model = self.model
        file_source = model.__dict__.get("fileSource")
        if file_source is not None and file_source is not self._snapshot.get("fileSource"):
            file_source.close()
        model.__dict__.clear()
        model.__dict__.update({key: _copy2(value) for key, value in self._snapshot.items()})
        model.errorManager = ErrorManager(model.modelManager, model.errorCaptureLevel)
        for doc, in_dts in self._in_dts.items():
            doc.inDTS = in_dts

    def validate(self, path: str) -> tuple[Any, list[dict[str, Any]]]:
        """Load the instance at `path` into the warm model and validate it.

        Returns the model (holding this filing until `release()`) and Arelle's
        log entries. Raises whatever Arelle raises; the caller then discards
        this object.
        """
        from arelle import FileSource, ModelDocument, ModelXbrl, Validate
        from arelle.formula import ValidateFormula

        self._restore()
        model, cntlr = self.model, self.cntlr
        handler = cntlr.logHandler
        if handler not in cntlr.logger.handlers:  # another Session's close may have detached it
            cntlr.logger.addHandler(handler)
        handler.clearLogBuffer()
        model.fileSource = FileSource.openFileSource(path, cntlr)
        model.closeFileSource = True
        document = ModelDocument.load(model, path, isEntry=True)
        model.modelDocument = document
        if document is not None:
            model.__dict__.pop("entryLoadingUrl", None)
            ModelXbrl.loadSchemalocatedSchemas(model)
            # As CntlrCmdLine.run with --formula run: formulas held back during
            # validation, then run with fresh parameters.
            has_formulae = model.hasFormulae
            model.hasFormulae = False
            Validate.validate(model)
            model.hasFormulae = has_formulae
            model.parameters = model.modelManager.formulaOptions.typedParameters(model.prefixedNamespaces)
            ValidateFormula.validate(model, compileOnly=False)
        log = json.loads(handler.getJson(clearLogBuffer=True))["log"]
        return model, log

    def release(self) -> None:
        """Drop the filing from the model (its objects go with the garbage)."""
        self._restore()

    def close(self) -> None:
        """Close the model and everything it loaded."""
        try:
            self.model.close()
        except Exception:  # a broken model is being thrown away anyway
            pass
