"""Write docs/reliability.md from what the reliability checks did this run (issue 9).

Runs the tests that try hard to break Piri (property tests, the fuzzers' saved crashes,
SIGKILL at random points, concurrent writers, backups under load, every migration with data,
schemathesis, the every-response and isolation walkers, limits and sessions) with
``PIRI_RELIABILITY_LOG`` set, so that each writes down what it did (``tests/reliability.py``).
Reads the last bounded fuzz run (``fuzz/last-run.json``; ``--fuzz-seconds N`` runs it again
first), audits the locked dependencies (``scripts/audit_dependencies.py``), and writes every
figure with its result into the report. Nothing in the report is typed by hand.

Run: make reliability-report
(or .venv/bin/python scripts/reliability_report.py [--fuzz-seconds N])
PostgreSQL figures need PIRI_TEST_POSTGRES_URL, as in .ci/run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUTPUT = ROOT / "docs" / "reliability.md"
FUZZ_LAST_RUN = ROOT / "fuzz" / "last-run.json"
REGRESSIONS = ROOT / "fuzz" / "regressions"

# The test files of the report, each with what it proves, in the order the report gives them.
CHECKS: dict[str, str] = {
    "tests/test_parser_properties.py": "hypothesis: damaged and arbitrary input to every parser "
    "(FIT, GPX, TCX, archives, check answers, export documents) is read or refused by name",
    "tests/test_fuzz_regressions.py": "every input the fuzzers once crashed on, replayed",
    "tests/test_crash_safety.py": "SIGKILL of the server, an import and a migration mid-write",
    "tests/test_concurrent_writes.py": "concurrent writers on SQLite, in threads and over HTTP, "
    "with an import in another process",
    "tests/test_backup.py": "online backup under write load, restore, refused bad files",
    "tests/test_migrations.py": "every migration upgrades from every earlier schema with data",
    "tests/web/test_api_schemathesis.py": "schemathesis: every API operation against the "
    "OpenAPI document, anonymous and signed in",
    "tests/web/test_every_response.py": "every route, method and role: security headers, "
    "no-store, never a 5xx",
    "tests/web/test_isolation.py": "people never see each other's data (multi-user mode)",
    "tests/web/test_care_isolation.py": "the care team's authorisation matrix: four people, "
    "consent given and withdrawn",
    "tests/web/test_accounts.py": "sign-up, login rate limits, session expiry, logout "
    "everywhere, password change, hashed tokens",
    "tests/web/test_upload_limits.py": "upload size and rate limits",
    "tests/web/test_security.py": "headers, CSRF, host check, safe serve settings",
    "tests/web/test_hostile_input.py": "hostile input to pages and the API",
    "tests/test_audit_dependencies.py": "the dependency audit fails on a vulnerability",
}


@dataclass
class FileResult:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    skip_reasons: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.failed:
            return f"**{self.failed} FAILED**"
        if not self.passed:
            return "skipped"
        return "passed"


def run_fuzzer(seconds: int) -> None:
    subprocess.run([PYTHON, "fuzz/run.py", "--seconds", str(seconds)], cwd=ROOT, check=True)


def run_checks(folder: Path) -> tuple[dict[str, FileResult], list[dict[str, Any]], float]:
    files = [path for path in CHECKS if (ROOT / path).exists()]
    log, junit = folder / "figures.jsonl", folder / "junit.xml"
    env = {**os.environ, "PIRI_RELIABILITY_LOG": str(log)}
    command = [PYTHON, "-m", "pytest", "-q", "-n", "auto", "-p", "no:cacheprovider"]
    command += ["-o", "junit_family=xunit1", f"--junitxml={junit}", *files]
    began = dt.datetime.now()
    subprocess.run(command, cwd=ROOT, env=env)  # failures are reported, not raised
    took = (dt.datetime.now() - began).total_seconds()
    results = read_junit(junit)
    figures = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return results, figures, took


def read_junit(path: Path) -> dict[str, FileResult]:
    results: dict[str, FileResult] = defaultdict(FileResult)
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        module = case.get("file") or case.get("classname", "").replace(".", "/") + ".py"
        result = results[module]
        result.seconds += float(case.get("time", 0))
        skipped = case.find("skipped")
        failed = case.find("failure")
        if failed is None:
            failed = case.find("error")
        if failed is not None:
            result.failed += 1
            result.failures.append(case.get("name", "?"))
        elif skipped is not None:
            result.skipped += 1
            result.skip_reasons.add((skipped.get("message") or "").removeprefix("Skipped: "))
        else:
            result.passed += 1
    return results


def run_audit(folder: Path) -> dict[str, Any] | None:
    figures = folder / "audit.json"
    script = ROOT / "scripts" / "audit_dependencies.py"
    subprocess.run([PYTHON, str(script), "--json", str(figures)], cwd=ROOT)
    if not figures.exists():
        return None
    found: dict[str, Any] = json.loads(figures.read_text())
    return found


def by_check(figures: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in figures:
        grouped[line.pop("check")].append(line)
    return grouped


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def fuzz_section(results: dict[str, FileResult]) -> list[str]:
    lines = ["## Fuzzing (atheris, coverage-guided)", ""]
    if not FUZZ_LAST_RUN.exists():
        return [*lines, "No fuzz run recorded yet: run `make fuzz`.", ""]
    last = json.loads(FUZZ_LAST_RUN.read_text())["targets"]
    saved: dict[str, int] = defaultdict(int)
    for path in REGRESSIONS.glob("*/*"):
        if path.is_file():
            saved[path.parent.name] += 1
    rows = [
        [
            t["target"],
            f"{t['inputs']:,}",
            f"{t['seconds']:.0f}",
            t["crashes"],
            saved.get(t["target"], 0),
            t["when"],
            "no crash" if not t["crashes"] else f"**{t['crashes']} crashes**",
        ]
        for t in last
    ]
    header = ["target", "inputs", "seconds", "crashes this run", "crashes found before, fixed"]
    lines += table([*header, "run on", "result"], rows)
    replay = results.get("tests/test_fuzz_regressions.py", FileResult())
    lines += [
        "",
        f"Inputs in all: {sum(t['inputs'] for t in last):,}. Every input that once crashed a "
        f"parser is kept in `fuzz/regressions/<target>/` ({sum(saved.values())} files) and "
        f"replayed on every test run by `tests/test_fuzz_regressions.py`: {replay.verdict} "
        f"({replay.passed} passed). Run again with `make fuzz` (120 s per target) or "
        "`--fuzz-seconds N` here.",
        "",
    ]
    return lines


def figures_section(grouped: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = ["## What the checks did", ""]
    if not grouped:
        return [*lines, "No figures were recorded (did the tests run?).", ""]
    for check, entries in sorted(grouped.items()):
        lines += [f"### {check}", ""]
        keys = sorted({key for entry in entries for key in entry})
        lines += table(keys, [[entry.get(key, "") for key in keys] for entry in entries])
        lines.append("")
    return lines


def tests_section(results: dict[str, FileResult], took: float) -> list[str]:
    lines = ["## Every reliability test file and its result", ""]
    rows = []
    for path, proves in CHECKS.items():
        result = results.get(path)
        if result is None:
            rows.append([f"`{path}`", proves, 0, 0, 0, "not run (no such file)"])
            continue
        verdict = result.verdict
        if result.failures:
            verdict += ": " + ", ".join(result.failures[:5])
        if result.skipped:
            verdict += f" ({result.skipped} skipped: {'; '.join(sorted(result.skip_reasons))})"
        rows.append([f"`{path}`", proves, result.passed, result.failed, result.skipped, verdict])
    lines += table(["file", "what it proves", "passed", "failed", "skipped", "result"], rows)
    total = sum(r.passed for r in results.values()), sum(r.failed for r in results.values())
    lines += ["", f"{total[0]} passed, {total[1]} failed, in {took:.0f} s (pytest -n auto).", ""]
    return lines


def audit_section(audit: dict[str, Any] | None) -> list[str]:
    lines = ["## Locked dependencies (pip-audit)", ""]
    if audit is None:
        return [*lines, "**The audit did not run** (see the script's output).", ""]
    lines.append(
        f"{audit['packages']} locked packages: {audit['audited']} audited "
        f"({audit['audited_by_pip_audit']} by pip-audit, {audit['audited_from_project_page']} "
        "from their PyPI project page, pinned at the newest release), "
        f"{len(audit['not_audited'])} not audited, {len(audit['vulnerabilities'])} known "
        "vulnerabilities."
    )
    if audit["not_audited"]:
        lines += [
            "",
            "Not audited, because PyPI gave no vulnerability data for the pinned version "
            "(on this machine PyPI answers 404 for every per-version page, which is what "
            "pip-audit reads): " + ", ".join(f"`{name}`" for name in audit["not_audited"]) + ".",
        ]
    for found in audit["vulnerabilities"]:
        lines.append(f"- **{found['package']} {found['version']}: {found['id']}**")
    lines.append("")
    return lines


def write_report(
    results: dict[str, FileResult],
    grouped: dict[str, list[dict[str, Any]]],
    took: float,
    audit: dict[str, Any] | None,
) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    postgres = "yes" if os.environ.get("PIRI_TEST_POSTGRES_URL") else "no (SQLite only)"
    lines = [
        "# Reliability",
        "",
        "Produced by `scripts/reliability_report.py` (`make reliability-report`); do not edit by "
        "hand. Each figure below was written by the test that made it happen "
        "(`tests/reliability.py`).",
        "",
        f"- Run on {dt.date.today().isoformat()}, commit `{commit}`, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; PostgreSQL tests: {postgres}.",
        "",
    ]
    lines += tests_section(results, took)
    lines += fuzz_section(results)
    lines += figures_section(grouped)
    lines += audit_section(audit)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-seconds", type=int, help="run the fuzzers this long first")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    if options.fuzz_seconds:
        run_fuzzer(options.fuzz_seconds)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        results, figures, took = run_checks(folder)
        audit = run_audit(folder)
    report = write_report(results, by_check(figures), took, audit)
    options.output.write_text(report)
    print(f"Wrote {options.output}")
    failed = sum(result.failed for result in results.values())
    return 1 if failed or (audit is not None and audit["vulnerabilities"]) else 0


if __name__ == "__main__":
    sys.exit(main())
