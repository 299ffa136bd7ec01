"""Digital assurance: an accountant's signature over exactly the figures audited.

The package is one interface, `validators.assurance`; its modules keep it small:

- `statement.py`: what is signed (`Statement`, `Signer`) and the error every refusal raises;
- `keys.py`: which keys and certificates may sign, reading them, fingerprints;
- `document.py`: the signed assurance document: `sign`, `parse_document`, `verify`;
- `proof.py`: proof that the holder of a key holds its private half (`prove_possession`);
- `opinion.py`: the opinion a filing itself reports (`audit_opinion_of`);
- `cli.py`: keygen, prove-key, sign-assurance and verify-assurance on the command line.

No Flask here: the portal imports this package, as `from validators import assurance`.
"""

from __future__ import annotations

from .document import (DOCUMENT_KEYS, MAX_DOCUMENT_BYTES, MAX_PEM_CHARS, MAX_SIGNATURE_CHARS, Problem,
                       Verification, parse_document, sign, verify)
from .keys import (ALGORITHMS, PublicKey, algorithm_of, certificate_problem, fingerprint, generate_key,
                   key_fingerprint, load_document_key, load_private_key, load_signing_certificate, sign_bytes,
                   signature_holds, signer_of)
from .opinion import audit_opinion_of
from .proof import possession_proven, prove_possession
from .statement import (LEGACY_TYPE, OPINIONS, STATEMENT_TYPE, STATEMENT_TYPES, AssuranceError, Signer, Statement,
                        printable)

__all__ = ["OPINIONS", "STATEMENT_TYPE", "LEGACY_TYPE", "STATEMENT_TYPES", "ALGORITHMS", "DOCUMENT_KEYS",
           "MAX_DOCUMENT_BYTES", "MAX_PEM_CHARS", "MAX_SIGNATURE_CHARS", "Problem", "PublicKey", "Statement",
           "Signer", "AssuranceError", "Verification", "generate_key", "fingerprint", "key_fingerprint", "sign",
           "sign_bytes", "signature_holds", "verify", "audit_opinion_of", "algorithm_of", "certificate_problem",
           "load_document_key", "load_private_key", "load_signing_certificate", "signer_of", "parse_document",
           "printable", "prove_possession", "possession_proven"]
