"""Office pages for the register: dashboard, producers, products and certificates."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront import clock
from storefront.audit.reading import describe
from storefront.audit.services import AuditFilters, search
from storefront.catalog import notices as catalog_notices
from storefront.catalog.models import Certificate, CertificateStatus
from storefront.catalog.pricing import ChangedMeanwhile
from storefront.extensions import db
from storefront.formatting import format_day
from storefront.labels import CERTIFICATE_STATE_NAMES
from storefront.office import bp, certificates, notices
from storefront.office import dashboard as board
from storefront.office import producers as register
from storefront.office import products as catalogue
from storefront.office.forms import (
    CertificateForm,
    DecisionScanForm,
    NoticeRuleForm,
    ProducerForm,
    ProductForm,
    ReasonForm,
    RevokeForm,
)
from storefront.office.web import act_and_return, producer_choices, region_choices
from storefront.producers import products as producer_products
from storefront.producers.forms import DetailsForm
from storefront.submissions import (
    ButtonForm,
    carry_out,
    carry_out_flashed,
    form_status,
    messages,
)


@bp.get("/")
def dashboard():
    return render_template("office/dashboard.html", board=board.summary(clock.today()))


# --- producers -------------------------------------------------------------------------------


@bp.get("/producers")
def producers():
    return render_template("office/producers.html", producers=register.list_producers())


@bp.route("/producers/new", methods=["GET", "POST"])
def new_producer():
    form = ProducerForm()
    form.region.choices = region_choices()
    if form.validate_on_submit() and (
        done := carry_out(
            form, lambda: register.create_producer(current_user, _producer_fields(form))
        )
    ):
        flash(_("%(name)s is in the register.", name=done.value.name), "success")
        return redirect(url_for(".producer", code=done.value.code))
    return render_template("office/producer.html", form=form, producer=None), form_status(form)


@bp.route("/producers/<code>", methods=["GET", "POST"])
def producer(code: str):
    producer = register.get_producer(code)
    form = ProducerForm(obj=None if request.method == "POST" else producer)
    form.region.choices = region_choices()
    if request.method == "GET":
        form.region.data = producer.region.code
    if form.validate_on_submit() and carry_out(
        form, lambda: register.update_producer(current_user, producer.code, _producer_fields(form))
    ):
        flash(_("The producer is saved."), "success")
        return redirect(url_for(".producer", code=producer.code))
    return render_template(
        "office/producer.html", form=form, producer=producer, reason_form=ReasonForm(formdata=None)
    ), form_status(form)


@bp.post("/producers/<code>/active")
def producer_active(code: str):
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: register.set_producer_active(
            current_user, code, request.form.get("active") == "1", form.reason.data
        ),
        lambda producer: (
            _("%(name)s is active.", name=producer.name)
            if producer.active
            else _("%(name)s is deactivated; its products left the shop.", name=producer.name)
        ),
        url_for(".producer", code=code),
    )


def _producer_fields(form) -> register.ProducerFields:
    return register.ProducerFields(
        **{name: form[name].data or "" for name in register.ProducerFields.__dataclass_fields__}
    )


# --- products --------------------------------------------------------------------------------


@bp.get("/products")
def products():
    review = request.args.get("review") or None
    q = request.args.get("q", "")[:200]
    return render_template(
        "office/products.html",
        products=catalogue.list_products(review, q),
        review=review,
        q=q,
        today=clock.today(),
    )


@bp.route("/products/new", methods=["GET", "POST"])
def new_product():
    form = ProductForm()
    _product_choices(form)
    if request.method == "GET" and request.args.get("producer"):
        form.producer.data = request.args["producer"]
    if form.validate_on_submit() and (
        done := carry_out(
            form, lambda: catalogue.create_product(current_user, _product_fields(form))
        )
    ):
        flash(
            _(
                "%(name)s is registered. Issue its certificate to put it in the shop.",
                name=done.value.name,
            ),
            "success",
        )
        return redirect(url_for(".product", code=done.value.code))
    return render_template("office/product_new.html", form=form), form_status(form)


def _product_page(product, status=200, **forms):
    if "form" not in forms:
        form = ProductForm(formdata=None, obj=product)
        _product_choices(form)
        form.producer.data, form.region.data = product.producer.code, product.region.code
        form.price.data, form.version.data = str(product.price_vnd), product.version
        forms["form"] = form
    forms.setdefault(
        "certificate_form",
        CertificateForm(formdata=None, prefix="cert", issued_on=clock.today().isoformat()),
    )
    forms.setdefault(
        "revoke_form",
        RevokeForm(formdata=None, prefix="revoke", revoked_on=clock.today().isoformat()),
    )
    forms.setdefault("reason_form", ReasonForm(formdata=None))
    forms.setdefault("scan_form", DecisionScanForm(formdata=None, prefix="scan"))
    forms.setdefault("details_form", DetailsForm.of(product))
    history = [describe(e) for e in search(AuditFilters(q=product.code), limit=50)]
    return render_template(
        "office/product.html",
        product=product,
        history=history,
        today=clock.today(),
        level_warnings={c.id: certificates.level_warning(c) for c in product.certificates},
        **forms,
    ), status


@bp.route("/products/<code>", methods=["GET", "POST"])
def product(code: str):
    product = catalogue.get_product(code)
    if request.method == "GET":
        return _product_page(product)
    form = ProductForm()
    _product_choices(form)
    if not form.validate():
        return _product_page(product, 400, form=form)
    version = int(form.version.data or 0)
    if carry_out(
        form,
        lambda: catalogue.update_product(
            current_user, product.code, _product_fields(form), version
        ),
    ):
        flash(_("The product is saved."), "success")
        return redirect(url_for(".product", code=product.code))
    fresh = catalogue.get_product(code)
    # Saved by someone else since the form was opened (409): show their version to build on.
    changed_meanwhile = fresh.version != version
    form.version.data = fresh.version
    return _product_page(fresh, 409 if changed_meanwhile else 400, form=form)


@bp.post("/products/<code>/texts")
def product_texts(code: str):
    """What buyers read of a product, corrected by the office (a claim the law does not allow, a
    wrong weight): the producer's own service, so the same checks and the same audit entry,
    under the officer's name. Saved by someone else since the form was read: the page again
    with what was typed and their version to build on (409)."""
    product = catalogue.get_product(code)
    form = DetailsForm(prefix="details")
    try:
        done = form.validate() and carry_out(
            form,
            lambda: producer_products.update_details(
                current_user, product.id, form.content(), form.version.data
            ),
            let_through=(ChangedMeanwhile,),
        )
    except ChangedMeanwhile as conflict:
        form.version.data, form.version.raw_data = conflict.product.version, None
        form.description.errors = [conflict.message]
        return _product_page(conflict.product, 409, details_form=form)
    if not done:
        return _product_page(product, form_status(form), details_form=form)
    flash(_("What buyers read is saved."), "success")
    return redirect(url_for(".product", code=product.code))


@bp.post("/products/<code>/review")
def review_product(code: str):
    approve = request.form.get("decision") == "approve"
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: catalogue.review_product(current_user, code, approve, form.reason.data),
        lambda product: (
            _(
                "%(name)s is approved. Issue its certificate to put it in the shop.",
                name=product.name,
            )
            if approve
            else _("%(name)s is rejected.", name=product.name)
        ),
        url_for(".product", code=code),
    )


@bp.post("/products/<code>/listing")
def product_listing(code: str):
    listed = request.form.get("listed") == "1"
    form = ReasonForm()
    return act_and_return(
        form,
        lambda: catalogue.set_listing(current_user, code, listed, form.reason.data),
        lambda product: (
            _("%(name)s is listed.", name=product.name)
            if listed
            else _("%(name)s is unlisted; it left the shop.", name=product.name)
        ),
        url_for(".product", code=code),
    )


def _product_choices(form) -> None:
    form.producer.choices = producer_choices()
    form.region.choices = region_choices(blank="")


def _product_fields(form) -> catalogue.ProductFields:
    return catalogue.ProductFields(
        **{name: form[name].data or "" for name in catalogue.ProductFields.__dataclass_fields__}
    )


# --- notices by kind of product --------------------------------------------------------------


@bp.route("/notices", methods=["GET", "POST"])
def notice_rules():
    """The rules that put the law's notices (under-18, not a medicine) on a group's products."""
    form = NoticeRuleForm()
    if form.validate_on_submit() and carry_out(
        form,
        lambda: notices.add_rule(
            current_user, form.group.data, form.subgroup.data or "", form.notice.data
        ),
    ):
        flash(_("The notice is shown on the products of that group from now on."), "success")
        return redirect(url_for(".notice_rules"))
    return render_template(
        "office/notices.html",
        form=form,
        rules=catalog_notices.rules(),
        subgroups=catalogue.subgroups_in_use(),
        delete_form=ButtonForm(),
    ), form_status(form)


@bp.post("/notices/<int:rule_id>/delete")
def delete_notice_rule(rule_id: int):
    return act_and_return(
        ButtonForm(),
        lambda: notices.remove_rule(current_user, rule_id),
        lambda _rule: _("The rule is removed."),
        url_for(".notice_rules"),
    )


# --- certificates ----------------------------------------------------------------------------


@bp.get("/certificates")
def certificate_list():
    status = request.args.get("status") or None
    q = request.args.get("q", "")[:200]
    today = clock.today()
    if status == "expiring":
        rows = certificates.expiring(today, 90)
    else:
        rows = certificates.list_certificates(today, status, q=q)
    return render_template(
        "office/certificates.html", certificates=rows, status=status, today=today, q=q
    )


@bp.post("/products/<code>/certificates")
def issue_certificate(code: str):
    product = catalogue.get_product(code)
    form = CertificateForm(prefix="cert")
    if not form.validate():
        return _product_page(product, 400, certificate_form=form)
    decision = certificates.Decision(
        decision_number=form.decision_number.data,
        level=form.level.data,
        issued_on=form.issued_on.data,
        score=form.score.data,
        stars=form.stars.data,
    )
    done = carry_out(
        form,
        lambda: certificates.issue_certificate(current_user, product.code, decision, clock.today()),
    )
    if not done:
        return _product_page(catalogue.get_product(code), 400, certificate_form=form)
    certificate = done.value
    if certificate.status == CertificateStatus.ACTIVE:
        recorded = _(
            "Certificate %(number)s is recorded: %(stars)d stars until %(date)s.",
            number=certificate.decision_number,
            stars=certificate.stars,
            date=format_day(certificate.expires_on),
        )
    else:
        recorded = _(
            "Decision %(number)s is recorded as history (%(state)s).",
            number=certificate.decision_number,
            state=CERTIFICATE_STATE_NAMES[certificate.state_on(clock.today())],
        )
    flash(recorded, "success")
    warning = certificates.level_warning(certificate)
    if warning:
        flash(warning, "warning")
    return redirect(url_for(".product", code=product.code))


@bp.post("/certificates/<int:certificate_id>/scan")
def certificate_scan_upload(certificate_id: int):
    form = DecisionScanForm(prefix="scan")
    held = db.session.get(Certificate, certificate_id)
    if held is None:
        abort(404)
    code = held.product.code
    if not form.validate():
        for message in messages(form):
            flash(message, "error")
        return redirect(url_for(".product", code=code))
    done = carry_out_flashed(
        form,
        lambda: certificates.attach_decision_scan(
            current_user, certificate_id, form.file.data.read()
        ),
    )
    if done:
        flash(
            _("The scanned decision %(number)s is kept.", number=done.value.decision_number),
            "success",
        )
    return redirect(url_for(".product", code=code))


@bp.get("/certificates/<int:certificate_id>/scan")
def certificate_scan(certificate_id: int):
    path = certificates.decision_scan_path(certificate_id)
    kind = "application/pdf" if path.suffix == ".pdf" else "image/jpeg"
    response = Response(path.read_bytes(), mimetype=kind)  # a few MB at most (MAX_IMAGE_BYTES)
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/certificates/<int:certificate_id>/revoke")
def revoke_certificate(certificate_id: int):
    form = RevokeForm(prefix="revoke")
    if not form.validate():
        abort(400)
    done = carry_out(
        form,
        lambda: certificates.revoke_certificate(
            current_user, certificate_id, form.reason.data, form.revoked_on.data, clock.today()
        ),
    )
    if not done:
        held = db.session.get(Certificate, certificate_id)
        return _product_page(catalogue.get_product(held.product.code), 400, revoke_form=form)
    certificate = done.value
    flash(
        _(
            "Certificate %(number)s is revoked; the product left the shop.",
            number=certificate.decision_number,
        ),
        "success",
    )
    return redirect(url_for(".product", code=certificate.product.code))
