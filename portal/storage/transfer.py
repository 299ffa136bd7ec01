"""Moving to the database store: copy every file of a folder store into the database, each
checked against its sha256 first. Safe to run again (and while the portal runs): a file the
database holds already is not written again, only checked; a damaged file is reported and
left where it is, never copied."""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import FileDamaged, StorageError
from .database import DatabaseStore
from .folder import FolderStore


@dataclass
class Transfer:
    """What a copy found, file by file (sha256s, or paths for what is not a stored file)."""

    copied: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # already in the database, and intact there
    repaired: list[str] = field(default_factory=list)  # in the database, but damaged there: replaced
    damaged: list[str] = field(default_factory=list)  # in the folder, but its bytes do not match: not copied
    unreadable: list[str] = field(default_factory=list)  # in the folder, but could not be read: not copied
    ignored: list[str] = field(default_factory=list)  # not a stored file (a leftover .part, anything else)

    @property
    def complete(self) -> bool:
        """Every stored file of the folder is in the database, intact."""
        return not (self.damaged or self.unreadable)

    def summary(self) -> str:
        """One line of counts."""
        return (f"copied {len(self.copied)}, already in the database {len(self.present)}, repaired "
                f"{len(self.repaired)}, damaged {len(self.damaged)} (not copied), unreadable "
                f"{len(self.unreadable)} (not copied), ignored {len(self.ignored)}")


def copy_to_database(folder: FolderStore, database: DatabaseStore) -> Transfer:
    """Copy every file of `folder` into `database`; returns what happened to each."""
    done = Transfer()
    for path in folder.walk():
        sha256 = folder.keeps(path)
        if sha256 is None:
            done.ignored.append(str(path.relative_to(folder.root)))
            continue
        try:
            data = folder.get(sha256)
        except FileDamaged:
            done.damaged.append(sha256)
            continue
        except StorageError:
            done.unreadable.append(sha256)
            continue
        if not database.exists(sha256):
            database.put(data)
            done.copied.append(sha256)
        elif _intact(database, sha256):
            done.present.append(sha256)
        else:  # the folder's copy is good and the database's is not: the good bytes replace it
            database.delete(sha256)
            database.put(data)
            done.repaired.append(sha256)
    return done


def _intact(database: DatabaseStore, sha256: str) -> bool:
    try:
        database.get(sha256)
    except FileDamaged:
        return False
    return True

