"""Output safety: no input overwritten, one writer per output, nothing sensitive left behind.

Every command calls these before it writes its first byte:

* :func:`check_output_path` refuses an output that is one of the inputs (through ``..``,
  symlinks and hard links), an existing folder, or in a folder that cannot be written;
* :func:`output_lock` takes an exclusive lock beside the output, so a second run writing the
  same file stops at once with a clear error instead of interleaving rows with the first;
* :func:`private_work_dir` gives partial and checkpoint files a 0700 folder beside the output
  (files in it are created 0600), removed when the run fails;
* :func:`check_sensitive_path` refuses a secret, key or review file inside a folder meant to
  be shared, or beside a shareable output;
* :func:`environment_errors` turns permission and disk faults into
  :class:`~lived_experience.errors.EnvironmentFaultError` (exit code 3), naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from lived_experience.errors import EnvironmentFaultError, OutputError, OutputLockedError

_ENVIRONMENT_ERRNOS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
}


@contextlib.contextmanager
def environment_errors(path: str | os.PathLike[str]) -> Iterator[None]:
    """Turn permission, read-only and disk-full faults into :class:`EnvironmentFaultError`."""
    try:
        yield
    except IsADirectoryError:
        raise OutputError(
            f"'{path}' is a folder; a file was expected here. Fix: give a file name."
        ) from None
    except OSError as exc:
        reason = _ENVIRONMENT_ERRNOS.get(exc.errno or 0)
        if reason is None:
            raise
        raise EnvironmentFaultError(
            f"cannot write '{path}': {reason}. Fix: choose a folder you can write to, or free "
            "space, then run the command again."
        ) from None


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(
    inputs: Iterable[str | os.PathLike[str] | None],
    output: str | os.PathLike[str],
    option: str = "--output",
) -> Path:
    """Refuse an output that would overwrite an input, is a folder, or cannot be written.

    ``..`` and symlinks are resolved, and hard links compared by inode. An input folder
    (transcripts) is compared with the output's folders too: writing inside it would add a
    file the next run reads as input only if it has a transcript extension, so that case is
    refused as well.

    Returns the output path.
    """
    output = Path(output)
    for item in inputs:
        if item is None:
            continue
        source = Path(item)
        if _same_file(source, output):
            raise OutputError(
                f"{option} '{output}' is the input file: writing it would destroy the "
                f"input. Fix: choose another {option}."
            )
        if source.is_dir() and source.resolve() in output.resolve().parents:
            from lived_experience.ingest import TRANSCRIPT_SUFFIXES

            if output.suffix.lower() in TRANSCRIPT_SUFFIXES:
                raise OutputError(
                    f"{option} '{output}' is inside the input folder '{source}' and would be "
                    f"read as input next time. Fix: write it elsewhere."
                )
    if output.is_dir():
        raise OutputError(
            f"{option} '{output}' is an existing folder; a file was expected. Fix: give a "
            "file name inside it."
        )
    check_writable_folder(output.parent, option)
    return output


def check_writable_folder(folder: str | os.PathLike[str], option: str = "--output") -> None:
    """Raise :class:`EnvironmentFaultError` if ``folder`` (or its nearest existing parent)
    cannot be written."""
    folder = Path(folder) if str(folder) else Path(".")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise OutputError(
            f"{option}: '{existing}' is a file, so '{folder}' cannot be a folder. Fix: choose "
            "another path."
        )
    if existing.exists() and not os.access(existing, os.W_OK | os.X_OK):
        raise EnvironmentFaultError(
            f"{option}: cannot write in '{existing}': permission denied (or read-only). Fix: "
            "choose a folder you can write to."
        )


def check_sensitive_path(
    path: str | os.PathLike[str],
    what: str,
    shareable: Iterable[str | os.PathLike[str] | None] = (),
    outputs: Iterable[str | os.PathLike[str] | None] = (),
) -> None:
    """Refuse a sensitive file (secret, key, review page, entities) where it could be shared.

    Parameters
    ----------
    path:
        The sensitive file.
    what:
        What it is, for the message (``"the re-identification key"``).
    shareable:
        Folders meant to be shared: the file may not be inside any of them.
    outputs:
        Shareable output files: the file may not sit in the same folder as any of them.
    """
    target = Path(path).resolve()
    for folder in shareable:
        if folder is None:
            continue
        resolved = Path(folder).resolve()
        if resolved == target or resolved in target.parents:
            raise OutputError(
                f"{what} '{path}' is inside '{folder}', which is meant to be shared. Fix: keep "
                "it outside that folder (e.g. in a review folder only the research team reads)."
            )
    for output in outputs:
        if output is None:
            continue
        if Path(output).resolve().parent == target.parent:
            raise OutputError(
                f"{what} '{path}' would sit beside the shareable output '{output}'. Fix: write "
                "it to another folder (e.g. review/), which is not shared."
            )


def _lock_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.lock")


#: Locks this process holds (resolved output path -> depth), so nested holders share one.
_HELD: dict[Path, int] = {}


@contextlib.contextmanager
def output_lock(output: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold an exclusive lock on ``output`` while writing it; a second holder fails at once.

    The lock is an ``flock`` on ``.NAME.lock`` beside the output, released (and the file
    removed) when the block ends or the process dies.

    Raises
    ------
    OutputLockedError
        If another run holds the lock.
    """
    output = Path(output)
    key = output.resolve()
    if key in _HELD:  # this process already holds it (a library call inside a command)
        _HELD[key] += 1
        try:
            yield _lock_path(output)
        finally:
            _HELD[key] -= 1
        return
    lock = _lock_path(output)
    with environment_errors(output):
        output.parent.mkdir(parents=True, exist_ok=True)
    while True:
        with environment_errors(lock):
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputLockedError(
                f"another run is writing '{output}' right now. Fix: wait for it to finish, or "
                "choose another output."
            ) from None
        # the holder before us may have removed the file between our open and our lock
        try:
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    _HELD[key] = 1
    try:
        yield lock
    finally:
        del _HELD[key]
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        os.close(fd)


