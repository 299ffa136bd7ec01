"""The worker's guard: nothing is opened, connected or started that a validation does not need.

Arelle opens whatever a filing names: a footnote's `link:loc`, a schema
location, a URL that climbs out of its web cache with `../`, a reference hidden
in text Arelle decodes differently from intake. The reference checks run
before Arelle and stop what they recognise; this guard stops the rest at the
one place every file passes, whatever the route: a Python audit hook
(`sys.addaudithook`) in the worker process, installed after imports and
warm-up, before the first job. Audit hooks cannot be removed, so from then
on the process can read only:

- the registered taxonomy package zips (exact files),
- Arelle's own resources and the Python installation it imports from
  (the standard library, site-packages, this package's own directory),
- the current job's folder (the filing and its exports), read and write,
- the worker's private folder: its temp folder and Arelle's web cache, which
  stays empty (offline, nothing is fetched) but which Arelle looks into.

Everything else is refused before the operating system is asked, so a
refusal says nothing about whether the target exists: `/etc/passwd`, `/dev/*`,
`/proc/*`, `/sys/*`, home folders, the portal's instance folder, another
job's folder. Sockets, name lookups and new processes are refused outright.
Each refusal raises PermissionError inside Arelle (which reports a load
failure and carries on) and is logged here with the reference Arelle was
loading, so the worker turns it into an FR-REFERENCE finding.
"""

from __future__ import annotations

import errno
import os
import sys
import sysconfig
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

REFUSED = "refused by the validation worker's guard"
MAX_LOGGED = 200  # refusals kept per job; a filing naming thousands of files gets one finding each for these

# Audit events that name a path to read (the first argument), or to change.
_READ_EVENTS = {"os.listdir", "os.scandir"}
_WRITE_EVENTS = {"os.mkdir", "os.remove", "os.rmdir", "os.truncate", "os.chmod", "os.chown", "os.utime",
                 "shutil.rmtree", "os.chdir"}
_TWO_PATH_EVENTS = {"os.rename", "os.link", "os.symlink", "shutil.copyfile", "shutil.copymode", "shutil.copystat",
                    "shutil.copytree", "shutil.move"}
# Network and processes: a validation needs neither.
_NEVER = {
    "socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo", "urllib.Request", "http.client.connect",
    "ftplib.connect", "smtplib.connect", "poplib.connect", "imaplib.open", "nntplib.connect", "webbrowser.open",
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.startfile",
    "pty.spawn", "ctypes.dlopen", "sys.addaudithook",
}
_WATCHED = frozenset({"open"} | _READ_EVENTS | _WRITE_EVENTS | _TWO_PATH_EVENTS | _NEVER)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@dataclass(frozen=True)
class Refusal:
    """One thing the guard refused: the audit event, its target, and the reference Arelle was loading."""

    event: str
    target: str
    reference: str | None = None  # the href or location as the filing wrote it (without its #fragment)
    line: int | None = None  # the line of the element that named it, when known

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for the worker's reply."""
        return {"event": self.event, "target": self.target, "reference": self.reference, "line": self.line}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Refusal:
        """Read what `to_dict` wrote (in the engine's process); ValueError for anything else."""
        event, target, reference, line = data.get("event"), data.get("target"), data.get("reference"), data.get("line")
        if not (isinstance(event, str) and isinstance(target, str) and isinstance(reference, (str, type(None)))
                and (line is None or (isinstance(line, int) and not isinstance(line, bool)))):
            raise ValueError("a worker's answer: not a refusal")
        return cls(event, target, reference, line)


def _real(path: str) -> str:
    return os.path.realpath(path)


def python_dirs() -> set[str]:
    """Where this interpreter imports from: the standard library and site-packages."""
    paths = sysconfig.get_paths()
    found = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if paths.get(k)}
    found |= {os.path.dirname(os.__file__)}
    return {_real(p) for p in found if os.path.isdir(p)}


def module_dir(module: Any) -> str:
    """The directory of an imported package (Arelle, lxml, this package)."""
    return _real(os.path.dirname(module.__file__))


