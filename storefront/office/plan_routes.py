"""The office's programme plans: the list, a new plan, one plan (edit, targets per unit, its
figures and history) and its KPI report to hand in (print view and XLSX)."""

from dataclasses import fields as dataclass_fields

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from storefront import clock
from storefront.audit.reading import describe
from storefront.audit.services import AuditFilters, search
from storefront.collation import by_name
from storefront.extensions import db
from storefront.office import bp, plan_reports, plans
from storefront.office.forms import PlanForm, UnitTargetForm
from storefront.office.programme import programme_kpis
from storefront.register.models import Region
from storefront.submissions import carry_out, form_status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/plans", methods=["GET", "POST"])
def plan_list():
    form = PlanForm()
    if form.validate_on_submit() and (
        done := carry_out(form, lambda: plans.save_plan(current_user, None, _typed(form)))
    ):
        flash(_("Plan %(number)s is recorded.", number=done.value.number), "success")
        return redirect(url_for(".plan", plan_id=done.value.id))
    today = clock.today()
    return render_template(
        "office/plans.html",
        plans=plans.list_plans(),
        in_force=plans.plan_in_force(today),
        form=form,
        today=today,
    ), form_status(form)


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
def plan(plan_id: int):
    plan = plans.get_plan(plan_id)
    form = PlanForm(obj=plan if request.method == "GET" else None)
    if request.method == "GET":
        form.period_start.data = plan.period_start.isoformat()
        form.period_end.data = plan.period_end.isoformat()
    if form.validate_on_submit() and carry_out(
        form, lambda: plans.save_plan(current_user, plan_id, _typed(form))
    ):
        flash(_("Plan %(number)s is saved.", number=plan.number), "success")
        return redirect(url_for(".plan", plan_id=plan_id))
    return _plan_page(plan, form=form, status=form_status(form))


@bp.post("/plans/<int:plan_id>/targets")
def plan_target(plan_id: int):
    plan = plans.get_plan(plan_id)
    target_form = _target_form()
    if target_form.validate() and carry_out(
        target_form,
        lambda: plans.set_unit_target(
            current_user,
            plan_id,
            target_form.region.data,
            target_form.indicator.data,
            target_form.target.data,
            clock.today(),
        ),
    ):
        flash(_("The target is saved."), "success")
        return redirect(url_for(".plan", plan_id=plan_id))
    return _plan_page(plan, target_form=target_form, status=400)


@bp.get("/plans/<int:plan_id>/report")
def plan_report(plan_id: int):
    report = plan_reports.kpi_report(plans.get_plan(plan_id), clock.today())
    return render_template("office/plan_report.html", report=report, print_view=True)


@bp.get("/plans/<int:plan_id>/report.xlsx")
def plan_report_xlsx(plan_id: int):
    plan = plans.get_plan(plan_id)
    report = plan_reports.kpi_report(plan, clock.today())
    return Response(
        plan_reports.to_xlsx(report),
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename=ocop-kpi-{plan.id}.xlsx"},
    )


def _plan_page(plan, form=None, target_form=None, status=200):
    today = clock.today()
    if form is None:
        form = PlanForm(obj=plan)
        form.period_start.data = plan.period_start.isoformat()
        form.period_end.data = plan.period_end.isoformat()
    history = [describe(e) for e in search(AuditFilters(q=plan.number), limit=50)]
    return render_template(
        "office/plan.html",
        plan=plan,
        form=form,
        target_form=target_form or _target_form(formdata=None),
        kpis=programme_kpis(today, plan),
        history=history,
        today=today,
        unit_indicators=plans.UNIT_INDICATORS,
    ), status


def _typed(form: PlanForm) -> plans.PlanFields:
    return plans.PlanFields(
        **{f.name: getattr(form, f.name).data for f in dataclass_fields(plans.PlanFields)}
    )


def _target_form(**kwargs) -> UnitTargetForm:
    form = UnitTargetForm(**kwargs)
    today = clock.today()
    current = [r for r in db.session.scalars(select(Region)) if r.is_current(today)]
    form.region.choices = [
        SelectChoice(r.code, f"{r.name} ({r.code})") for r in by_name(current, lambda r: r.name)
    ]
    form.indicator.choices = [SelectChoice(k, v) for k, v in plans.UNIT_INDICATORS.items()]
    return form