@contextlib.contextmanager
def output_locks(outputs: Iterable[str | os.PathLike[str] | None]) -> Iterator[None]:
    """:func:`output_lock` on several outputs at once (sorted, so two runs never deadlock)."""
    paths = sorted({Path(p).resolve() for p in outputs if p is not None})
    with contextlib.ExitStack() as stack:
        for path in paths:
            stack.enter_context(output_lock(path))
        yield


def work_dir_path(output: str | os.PathLike[str]) -> Path:
    """The private folder beside ``output`` that holds its partial and checkpoint files."""
    output = Path(output)
    return output.with_name(f".{output.name}.work")


def open_private_work_dir(output: str | os.PathLike[str]) -> Path:
    """Create (or reuse, to resume) the 0700 work folder beside ``output``."""
    folder = work_dir_path(output)
    with environment_errors(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if folder.is_symlink() or not folder.is_dir():
                raise OutputError(
                    f"'{folder}' exists and is not a folder this toolkit made. Fix: remove it."
                ) from None
            if folder.stat().st_uid != os.getuid():
                raise OutputError(
                    f"'{folder}' belongs to another user. Fix: remove it, or write elsewhere."
                ) from None
        os.chmod(folder, 0o700)
    return folder


def remove_work_dir(output: str | os.PathLike[str]) -> None:
    """Remove the work folder beside ``output`` and everything in it."""
    shutil.rmtree(work_dir_path(output), ignore_errors=True)


@contextlib.contextmanager
def private_work_dir(output: str | os.PathLike[str]) -> Iterator[Path]:
    """A 0700 folder beside ``output`` for partial files, removed on success and on failure.

    Failure means a :class:`~lived_experience.errors.LivedExperienceError` (bad data,
    settings or environment: running again cannot help). After an interruption (Ctrl-C, a
    kill, an unexpected exception) the folder stays so that the same command resumes.
    """
    from lived_experience.errors import LivedExperienceError

    folder = open_private_work_dir(output)
    try:
        yield folder
    except LivedExperienceError:
        remove_work_dir(output)
        raise
    remove_work_dir(output)


def private_file(path: str | os.PathLike[str], mode: str = "a") -> int:
    """Open (creating 0600) a file descriptor for appending to a partial file."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    return os.open(path, flags, 0o600)
