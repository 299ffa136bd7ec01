"""One access policy for every service, in the manner of CKAN's `check_access(action, context)`.

Each action a user can take has one named check here; a service runs it first, before it reads
or changes anything else, and the pages and the API get the same answer because they call the
same service. A refusal is NOT-FOUND for anything that belongs to someone (a board, a filing,
a receipt, a key: whether it exists is nobody else's business) and FORBIDDEN for the pages of
another role (DUO, OCW, the inspectorate), which exist for everyone to see.

    check_access("filing.read", db, user, filing=filing)       # raises NOT-FOUND
    allowed("board.manage", db, user, board=board)              # True or False, for a page

No view checks a role; templates ask `allowed` through the view (a flag in the context).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .accountants.models import Authorisation
from .users.models import Role, User
from .boards.models import Board
from .errors import ServiceError, forbidden, not_found
from .filings.models import Filing, Receipt

# The roles that receive submitted versions (and admins, who see everything).
RECIPIENT_ROLES = (Role.DUO, Role.OCW, Role.INSPECTORATE, Role.ADMIN)


def is_member(user: User, board: Board) -> bool:
    """The user is one of the board's own people (board users file for their boards)."""
    return user.role is Role.BOARD and board in user.boards


def is_authorised(db: Session, user: User, board_id: int, year: int) -> bool:
    """The accountant's firm holds the board's (unwithdrawn) authorisation for `year`."""
    return user.role is Role.ACCOUNTANT and user.firm_id is not None and db.scalar(
        select(Authorisation.id).where(Authorisation.board_id == board_id, Authorisation.firm_id == user.firm_id,
                                       Authorisation.year == year, Authorisation.withdrawn_at.is_(None))
        .limit(1)) is not None


def is_submitted(db: Session, filing: Filing) -> bool:
    """The version was submitted (it has a receipt)."""
    return db.scalar(select(Receipt.id).where(Receipt.filing_id == filing.id)) is not None


def sees_filing(db: Session, user: User, filing: Filing) -> bool:
    """Board users see their boards' filings; accountants those of an authorised board and year;
    admins all. DUO, OCW and the inspectorate see submitted versions only: each version that has
    a receipt, the one that counts and those its corrections superseded; a version never
    submitted (a test version never is) does not exist for them, on every page, download and API."""
    if user.role is Role.BOARD:
        return filing.board in user.boards
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.ACCOUNTANT:
        return is_authorised(db, user, filing.board_id, filing.year)
    if user.role in RECIPIENT_ROLES:
        return not filing.is_test and is_submitted(db, filing)
    return False


def _files_for(db: Session, user: User, board: Board, year: int | None = None) -> bool:
    return is_member(user, board) or (year is not None and is_authorised(db, user, board.id, year))


def _role(*roles: Role) -> Callable[..., bool]:
    def check(_db: Session, user: User, **_context: Any) -> bool:
        return user.role in roles or user.role is Role.ADMIN
    return check


# Which role receives each recipient's deliveries (and acknowledges them).
RECIPIENT_ROLE = {"duo": Role.DUO, "ocw": Role.OCW, "inspectorate": Role.INSPECTORATE}


# action -> (the check, the refusal). The checks take the session, the user and the action's context.
POLICY: dict[str, tuple[Callable[..., bool], Callable[[], ServiceError]]] = {
    # A board's year: its versions, the upload form, uploading (members; accountants for an authorised year).
    "board.files": (lambda db, user, board, year=None: _files_for(db, user, board, year), not_found),
    # Authorising firms, documents of the board's own: members only (an accountant cannot authorise itself).
    "board.manage": (lambda _db, user, board: is_member(user, board), not_found),
    # A year's draft (the report filled in online): its members and the accountants authorised for the
    # year open and check it; only the members change it. An accountant who may read it is told why not.
    "draft.read": (lambda db, user, board, year: _files_for(db, user, board, year), not_found),
    "draft.edit": (lambda _db, user, board, year: is_member(user, board),
                   lambda: forbidden("An accountant can open and check the draft, but only the board changes it.")),
    "filing.read": (lambda db, user, filing: sees_filing(db, user, filing), not_found),
    # Recipients may read a filing; only the board files (and submits) it.
    "filing.submit": (lambda db, user, filing: is_member(user, filing.board) and sees_filing(db, user, filing),
                      not_found),
    "receipt.read": (lambda db, user, receipt: sees_filing(db, user, receipt.filing), not_found),
    # Keys and assurance are the accountant's alone.
    "accountant.sign": (lambda _db, user, **_: user.role is Role.ACCOUNTANT, not_found),
    "audit.read": (lambda _db, user, **_: user.role in (Role.ADMIN, Role.BOARD), not_found),
    "duo.pages": (_role(Role.DUO), forbidden),
    # A delivery is acknowledged by its recipient's own staff (and admins).
    "delivery.acknowledge": (lambda _db, user, delivery: user.role in (RECIPIENT_ROLE[delivery.recipient], Role.ADMIN),
                             forbidden),
    "ocw.figures": (_role(Role.OCW), lambda: forbidden("These figures are for OCW.")),
    "inspectorate.signals": (_role(Role.INSPECTORATE), lambda: forbidden("These figures are for the inspectorate.")),
}


def allowed(action: str, db: Session, user: User, **context: Any) -> bool:
    """Whether `user` may take `action` in `context` (for a page that shows or hides a form)."""
    check, _refusal = POLICY[action]
    return bool(check(db, user, **context))


def check_access(action: str, db: Session, user: User, **context: Any) -> None:
    """Refuse `action` unless the policy allows it: NOT-FOUND or FORBIDDEN, as the action says."""
    if not allowed(action, db, user, **context):
        raise POLICY[action][1]()


# The actions whose check depends on the reporting year (an accountant's authorisation is per year).
YEARLY = ("board.files", "draft.read", "draft.edit")


def board_for(db: Session, user: User, number: str, year: int | None = None, action: str = "board.files") -> Board:
    """The board with `number`, if the user may take `action` on it (for `year`); NOT-FOUND otherwise,
    whether or not it exists."""
    board = db.scalar(select(Board).where(Board.number == number))
    if board is None:
        raise not_found()
    if action in YEARLY:
        check_access(action, db, user, board=board, year=year)
    else:
        check_access(action, db, user, board=board)
    return board
