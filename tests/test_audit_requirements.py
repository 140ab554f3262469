"""`make audit` fails on a known vulnerability and says loudly what it could not audit."""

from tests.audit_requirements import fill_from_project_pages, judge

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
    assert status == 1
    assert any("could not audit 1 pinned packages" in line for line in lines)


def _page(latest, *vulns):
    return {"info": {"version": latest}, "vulnerabilities": list(vulns)}


def test_the_project_page_answers_for_a_pin_that_is_the_latest_release():
    report = {
        "dependencies": [
            {"name": "flask", "skip_reason": "404"},
            {"name": "Flask_Caching", "skip_reason": "404"},
            {"name": "sqlalchemy", "skip_reason": "404"},
        ]
    }
    pages = {
        "flask": _page("3.1.3", {"id": "GHSA-1", "fixed_in": ["3.1.4"], "withdrawn": None}),
        "Flask_Caching": _page("2.5.1", {"id": "GHSA-old", "fixed_in": [], "withdrawn": "2025"}),
        "sqlalchemy": _page("2.1.9", {"id": "GHSA-2", "fixed_in": ["2.1.9"]}),
    }
    pins = {"flask": "3.1.3", "flask-caching": "2.5.1", "sqlalchemy": "2.0.58"}
    filled = fill_from_project_pages(report, pins, fetch=pages.get)
    status, lines = judge(filled, require_audit=False)
    assert status == 1
    assert "VULNERABLE flask 3.1.3: GHSA-1 (fixed in 3.1.4)" in lines
    assert not any("Flask_Caching" in line for line in lines if "VULNERABLE" in line)
    # Not the latest release: the project page says nothing about 2.0.58.
    assert any("could not audit 1 pinned packages" in line for line in lines)
    assert "audit: 2 packages audited, 1 not audited." in lines


def test_a_clean_report_passes():
    assert judge({"dependencies": [{"name": "flask", "vulns": []}]}, require_audit=True)[0] == 0
