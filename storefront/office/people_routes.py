"""Office pages for showrooms, regions and accounts."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from storefront.office import bp, regions, showrooms, users
from storefront.office.forms import (
    InviteForm,
    ReasonForm,
    RegionForm,
    RoleForm,
    ShowroomForm,
    StaffForm,
    UploadForm,
)
from storefront.office.web import (
    act_and_return,
    none_label,
    producer_choices,
    region_choices,
    showroom_choices,
)
from storefront.submissions import ButtonForm, carry_out, form_status

# --- showrooms -------------------------------------------------------------------------------


@bp.get("/showrooms")
def showroom_list():
    return render_template("office/showrooms.html", showrooms=showrooms.list_showrooms())


@bp.route("/showrooms/new", methods=["GET", "POST"])
def new_showroom():
    form = ShowroomForm()
    form.region.choices = region_choices()
    if form.validate_on_submit() and (
        done := carry_out(
            form, lambda: showrooms.create_showroom(current_user, _showroom_fields(form))
        )
    ):
        flash(_("%(name)s is open.", name=done.value.name), "success")
        return redirect(url_for(".showroom", code=done.value.code))
    return render_template("office/showroom.html", form=form, showroom=None), form_status(form)


@bp.route("/showrooms/<code>", methods=["GET", "POST"])
def showroom(code: str):
    showroom = showrooms.get_showroom(code)
    form = ShowroomForm(obj=None if request.method == "POST" else showroom)
    form.region.choices = region_choices()
    if request.method == "GET":
        form.region.data = showroom.region.code
        form.coordinates.data = showrooms.coordinates_text(showroom)
    if form.validate_on_submit() and carry_out(
        form, lambda: showrooms.update_showroom(current_user, code, _showroom_fields(form))
    ):
        flash(_("The showroom is saved."), "success")
        return redirect(url_for(".showroom", code=showroom.code))
    return _showroom_page(showroom, form)


def _showroom_page(showroom, form=None, staff_form=None):
    if form is None:
        form = ShowroomForm(formdata=None, obj=showroom)
        form.region.choices = region_choices()
        form.region.data = showroom.region.code
    staff_form = staff_form or StaffForm(formdata=None)
    return render_template(
        "office/showroom.html",
        form=form,
        showroom=showroom,
        staff=users.staff_of(showroom.id),
        staff_form=staff_form,
        reason_form=ReasonForm(formdata=None),
    ), max(form_status(form), form_status(staff_form))


@bp.post("/showrooms/<code>/open")
def showroom_open(code: str):
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: showrooms.set_open(
            current_user, code, request.form.get("open") == "1", form.reason.data
        ),
        lambda showroom: (
            _("The showroom is open.") if showroom.active else _("The showroom is closed.")
        ),
        url_for(".showroom", code=code),
    )


@bp.post("/showrooms/<code>/staff")
def showroom_staff(code: str):
    showroom = showrooms.get_showroom(code)
    form = StaffForm()
    if form.validate() and (
        done := carry_out(
            form, lambda: users.assign_staff(current_user, showroom.code, form.identifier.data)
        )
    ):
        flash(_("%(name)s now works at this showroom.", name=done.value.display_name), "success")
        return redirect(url_for(".showroom", code=code))
    return _showroom_page(showroom, staff_form=form)


def _showroom_fields(form) -> showrooms.ShowroomFields:
    return showrooms.ShowroomFields(
        **{n: form[n].data or "" for n in showrooms.ShowroomFields.__dataclass_fields__}
    )


# --- regions ---------------------------------------------------------------------------------


@bp.get("/regions")
def region_list():
    return render_template(
        "office/regions.html", tree=regions.tree(regions.list_regions()), kinds=regions.KIND_NAMES
    )


@bp.route("/regions/new", methods=["GET", "POST"])
def new_region():
    form = _region_form()
    if request.method == "GET" and request.args.get("parent"):
        form.parent.data = request.args["parent"]
    if form.validate_on_submit() and (
        done := carry_out(form, lambda: regions.add_region(current_user, _region_fields(form)))
    ):
        flash(_("%(name)s is added.", name=done.value.name), "success")
        return redirect(url_for(".region_list"))
    return render_template("office/region.html", form=form, region=None), form_status(form)


@bp.route("/regions/<code>", methods=["GET", "POST"])
def region(code: str):
    region = regions.get_region(code)
    form = _region_form(region if request.method == "GET" else None)
    if form.validate_on_submit() and carry_out(
        form, lambda: regions.update_region(current_user, code, _region_fields(form))
    ):
        flash(_("The administrative unit is saved."), "success")
        return redirect(url_for(".region_list"))
    return render_template("office/region.html", form=form, region=region), form_status(form)


@bp.route("/regions/import", methods=["GET", "POST"])
def import_regions():
    form = UploadForm()
    errors = []
    # Rows with problems change nothing (the import checks every row first), so they come back
    # as a result to list on the page, not as a refusal.
    if form.validate_on_submit() and (
        done := carry_out(form, lambda: regions.import_regions(current_user, form.file.data.read()))
    ):
        added, updated, errors = done.value
        if not errors:
            flash(
                _("%(added)d units added, %(updated)d updated.", added=added, updated=updated),
                "success",
            )
            return redirect(url_for(".region_list"))
    status = 400 if errors else form_status(form)
    return render_template(
        "office/regions_import.html",
        form=form,
        errors=errors,
        columns=regions.CSV_COLUMNS + regions.CSV_OPTIONAL,
    ), status


def _region_form(region=None) -> RegionForm:
    form = RegionForm(formdata=None, obj=region) if region else RegionForm()
    form.kind.choices = [SelectChoice(k, regions.KIND_NAMES[k]) for k in regions.KINDS]
    form.parent.choices = region_choices(blank=none_label())
    form.successor.choices = region_choices(blank=none_label())
    if region is not None:
        form.parent.data = region.parent.code if region.parent else ""
        form.successor.data = region.successor.code if region.successor else ""
        form.valid_from.data = region.valid_from.isoformat() if region.valid_from else ""
        form.valid_to.data = region.valid_to.isoformat() if region.valid_to else ""
    return form


def _region_fields(form) -> regions.RegionFields:
    return regions.RegionFields(
        **{n: form[n].data or "" for n in regions.RegionFields.__dataclass_fields__}
    )


# --- accounts --------------------------------------------------------------------------------


@bp.get("/users")
def user_list():
    role = request.args.get("role") or None
    q = request.args.get("q", "")[:200]
    return render_template("office/users.html", users=users.list_users(role, q), role=role, q=q)


@bp.route("/users/invite", methods=["GET", "POST"])
def invite_user():
    form = _binding_choices(InviteForm())
    if form.validate_on_submit() and (
        done := carry_out(
            form,
            lambda: users.invite_user(
                current_user,
                form.email.data,
                form.name.data,
                form.role.data,
                form.producer.data,
                form.showroom.data,
            ),
        )
    ):
        flash(
            _("An invitation with a set-password link went to %(email)s.", email=done.value.email),
            "success",
        )
        return redirect(url_for(".user_list"))
    return render_template("office/invite.html", form=form), form_status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    account = users.get_user(user_id)
    if request.method == "GET":
        form = _binding_choices(RoleForm(formdata=None, role=account.role))
        form.producer.data = account.producer.code if account.producer else ""
        form.showroom.data = account.showroom.code if account.showroom else ""
    else:
        form = _binding_choices(RoleForm())
        if form.validate() and carry_out(
            form,
            lambda: users.change_role(
                current_user, account.id, form.role.data, form.producer.data, form.showroom.data
            ),
        ):
            flash(_("The role is saved."), "success")
            return redirect(url_for(".user", user_id=account.id))
    return render_template(
        "office/user.html", account=account, form=form, csrf_form=ButtonForm(formdata=None)
    ), form_status(form)


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int):
    return act_and_return(
        ButtonForm(),
        lambda: users.set_active(current_user, user_id, request.form.get("active") == "1"),
        lambda account: (
            _("The account is active.")
            if account.active
            else _("The account is deactivated; it can no longer sign in.")
        ),
        url_for(".user", user_id=user_id),
    )


def _binding_choices(form):
    form.producer.choices = producer_choices(blank=none_label())
    form.showroom.choices = showroom_choices(blank=none_label())
    return form
