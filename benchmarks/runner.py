"""Running one measurement in its own process, and the facts about the machine it ran on."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PASSPHRASE = "orbit-cactus-lantern-97"  # benchmark vaults only: strong enough for zxcvbn, never a secret
MB = 1024 * 1024


@dataclass
class Measured:
    """One child process: exit code, output, wall time, CPU time and peak resident memory."""
    cmd: list
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    user_seconds: float
    system_seconds: float
    peak_bytes: int

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / MB

    def json_lines(self) -> list:
        out = []
        for line in self.stdout.splitlines():
            line = line.strip()
            if line.startswith(("{", "[")):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out

    def first_error_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1][:300] if lines else f"exit code {self.returncode}"


def run_measured(cmd: list, env: dict | None = None, cwd: Path | None = None, timeout: float | None = None) -> Measured:
    """Run ``cmd`` and wait for it with wait4(), so that its rusage (peak RSS included) is its own."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   env=env, cwd=cwd)
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                deadline = None
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB on Linux
    return Measured([str(c) for c in cmd], process.returncode, stdout, stderr, seconds, usage.ru_utime,
                    usage.ru_stime, peak)


def python() -> str:
    """The interpreter of the project's venv when there is one, else this one."""
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def c360() -> list:
    """The ``c360`` command line, as DESIGN.md's contract names it."""
    script = REPO / ".venv" / "bin" / "c360"
    if script.exists():
        return [str(script)]
    beside = Path(sys.executable).parent / "c360"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "c360_desktop.cli"]


def bench_env(home: Path, fast_kdf: bool = True) -> dict:
    """Environment of every child: the passphrase, an isolated home, and the fast KDF unless told otherwise."""
    env = {k: v for k, v in os.environ.items() if k != "C360_INSECURE_FAST_KDF"}
    home.mkdir(parents=True, exist_ok=True)
    env.update({
        "C360_PASSPHRASE": PASSPHRASE, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
        "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    })
    if fast_kdf:
        env["C360_INSECURE_FAST_KDF"] = "1"
    return env


def init_vault(vault: Path, env: dict) -> Measured:
    result = run_measured(c360() + ["--vault", vault, "init", "--json"], env=env)
    if not result.ok:
        raise RuntimeError(f"c360 init failed: {result.first_error_line()}")
    return result


# ----------------------------------------------------------------------------- machine facts

def machine_facts() -> dict:
    facts = {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "ram_gb": _ram_gb(), "os": platform.platform(),
        "python": platform.python_version(),
    }
    probe = subprocess.run(
        [python(), "-c",
         "import json, platform, sqlcipher3\n"
         "c = sqlcipher3.connect(':memory:')\n"
         "c.execute(\"PRAGMA key = \\\"x'\" + '00' * 32 + \"'\\\"\")\n"
         "c.execute('CREATE TABLE t(x)')\n"
         "v = c.execute('PRAGMA cipher_version').fetchone()\n"
         "p = c.execute('PRAGMA cipher_provider').fetchone()\n"
         "s = c.execute('select sqlite_version()').fetchone()[0]\n"
         "try:\n    import c360_desktop; a = c360_desktop.__version__\nexcept Exception:\n    a = None\n"
         "print(json.dumps({'python': platform.python_version(), 'sqlcipher': v[0] if v else None,"
         " 'crypto_provider': p[0] if p else None, 'sqlite': s, 'c360': a}))"],
        capture_output=True, text=True, cwd=REPO)
    try:
        facts.update(json.loads(probe.stdout))
    except ValueError:
        facts["sqlcipher"] = "unknown (" + (probe.stderr.strip().splitlines() or ["no output"])[-1] + ")"
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3, 1)
    except (ValueError, OSError, AttributeError):
        return None


# ----------------------------------------------------------------------------- printing

def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(rows: list[list], header: list[str]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
