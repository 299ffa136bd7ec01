"""Every model, imported in one place so metadata (and Alembic) sees them all."""

from .users.models import ApiToken, Firm, LoginAttempt, Membership, Role, User
from .boards.models import Board
from .db import Base

__all__ = ["Base", "User", "Role", "Firm", "Membership", "LoginAttempt", "ApiToken", "Board"]
from .filings.models import Filing  # noqa: E402

__all__ += ["Filing"]
from .audit.models import AuditEvent  # noqa: E402
from .filings.models import Receipt  # noqa: E402
from .outbox.models import Email  # noqa: E402

__all__ += ["AuditEvent", "Receipt", "Email"]
from .api.models import IdempotencyKey  # noqa: E402

__all__ += ["IdempotencyKey"]
from .submissions.models import Delivery  # noqa: E402

__all__ += ["Delivery"]
from .figures.models import StoredFact  # noqa: E402

__all__ += ["StoredFact"]
from .inspectorate.models import SignalValue  # noqa: E402

__all__ += ["SignalValue"]
from .filings.models import FilingDocument, FilingFacts  # noqa: E402
from .accountants.models import AccountantKey, Assurance, Authorisation, KeyChallenge  # noqa: E402

__all__ += ["FilingDocument", "FilingFacts", "Authorisation", "AccountantKey", "Assurance", "KeyChallenge"]
from .filings.models import FilingCounter  # noqa: E402
from .jobs.models import JobLock  # noqa: E402

__all__ += ["FilingCounter", "JobLock"]
from .storage.models import StoredChunk, StoredFile  # noqa: E402  (PORTAL_FILE_STORE=database)

__all__ += ["StoredFile", "StoredChunk"]
from .duo.models import CorrectionRequest  # noqa: E402

__all__ += ["CorrectionRequest"]
from .drafts.models import Draft  # noqa: E402

__all__ += ["Draft"]
