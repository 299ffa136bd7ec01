"""Every code the engine raises, in one place.

A code is a published contract: software vendors, accountants' tools and the
recipients key on it, so a code is never renamed or given another meaning.
The modules that raise a code import it from here, so a code that is not
listed cannot be raised by mistake (tests/validators/test_codes.py checks that
no module writes one out). docs/CODES.md says what each one means, in Dutch
and English; tests/test_codes.py fails when it lacks one.

The families, and where each is raised:

- IN-*: intake (intake.py, active.py). The upload is refused before any XBRL
  is read; the report's status is `rejected`.
- FR-*: the portal's filing rules. FR-ENTRYPOINT and FR-REFERENCE are the
  reference policy, checked on the parsed document before Arelle opens
  anything (references.py; the worker's guard adds FR-REFERENCE for what it
  refused). The others run on the facts Arelle read, one registered rule
  each (rules/), which is given its code by the registry.
- EDU-*: the taxonomy's own assertions, raised through Arelle with the
  assertion's id. They come with the registered package, not with the code:
  `assertion_codes` reads them from a package.
- ENGINE-*: the engine could not finish (arelle/pool.py); the report's status is `error`.
- ASSURANCE-* and KEY-NONCE: digital assurance (assurance/), raised as AssuranceError.
- DRAFT-*: a draft's facts refused by the online forms (forms/values.py), as FactsInvalid's problems.

Findings may also carry Arelle's own codes (such as
`calc11e:inconsistentCalculationUsingRounding`): those are the XBRL
specifications', not the engine's, and are not listed here.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

# Intake: the upload is refused.
IN_EMPTY = "IN-EMPTY"  # the upload is empty
IN_SIZE = "IN-SIZE"  # too large: bytes, unpacked bytes, one text, or more facts and contexts than a worker can check
IN_TYPE = "IN-TYPE"  # not an XBRL instance, an inline XBRL document or a report package
IN_XML = "IN-XML"  # not well-formed XML, or nested too deep, or a name too long
IN_DTD = "IN-DTD"  # a DOCTYPE or ENTITY declaration
IN_ZIP = "IN-ZIP"  # a broken or unsafe zip, or not exactly one report in it
IN_SCRIPT = "IN-SCRIPT"  # active content in inline XBRL
INTAKE = (IN_EMPTY, IN_SIZE, IN_TYPE, IN_XML, IN_DTD, IN_ZIP, IN_SCRIPT)

# The reference policy, before Arelle.
FR_ENTRYPOINT = "FR-ENTRYPOINT"  # the schemaRef or another DTS reference is not the year's registered taxonomy
FR_REFERENCE = "FR-REFERENCE"  # any other reference that leads outside the document and the taxonomy
REFERENCES = (FR_ENTRYPOINT, FR_REFERENCE)

# The filing rules on the facts Arelle read (rules/filing.py), one registered rule each.
FR_ENTITY = "FR-ENTITY"
FR_PERIOD = "FR-PERIOD"
FR_CURRENCY = "FR-CURRENCY"
FR_DUPLICATE = "FR-DUPLICATE"
FR_MANDATORY = "FR-MANDATORY"
FR_LANG = "FR-LANG"
FILING_RULES = (FR_ENTITY, FR_PERIOD, FR_CURRENCY, FR_DUPLICATE, FR_MANDATORY, FR_LANG)

# The engine could not finish this file.
ENGINE_MEMORY = "ENGINE-MEMORY"
ENGINE_TIMEOUT = "ENGINE-TIMEOUT"
ENGINE_CRASH = "ENGINE-CRASH"
ENGINE = (ENGINE_MEMORY, ENGINE_TIMEOUT, ENGINE_CRASH)
# The same file would fail the same way again: not worth another attempt (a crash may be the machine's).
ENGINE_FINAL = (ENGINE_MEMORY, ENGINE_TIMEOUT)

# Digital assurance: signing, proving and verifying.
ASSURANCE_FORMAT = "ASSURANCE-FORMAT"  # the document, statement or key text is malformed
ASSURANCE_SIGNER = "ASSURANCE-SIGNER"  # no signer named, or another than expected
ASSURANCE_KEY = "ASSURANCE-KEY"  # a key that cannot sign here, or not the trusted one
ASSURANCE_PASSPHRASE = "ASSURANCE-PASSPHRASE"  # a passphrase missing, wrong or not wanted
ASSURANCE_CERTIFICATE = "ASSURANCE-CERTIFICATE"  # a certificate unreadable, not valid then, or not for signing
ASSURANCE_FILING = "ASSURANCE-FILING"  # the XBRL file is not the one signed
ASSURANCE_PDF = "ASSURANCE-PDF"  # the auditor's report PDF is not the one signed
ASSURANCE_OPINION = "ASSURANCE-OPINION"  # the filing's own opinion differs from the signed one
ASSURANCE_SIGNATURE = "ASSURANCE-SIGNATURE"  # the signature does not verify
KEY_NONCE = "KEY-NONCE"  # the code to sign for a proof of possession is malformed
ASSURANCE = (ASSURANCE_FORMAT, ASSURANCE_SIGNER, ASSURANCE_KEY, ASSURANCE_PASSPHRASE, ASSURANCE_CERTIFICATE,
             ASSURANCE_FILING, ASSURANCE_PDF, ASSURANCE_OPINION, ASSURANCE_SIGNATURE, KEY_NONCE)

# A draft's facts (the online forms and the drafts API), one problem per refused fact.
DRAFT_SHAPE = "DRAFT-SHAPE"  # not an object with the keys concept, period, value (dimensions, unit), all text
DRAFT_CONCEPT = "DRAFT-CONCEPT"  # the concept is not in the year's forms
DRAFT_DIMENSIONS = "DRAFT-DIMENSIONS"  # dimensions the concept does not take, or an official's id that is no token
DRAFT_PERIOD = "DRAFT-PERIOD"  # the concept has no field for the period
DRAFT_VALUE = "DRAFT-VALUE"  # the value (or unit) does not fit the concept's type
DRAFT_DUPLICATE = "DRAFT-DUPLICATE"  # two facts for one concept, period and dimensions
DRAFT = (DRAFT_SHAPE, DRAFT_CONCEPT, DRAFT_DIMENSIONS, DRAFT_PERIOD, DRAFT_VALUE, DRAFT_DUPLICATE)

# Every code the engine itself raises (the taxonomy's EDU-* codes: `assertion_codes`).
ENGINE_CODES = INTAKE + REFERENCES + FILING_RULES + ENGINE + ASSURANCE + DRAFT

# The XBRL Formula assertions whose id Arelle reports as the finding's code.
_ASSERTIONS = {f"{{http://xbrl.org/2008/assertion/{kind}}}{kind}Assertion"
               for kind in ("value", "existence", "consistency")}


def assertion_codes(package: Path) -> list[str]:
    """The codes a taxonomy package's assertions raise (EDU-BAL-01 ...): the ids of its formula
    assertions, read from every XML document in the package zip."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    found: set[str] = set()
    with zipfile.ZipFile(package) as zf:
        for name in zf.namelist():
            if name.endswith(".xml"):
                root = etree.fromstring(zf.read(name), parser)
                found.update(e.get("id") or "" for e in root.iter(*_ASSERTIONS))
    return sorted(found - {""})
