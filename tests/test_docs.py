"""The user guide in docs/: generated references up to date, nothing undocumented, no dead links.

No browser and no server: the API reference comes from the app's OpenAPI document, the CLI
reference from the Click command tree, the rest from reading the files.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
import re
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCREENSHOTS = DOCS / "screenshots"
SOURCE = ROOT / "src" / "piri"
GUIDE = sorted(DOCS.glob("*.md"))
# The guide's own pages (not generated): each ends with when to see a professional.
ADVICE_PAGES = [
    "index.md",
    "today-and-sessions.md",
    "check.md",
    "diary-and-scores.md",
    "progress-and-runs.md",
    "settings-and-privacy.md",
    "gait-check.md",
]
API_COMMAND = ".venv/bin/python -m piri.web.api_reference docs/api.md"
CLI_COMMAND = ".venv/bin/python scripts/cli_reference.py docs/cli.md"


@cache
def cli_reference() -> ModuleType:
    path = ROOT / "scripts" / "cli_reference.py"
    spec = importlib.util.spec_from_file_location("cli_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def out_of_date(name: str, actual: str, expected: str, command: str) -> str:
    diff = difflib.unified_diff(
        actual.splitlines(), expected.splitlines(), f"{name} (in git)", f"{name} (now)", lineterm=""
    )
    shown = "\n".join(list(diff)[:40])
    return f"{name} is out of date: regenerate it with `{command}`.\n{shown}"


def test_api_reference_is_generated_from_the_current_openapi_document() -> None:
    from piri.web.api_reference import markdown
    from piri.web.app import create_app

    expected = markdown(create_app().openapi())
    actual = (DOCS / "api.md").read_text(encoding="utf-8")
    if actual != expected:
        pytest.fail(out_of_date("docs/api.md", actual, expected, API_COMMAND), pytrace=False)


def test_cli_reference_is_generated_from_the_current_help() -> None:
    expected = cli_reference().markdown()
    actual = (DOCS / "cli.md").read_text(encoding="utf-8")
    if actual != expected:
        pytest.fail(out_of_date("docs/cli.md", actual, expected, CLI_COMMAND), pytrace=False)


def cli_sections() -> dict[str, str]:
    """'piri serve' -> the text of its section in docs/cli.md."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^## `([^`]+)`$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_option_and_argument_is_in_the_cli_reference() -> None:
    sections = cli_sections()
    missing = []
    found = list(cli_reference().commands(cli_reference().root_command()))
    assert len(found) > 15, "the command tree of piri.cli.app was not walked"
    for path, command in found:
        name = " ".join(("piri", *path))
        section = sections.get(name)
        if section is None:
            missing.append(f"the command '{name}'")
            continue
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            words = [*param.opts, *param.secondary_opts]
            if param.param_type_name == "argument":
                words = [param.metavar or param.name]
            missing += [f"'{word}' of '{name}'" for word in words if word not in section]
    assert not missing, (
        f"not in docs/cli.md: {', '.join(missing)}; regenerate it with `{CLI_COMMAND}`"
    )


def environment_reads() -> dict[str, list[str]]:
    """Every environment variable src/piri reads: name -> where (file:line).

    Finds os.environ.get(X), os.environ[X], os.getenv(X) and 'X in os.environ', where X is a
    string or a module-level string constant (in the same module, or imported by name).
    """
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCE.rglob("*.py")}
    constants: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        constants.setdefault(target.id, set()).add(node.value.value)
    found: dict[str, list[str]] = {}
    unknown: list[str] = []
    for path, tree in trees.items():
        local = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            key = _environment_key(node)
            if key is None:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"  # type: ignore[attr-defined]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names = {key.value}
            elif isinstance(key, ast.Name) and key.id in local:
                names = {local[key.id]}
            elif isinstance(key, ast.Name) and len(constants.get(key.id, ())) == 1:
                names = constants[key.id]
            else:
                unknown.append(where)
                continue
            for name in names:
                found.setdefault(name, []).append(where)
    assert not unknown, (
        f"cannot tell which environment variable is read at {', '.join(unknown)}: "
        "read it through a string or a module-level constant"
    )
    return found


def _environment_key(node: ast.AST) -> ast.expr | None:
    """The variable name of an environment read, or None when ``node`` is not one."""

    def is_environ(value: ast.expr) -> bool:
        return (isinstance(value, ast.Attribute) and value.attr == "environ") or (
            isinstance(value, ast.Name) and value.id == "environ"
        )

    if isinstance(node, ast.Call) and node.args:
        func = node.func
        reads = ("get", "pop", "setdefault")
        if isinstance(func, ast.Attribute) and func.attr in reads and is_environ(func.value):
            return node.args[0]
        if (isinstance(func, ast.Attribute) and func.attr == "getenv") or (
            isinstance(func, ast.Name) and func.id == "getenv"
        ):
            return node.args[0]
    if isinstance(node, ast.Subscript) and is_environ(node.value):
        return node.slice
    if (
        isinstance(node, ast.Compare)
        and len(node.comparators) == 1
        and isinstance(node.ops[0], ast.In | ast.NotIn)
        and is_environ(node.comparators[0])
    ):
        return node.left
    return None


