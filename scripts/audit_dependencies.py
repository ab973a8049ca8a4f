"""Known vulnerabilities in the locked dependencies: pip-audit over ``uv.lock``.

Exports the exact versions of ``uv.lock`` (every extra and the dev group) and asks pip-audit
about each one. Exits 1 when any locked version has a known vulnerability, naming it and the
version that fixes it; 0 otherwise. CI runs it (``make audit``).

pip-audit asks PyPI's JSON API for each pinned version (``/pypi/NAME/VERSION/json``). Where
that answers 404 (a mirror, or this project's build machines, serve only the project pages)
pip-audit skips the package. For a skipped package pinned at its newest release, this script
reads the project page (``/pypi/NAME/json``), whose vulnerability list is the newest
release's, and so still audits it. Whatever is left is reported as NOT AUDITED, by name,
never as "no vulnerabilities found".

Run: .venv/bin/python scripts/audit_dependencies.py [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PYPI = "https://pypi.org/pypi"


@dataclass
class Audit:
    packages: int = 0
    audited_by_pip_audit: int = 0
    audited_from_project_page: int = 0
    vulnerabilities: list[dict[str, Any]] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)

    @property
    def audited(self) -> int:
        return self.audited_by_pip_audit + self.audited_from_project_page


def locked_requirements(folder: Path) -> Path:
    """The exact versions of uv.lock as a requirements file (no hashes, no project)."""
    path = folder / "requirements.txt"
    command = [str(VENV_BIN / "uv"), "export", "--frozen", "--format", "requirements-txt"]
    command += ["--no-hashes", "--all-extras", "--no-emit-project", "--output-file", str(path)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return path


def run_pip_audit(requirements: Path, folder: Path) -> dict[str, object]:
    report = folder / "audit.json"
    command = [str(VENV_BIN / "pip-audit"), "-r", str(requirements), "--no-deps"]
    command += ["--disable-pip", "--progress-spinner", "off", "-f", "json", "-o", str(report)]
    finished = subprocess.run(command, capture_output=True, text=True)
    if not report.exists():  # pip-audit itself failed: say so, never "nothing found"
        sys.exit(f"pip-audit did not run: {finished.stderr.strip()[-2000:]}")
    found: dict[str, object] = json.loads(report.read_text())
    return found


def project_page(name: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"{PYPI}/{name}/json", timeout=30) as answer:
            found: dict[str, object] = json.load(answer)
            return found
    except (urllib.error.URLError, OSError, ValueError):
        return None


def pinned_versions(requirements: Path) -> dict[str, str]:
    pins = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#")[0].split(";")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def audit() -> Audit:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        requirements = locked_requirements(folder)
        pins = pinned_versions(requirements)
        report = run_pip_audit(requirements, folder)
    dependencies = report.get("dependencies", [])
    assert isinstance(dependencies, list)
    result = Audit(packages=len(dependencies))
    for dependency in dependencies:
        name = str(dependency["name"]).lower()
        if "skip_reason" not in dependency:
            result.audited_by_pip_audit += 1
            for vulnerability in dependency.get("vulns", []):
                result.vulnerabilities.append(
                    {
                        "package": name,
                        "version": dependency.get("version", pins.get(name)),
                        "id": vulnerability.get("id"),
                        "fixed_in": vulnerability.get("fix_versions", []),
                    }
                )
            continue
        page = project_page(name)
        info = page.get("info") if page else None
        newest = info.get("version") if isinstance(info, dict) else None
        if page is None or newest != pins.get(name):
            result.not_audited.append(f"{name}=={pins.get(name)}")
            continue
        result.audited_from_project_page += 1
        listed = page.get("vulnerabilities") or []
        assert isinstance(listed, list)
        for vulnerability in listed:
            if vulnerability.get("withdrawn"):
                continue
            result.vulnerabilities.append(
                {
                    "package": name,
                    "version": newest,
                    "id": vulnerability.get("id"),
                    "fixed_in": vulnerability.get("fixed_in", []),
                }
            )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args()
    result = audit()
    print(
        f"{result.packages} locked packages: {result.audited} audited "
        f"({result.audited_by_pip_audit} by pip-audit, {result.audited_from_project_page} from "
        f"their PyPI project page, pinned at the newest release), "
        f"{len(result.not_audited)} NOT AUDITED"
    )
    if result.not_audited:
        print(
            "  not audited (PyPI gave no vulnerability data for the pinned version): "
            + ", ".join(result.not_audited)
        )
    for found in result.vulnerabilities:
        fixed = ", ".join(str(version) for version in found["fixed_in"]) or "no fixed release yet"
        print(
            f"  VULNERABLE: {found['package']} {found['version']}: {found['id']} (fixed in {fixed})"
        )
    if options.json:
        figures = {**asdict(result), "audited": result.audited}
        options.json.write_text(json.dumps(figures, indent=2) + "\n")
    if result.vulnerabilities:
        print(f"{len(result.vulnerabilities)} known vulnerabilities: upgrade and lock again.")
        return 1
    print("No known vulnerability in the audited packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
