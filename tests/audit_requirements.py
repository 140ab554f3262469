"""`make audit`: pip-audit over the pinned requirements. Exit 1 on any known vulnerability.

pip-audit asks PyPI about each pinned version. Where PyPI cannot say (no network, or a mirror
that does not serve per-version data), the packages are listed as not audited, loudly; with
REQUIRE_AUDIT=1 that is a failure too, so a machine that can reach PyPI can insist on it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")


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
        lines.append(f"!!  pip-audit could not audit {len(skipped)} pinned packages (PyPI did not")
        lines.append("!!  answer for their versions): " + ", ".join(sorted(skipped)))
        lines.append("!" * 72)
        if require_audit:
            status = 1
    audited = len(report.get("dependencies", [])) - len(skipped)
    lines.append(f"pip-audit: {audited} packages audited, {len(skipped)} not audited.")
    return status, lines


def main() -> int:
    status, lines = judge(run_pip_audit(), require_audit=os.environ.get("REQUIRE_AUDIT") == "1")
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
