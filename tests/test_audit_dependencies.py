"""scripts/audit_dependencies.py: a vulnerability fails the audit, and a package nobody could
audit is named as not audited, never counted as clean. pip-audit and PyPI are stood in for."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "audit_dependencies.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _stand_in(
    monkeypatch: pytest.MonkeyPatch,
    module: ModuleType,
    pins: str,
    report: dict[str, Any],
    pages: dict[str, Any],
) -> None:
    def locked(folder: Path) -> Path:
        path = folder / "requirements.txt"
        path.write_text(pins)
        return path

    monkeypatch.setattr(module, "locked_requirements", locked)
    monkeypatch.setattr(module, "run_pip_audit", lambda requirements, folder: report)
    monkeypatch.setattr(module, "project_page", lambda name: pages.get(name))
    monkeypatch.setattr(sys, "argv", ["audit_dependencies.py"])


def test_a_vulnerable_locked_version_fails_the_audit_by_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script()
    report = {
        "dependencies": [
            {
                "name": "jinja2",
                "version": "2.10",
                "vulns": [{"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"]}],
            },
            {"name": "click", "version": "8.3.1", "vulns": []},
        ]
    }
    _stand_in(monkeypatch, module, "jinja2==2.10\nclick==8.3.1\n", report, {})
    assert module.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE: jinja2 2.10: PYSEC-2019-217 (fixed in 2.10.1)" in out


def test_a_skipped_package_is_audited_from_its_project_page_only_at_its_newest_release(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script()
    skipped = "Dependency not found on PyPI and could not be audited"
    report = {
        "dependencies": [
            {"name": "newest", "skip_reason": skipped},
            {"name": "older", "skip_reason": skipped},
            {"name": "unreachable", "skip_reason": skipped},
        ]
    }
    pages = {
        "newest": {
            "info": {"version": "2.0"},
            "vulnerabilities": [{"id": "GHSA-xxxx", "fixed_in": ["2.0.1"], "withdrawn": None}],
        },
        "older": {"info": {"version": "5.0"}, "vulnerabilities": []},
    }
    _stand_in(monkeypatch, module, "newest==2.0\nolder==4.0\nunreachable==1.0\n", report, pages)
    assert module.main() == 1
    out = capsys.readouterr().out
    assert "3 locked packages: 1 audited" in out and "2 NOT AUDITED" in out
    assert "older==4.0, unreachable==1.0" in out
    assert "VULNERABLE: newest 2.0: GHSA-xxxx (fixed in 2.0.1)" in out


def test_nothing_found_says_what_was_not_audited(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script()
    report = {"dependencies": [{"name": "older", "skip_reason": "not found"}]}
    _stand_in(monkeypatch, module, "older==1.0\n", report, {"older": {"info": {"version": "2"}}})
    assert module.main() == 0
    out = capsys.readouterr().out
    assert "0 audited" in out and "1 NOT AUDITED" in out and "older==1.0" in out
