"""`make audit`: pip-audit over the pinned requirements. Exit 1 on any known vulnerability.

pip-audit asks PyPI about each pinned version. Where PyPI cannot say (a mirror that does not serve
per-version data, as here), the project's own page (/pypi/<name>/json) is asked instead: it lists
the known vulnerabilities of the latest release, so it answers for every pin that is the latest
release. What neither can answer for is listed as not audited, loudly; with REQUIRE_AUDIT=1 that is
a failure too, so a machine that can reach PyPI's per-version data can insist on it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
PROJECT_PAGE = "https://pypi.org/pypi/{name}/json"


def run_pip_audit() -> dict:
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip"]
    command += ["--progress-spinner", "off", "--format", "json"]
    for requirements in REQUIREMENTS:
        command += ["-r", requirements]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if not done.stdout.strip():
        print(done.stderr, file=sys.stderr)
        raise SystemExit("pip-audit gave no answer")
    return json.loads(done.stdout)


def pinned_versions() -> dict[str, str]:
    pins = {}
    for requirements in REQUIREMENTS:
        with open(requirements) as lines:
            for line in lines:
                match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;#]+)", line.strip())
                if match:
                    pins[_canonical(match.group(1))] = match.group(2)
    return pins


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def fetch_project_page(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(PROJECT_PAGE.format(name=name), timeout=30) as answer:
            return json.load(answer)
    except (OSError, ValueError):
        return None


def fill_from_project_pages(report: dict, pins: dict[str, str], fetch=fetch_project_page) -> dict:
    """Answer for the packages pip-audit skipped whose pin is the latest release, from the
    vulnerabilities PyPI lists on the project's page (those of the latest release)."""
    skipped = [d for d in report.get("dependencies", []) if d.get("skip_reason")]
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda d: fetch(d["name"]), skipped))
    for dependency, page in zip(skipped, pages, strict=True):
        pinned = pins.get(_canonical(dependency["name"]))
        if page is None or pinned is None:
            continue
        latest = page.get("info", {}).get("version")
        if latest != pinned:
            dependency["skip_reason"] = f"pinned {pinned}, PyPI describes only {latest}"
            continue
        dependency.pop("skip_reason")
        dependency["version"] = pinned
        dependency["vulns"] = [
            {"id": vuln["id"], "fix_versions": vuln.get("fixed_in") or []}
            for vuln in page.get("vulnerabilities") or []
            if not vuln.get("withdrawn")
        ]
    return report


def judge(report: dict, *, require_audit: bool) -> tuple[int, list[str]]:
    """(exit status, lines to print) for pip-audit's JSON report."""
    lines, status = [], 0
    for dependency in report.get("dependencies", []):
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            lines.append(
                f"VULNERABLE {dependency['name']} {dependency.get('version')}: {vuln['id']} "
                f"(fixed in {fixed})"
            )
            status = 1
    skipped = [d["name"] for d in report.get("dependencies", []) if d.get("skip_reason")]
    if skipped:
        lines.append("!" * 72)
        lines.append(f"!!  could not audit {len(skipped)} pinned packages (PyPI did not answer")
        lines.append("!!  for their versions): " + ", ".join(sorted(skipped)))
        lines.append("!" * 72)
        if require_audit:
            status = 1
    audited = len(report.get("dependencies", [])) - len(skipped)
    lines.append(f"audit: {audited} packages audited, {len(skipped)} not audited.")
    return status, lines


def main() -> int:
    report = fill_from_project_pages(run_pip_audit(), pinned_versions())
    status, lines = judge(report, require_audit=os.environ.get("REQUIRE_AUDIT") == "1")
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
