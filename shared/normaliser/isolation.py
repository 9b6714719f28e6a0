"""Run one page where it can be stopped: a child process forked from the warm parent, with a
wall-clock kill and a cap on its address space.

The pipeline's own deadline is cooperative (checked between steps), so a step that is slow on
some input nobody has seen yet could still outlive the invocation or exhaust its memory, and
take its whole SQS batch down with it. A forked child costs no imports (it shares the parent's
loaded modules, copy on write) and can be killed at any instruction; its memory is returned
to the system when it ends. The parent only waits, reads the pickled result from a pipe, and
turns a kill or an exhausted cap into a rejection with a reason.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What came of running work in a child: ``value`` when it finished, else ``limit``
    (``time-limit`` or ``memory-limit``) or ``error`` (an exception or a crash) with a detail."""

    value: T | None = None
    limit: str | None = None
    error: str | None = None
    detail: str = ""


def can_isolate() -> bool:
    """Forking is available (POSIX); elsewhere work runs in-process under the cooperative deadline."""
    return hasattr(os, "fork")


def _address_space_in_use() -> int | None:
    """Bytes of address space this process maps now, or ``None`` where /proc is not there."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return None


def _cap_memory(extra_bytes: int) -> None:
    """Let the child map at most ``extra_bytes`` beyond what it inherited."""
    in_use = _address_space_in_use()
    if in_use is not None:
        limit = in_use + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child(work: Callable[[], T], write_fd: int, memory_bytes: int) -> None:
    """In the child: run ``work`` under the memory cap, send its outcome, exit without
    running the parent's exit handlers. Never returns."""
    # Built before the cap, so reporting an exhausted cap needs no new memory.
    out_of_memory = pickle.dumps(Outcome(limit="memory-limit", detail="the page needed more memory than allowed"))
    try:
        _cap_memory(memory_bytes)
        try:
            payload = pickle.dumps(Outcome(value=work()), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = out_of_memory
        except BaseException as exc:  # the work's own failure, reported to the parent
            payload = pickle.dumps(Outcome(error=f"{type(exc).__name__}: {exc}"))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view[:_CHUNK]) :]
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(0)


def _fork() -> int:
    with warnings.catch_warnings():
        # Python 3.12+ warns when a process with threads forks (a lock another thread holds
        # stays held in the child). The child only runs the pure pipeline, and logging's
        # locks are re-created after a fork; the hard kill bounds it even so.
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def run_isolated(work: Callable[[], T], *, seconds: float, memory_bytes: int) -> Outcome[T]:
    """Run ``work`` in a forked child; kill it after ``seconds``; cap the address space it may
    add at ``memory_bytes``. The result must pickle.

    >>> run_isolated(lambda: sum(range(10)), seconds=5, memory_bytes=64 << 20).value
    45
    """
    read_fd, write_fd = os.pipe()
    pid = _fork()
    if pid == 0:
        os.close(read_fd)
        _child(work, write_fd, memory_bytes)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if ready:
                chunk = os.read(read_fd, _CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return Outcome(limit="time-limit", detail=f"still running after {seconds:g}s; stopped")
    if chunks:
        outcome: Outcome[T] = pickle.loads(b"".join(chunks))
        return outcome
    # No word from the child: it was killed (the kernel's OOM killer, or allocation failing
    # where Python could not raise MemoryError) or crashed.
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
        return Outcome(
            limit="memory-limit", detail=f"the page's process ended by signal {os.WTERMSIG(status)} (out of memory)"
        )
    return Outcome(error=f"the page's process ended without a result (status {status})")
