"""`make audit` fails on a known vulnerability and says loudly what it could not audit."""

from tests.audit_requirements import judge

VULNERABLE = {
    "dependencies": [
        {"name": "flask", "version": "3.1.3", "vulns": []},
        {
            "name": "werkzeug",
            "version": "2.2.2",
            "vulns": [{"id": "PYSEC-2023-58", "fix_versions": ["2.2.3"]}],
        },
    ]
}
UNREACHABLE = {"dependencies": [{"name": "flask", "skip_reason": "Dependency not found on PyPI"}]}


def test_a_known_vulnerability_fails_the_audit_and_names_the_fix():
    status, lines = judge(VULNERABLE, require_audit=False)
    assert status == 1
    assert "VULNERABLE werkzeug 2.2.2: PYSEC-2023-58 (fixed in 2.2.3)" in lines


def test_packages_pypi_could_not_answer_for_are_reported_and_fail_when_required():
    assert judge(UNREACHABLE, require_audit=False)[0] == 0
    status, lines = judge(UNREACHABLE, require_audit=True)
    assert status == 1 and any("could not audit 1 pinned packages" in line for line in lines)


def test_a_clean_report_passes():
    assert judge({"dependencies": [{"name": "flask", "vulns": []}]}, require_audit=True)[0] == 0