class Guard:
    """The allow-list and its audit hook (one per process: a hook stays until the process ends)."""

    def __init__(self, read_dirs: Iterable[str], read_files: Iterable[str], write_dirs: Iterable[str] = ()) -> None:
        self._read_dirs = tuple(sorted({_real(d) for d in read_dirs}))
        self._read_files = {_real(f) for f in read_files}
        self._write_dirs = tuple(sorted({_real(d) for d in write_dirs}))
        self._installed: set[str] = set()  # paths as opened that resolved inside read_dirs or read_files
        self._job_dirs: tuple[str, ...] = ()
        self._job_files: set[str] = set()
        self._inside = threading.local()
        self.installed = False
        self.refused: list[Refusal] = []  # this job's refusals (or since install, between jobs)
        self.refused_total = 0
        self.reference: tuple[str | None, int | None] = (None, None)  # set by the Arelle wrapper while it loads

    # --- the policy ---------------------------------------------------------------------------------------------
    @staticmethod
    def _under(path: str, dirs: tuple[str, ...]) -> bool:
        return any(path == d or path.startswith(d + os.sep) for d in dirs)

    def allows(self, path: str | bytes | os.PathLike[Any] | int, write: bool = False) -> bool:
        """Whether the worker may open `path` now (an open file descriptor is always its own)."""
        if isinstance(path, int):
            return True
        text = os.fsdecode(os.fspath(path))
        if "\x00" in text:
            return False
        if not write and text in self._installed:
            return True
        real = _real(text if os.path.isabs(text) else os.path.join(os.getcwd(), text))
        if self._under(real, self._job_dirs) or self._under(real, self._write_dirs):
            return True
        if write:
            return False
        if real in self._read_files or self._under(real, self._read_dirs):
            # Arelle's own schemas are opened again for every inline filing (60 of them), and resolving a
            # path costs a system call per folder in it. These folders are the installation's and do not
            # change under a running worker, so an absolute path found inside them is remembered; the
            # job's folder changes with every job and is always looked at again, as is every refusal.
            if os.path.isabs(text) and len(self._installed) < 10_000:
                self._installed.add(text)
            return True
        return real in self._job_files

    # --- the hook -----------------------------------------------------------------------------------------------
    def install(self) -> None:
        """Add the audit hook to this process (once; it cannot be taken away again)."""
        if not self.installed:
            sys.addaudithook(self._hook)
            self.installed = True

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event not in _WATCHED or getattr(self._inside, "active", False):
            return
        self._inside.active = True  # realpath and friends must not come back in here
        try:
            allowed, target = self._check(event, args)
        finally:
            self._inside.active = False
        if not allowed:
            self._log(event, target)
            raise PermissionError(errno.EACCES, REFUSED)

    def _check(self, event: str, args: tuple[Any, ...]) -> tuple[bool, str]:
        if event in _NEVER:
            return False, event if not args else f"{event} {str(args[0])[:200]}"
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            write = (isinstance(flags, int) and bool(flags & _WRITE_FLAGS)) or (
                isinstance(mode, str) and any(c in mode for c in "wax+"))
            return self._path_allowed(path, write)
        if event in _TWO_PATH_EVENTS:
            for path in args[:2]:
                allowed, target = self._path_allowed(path, True)
                if not allowed:
                    return False, target
            return True, ""
        return self._path_allowed(args[0] if args else None, event in _WRITE_EVENTS)

    def _path_allowed(self, path: Any, write: bool) -> tuple[bool, str]:
        if path is None:
            return True, ""
        try:
            return self.allows(path, write), str(os.fsdecode(path) if not isinstance(path, int) else path)[:500]
        except (TypeError, ValueError, OSError):
            return False, repr(path)[:500]

    def _log(self, event: str, target: str) -> None:
        self.refused_total += 1
        if len(self.refused) < MAX_LOGGED:
            reference, line = self.reference
            self.refused.append(Refusal(event, target, reference, line))

    # --- jobs ---------------------------------------------------------------------------------------------------
    @contextmanager
    def job(self, folder: str, files: Iterable[str] = ()) -> Iterator[list[Refusal]]:
        """Allow `folder` (read and write) and `files` (read) for one job; yields its refusal log."""
        self._job_dirs = (_real(folder),)
        self._job_files = {_real(f) for f in files}
        self.refused = []
        try:
            yield self.refused
        finally:
            self._job_dirs, self._job_files = (), set()
            self.reference = (None, None)


def watch_arelle_loads(guard: Guard) -> None:
    """Tell the guard which reference Arelle is loading, so a refusal names it as the filing wrote it.

    Every document Arelle opens goes through `ModelDocument.load(modelXbrl, uri, ...)`, with `uri`
    the reference as written (a footnote locator's href without its fragment, a schema location)
    and `referringElement` the element that named it. The wrapper only records them; the guard
    decides, at the open itself.
    """
    from arelle import ModelDocument

    original = ModelDocument.load
    if getattr(original, "_edu_guarded", False):
        return

    def load(modelXbrl: Any, uri: Any, *args: Any, **kwargs: Any) -> Any:
        outer = guard.reference
        element = kwargs.get("referringElement")
        line = getattr(element, "sourceline", None)
        guard.reference = (uri if isinstance(uri, str) else None, line if isinstance(line, int) else None)
        try:
            return original(modelXbrl, uri, *args, **kwargs)
        finally:
            guard.reference = outer

    load._edu_guarded = True  # type: ignore[attr-defined]
    ModelDocument.load = load