def test_every_environment_setting_is_documented() -> None:
    reads = environment_reads()
    assert "PIRI_HOME" in reads, "the scan of src/piri for environment reads found nothing"
    documented = (DOCS / "settings-and-privacy.md").read_text(encoding="utf-8")
    documented += (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f"{name} (read at {', '.join(where)})" for name, where in sorted(reads.items())]
    missing = [line for line in missing if f"`{line.split()[0]}`" not in documented]
    assert not missing, (
        "environment settings not documented in docs/settings-and-privacy.md or README.md: "
        + "; ".join(missing)
    )


def without_fences(text: str) -> str:
    """Markdown with its fenced code blocks taken out."""
    return re.sub(r"^```.*?^```$", "", text, flags=re.MULTILINE | re.DOTALL)


def without_code(text: str) -> str:
    """Markdown without code blocks or inline code (links there are not links)."""
    return re.sub(r"`[^`\n]*`", "", without_fences(text))


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"", re.IGNORECASE)


def links(page: Path) -> list[str]:
    text = without_code(page.read_text(encoding="utf-8"))
    return LINK.findall(text) + HTML_IMAGE.findall(text)


def image_links(page: Path) -> list[str]:
    text = without_code(page.read_text(encoding="utf-8"))
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + HTML_IMAGE.findall(text)
    return [target for target in images if not re.match(r"[a-z]+:", target)]


def test_the_guide_exists() -> None:
    names = {page.name for page in GUIDE}
    assert {*ADVICE_PAGES, "cli.md", "api.md"} <= names


def test_every_screenshot_referenced_exists_and_every_screenshot_is_referenced() -> None:
    referenced: dict[Path, list[str]] = {}
    for page in GUIDE:
        for target in image_links(page):
            path = (page.parent / target.split("#")[0]).resolve()
            referenced.setdefault(path, []).append(page.name)
    missing = [f"{p.relative_to(ROOT)} (in {', '.join(w)})" for p, w in referenced.items()]
    missing = [m for m, p in zip(missing, referenced, strict=True) if not p.is_file()]
    assert not missing, f"pictures that do not exist: {'; '.join(missing)}"
    pictures = sorted(SCREENSHOTS.glob("*.png"))
    assert pictures, "docs/screenshots holds no pictures"
    unused = [p.name for p in pictures if p.resolve() not in referenced]
    assert not unused, (
        f"screenshots no page shows: {', '.join(unused)}; show them in a docs/*.md page, or "
        "remove them from scripts/docs_screenshots.py and docs/screenshots/"
    )
    others = [p.name for p in SCREENSHOTS.iterdir() if p.suffix != ".png"]
    assert not others, f"not a PNG in docs/screenshots: {', '.join(others)}"


def test_screenshots_are_small_phone_pictures() -> None:
    for picture in SCREENSHOTS.glob("*.png"):
        data = picture.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{picture.name} is not a PNG"
        width = int.from_bytes(data[16:20], "big")
        assert width == 390, f"{picture.name} is {width} px wide, not a 390 px phone"
        assert len(data) <= 450_000, f"{picture.name} is {len(data) // 1024} KB: too large"


def anchors(page: Path) -> set[str]:
    """The ids GitHub gives the page's headings (duplicates get -1, -2, ...)."""
    seen: dict[str, int] = {}
    found = set()
    for line in without_fences(page.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = cli_reference().anchor(match.group(1).replace("`", ""))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def test_every_relative_link_resolves() -> None:
    broken = []
    for page in GUIDE:
        for target in links(page):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            file_part, _, anchor = target.partition("#")
            destination = (page.parent / file_part).resolve() if file_part else page
            if not destination.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
                broken.append(f"{page.name}: {target} (no heading '#{anchor}')")
    assert not broken, "broken links in docs/: " + "; ".join(broken)


@pytest.mark.parametrize("name", ADVICE_PAGES)
def test_every_page_of_advice_ends_with_when_to_see_a_professional(name: str) -> None:
    text = without_code((DOCS / name).read_text(encoding="utf-8"))
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings and headings[-1] == "When to see a professional", (
        f"docs/{name} must end with a section '## When to see a professional'"
    )
    last = " ".join(text.split("## When to see a professional", 1)[1].lower().split())
    for sign in ("emergency", "both legs", "4 to 6 weeks"):
        assert sign in last, f"docs/{name}: its last section does not mention '{sign}'"


def test_the_readme_points_to_the_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/index.md" in readme
    for command in ("scripts/docs_screenshots.py", "piri.web.api_reference", "cli_reference.py"):
        assert command in readme, f"README.md does not say how to run {command}"


def test_the_reliability_report_is_the_script_s_and_lists_every_check() -> None:
    path = ROOT / "scripts" / "reliability_report.py"
    spec = importlib.util.spec_from_file_location("reliability_report", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    import sys

    sys.modules[spec.name] = script  # its dataclasses look their module up there
    spec.loader.exec_module(script)
    report = (DOCS / "reliability.md").read_text(encoding="utf-8")
    assert report.startswith("# Reliability\n\nProduced by `scripts/reliability_report.py`")
    missing = [check for check in script.CHECKS if f"`{check}`" not in report]
    assert not missing, f"docs/reliability.md is older than {missing}: make reliability-report"
    assert "FAILED" not in report, "the report shows a failure: fix it, then run it again"
