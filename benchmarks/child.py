"""Run one benchmark measurement in a fresh process and read its own wall time and peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def measure_subprocess(command: list[str], what: str) -> dict:
    """Run ``command``; return the JSON it prints on its last ``RESULT `` line, plus ``process_seconds``,
    ``peak_mb`` (its own peak RSS, from ``os.wait4``) and ``cpu_seconds`` (all its threads)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=REPO_ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if code:
        raise RuntimeError(f"{what} failed (exit {code}):\n{stderr[-3000:]}")
    result = json.loads([ln for ln in stdout.splitlines() if ln.startswith("RESULT ")][-1][len("RESULT "):])
    result.update(process_seconds=wall, peak_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
                  cpu_seconds=usage.ru_utime + usage.ru_stime)
    return result
