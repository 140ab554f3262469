"""Office pages for the register: dashboard, producers, products and certificates."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from storefront import clock
from storefront.audit.services import AuditFilters, search
from storefront.catalog.models import Certificate
from storefront.extensions import db
from storefront.office import bp, certificates
from storefront.office import dashboard as board
from storefront.office import producers as register
from storefront.office import products as catalogue
from storefront.office.errors import NotFound, OfficeError
from storefront.office.forms import (
    CertificateForm,
    ProducerForm,
    ProductForm,
    ReasonForm,
    RevokeForm,
)
from storefront.office.web import producer_choices, region_choices, show_error


@bp.get("/")
def dashboard():
    today = clock.today()
    certificates.run_expiry(today)  # lazily: no worker needed for expiry and its warnings
    db.session.commit()
    return render_template("office/dashboard.html", board=board.summary(today))


# --- producers -------------------------------------------------------------------------------


@bp.get("/producers")
def producers():
    return render_template("office/producers.html", producers=register.list_producers())


@bp.route("/producers/new", methods=["GET", "POST"])
def new_producer():
    form = ProducerForm()
    form.region.choices = region_choices()
    if form.validate_on_submit():
        try:
            producer = register.create_producer(current_user, _producer_fields(form))
        except OfficeError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is in the register.", name=producer.name), "success")
            return redirect(url_for(".producer", code=producer.code))
    return render_template(
        "office/producer.html", form=form, producer=None
    ), 400 if form.errors or form.form_errors else 200


@bp.route("/producers/<code>", methods=["GET", "POST"])
def producer(code: str):
    producer = _or_404(register.get_producer, code)
    form = ProducerForm(obj=None if request.method == "POST" else producer)
    form.region.choices = region_choices()
    if request.method == "GET":
        form.region.data = producer.region.code
    if form.validate_on_submit():
        try:
            register.update_producer(current_user, producer.code, _producer_fields(form))
        except OfficeError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The producer is saved."), "success")
            return redirect(url_for(".producer", code=producer.code))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "office/producer.html", form=form, producer=producer, reason_form=ReasonForm(formdata=None)
    ), status


@bp.post("/producers/<code>/active")
def producer_active(code: str):
    form = ReasonForm()
    if not form.validate():
        abort(400)
    try:
        producer = register.set_producer_active(
            current_user, code, request.form.get("active") == "1", form.reason.data
        )
    except NotFound:
        abort(404)
    except OfficeError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".producer", code=code))
    db.session.commit()
    flash(
        _("%(name)s is active.", name=producer.name)
        if producer.active
        else _("%(name)s is deactivated; its products left the shop.", name=producer.name),
        "success",
    )
    return redirect(url_for(".producer", code=producer.code))


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
    if form.validate_on_submit():
        try:
            product = catalogue.create_product(current_user, _product_fields(form))
        except OfficeError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is registered. Issue its certificate to put it in the shop.",
                    name=product.name,
                ),
                "success",
            )
            return redirect(url_for(".product", code=product.code))
    return render_template(
        "office/product_new.html", form=form
    ), 400 if form.errors or form.form_errors else 200


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
    history = search(AuditFilters(q=product.code), limit=50)
    return render_template(
        "office/product.html", product=product, history=history, today=clock.today(), **forms
    ), status


@bp.route("/products/<code>", methods=["GET", "POST"])
def product(code: str):
    product = _or_404(catalogue.get_product, code)
    if request.method == "GET":
        return _product_page(product)
    form = ProductForm()
    _product_choices(form)
    if not form.validate():
        return _product_page(product, 400, form=form)
    try:
        catalogue.update_product(
            current_user, product.code, _product_fields(form), int(form.version.data or 0)
        )
    except (OfficeError, catalogue.ChangedMeanwhile) as error:
        show_error(form, error)
        fresh = catalogue.get_product(code)
        form.version.data = fresh.version
        return _product_page(
            fresh, 409 if isinstance(error, catalogue.ChangedMeanwhile) else 400, form=form
        )
    db.session.commit()
    flash(_("The product is saved."), "success")
    return redirect(url_for(".product", code=product.code))


@bp.post("/products/<code>/review")
def review_product(code: str):
    approve = request.form.get("decision") == "approve"
    return _reasoned_product_change(
        code,
        lambda reason: catalogue.review_product(current_user, code, approve, reason),
        lambda product: (
            _(
                "%(name)s is approved. Issue its certificate to put it in the shop.",
                name=product.name,
            )
            if approve
            else _("%(name)s is rejected.", name=product.name)
        ),
    )


@bp.post("/products/<code>/listing")
def product_listing(code: str):
    listed = request.form.get("listed") == "1"
    return _reasoned_product_change(
        code,
        lambda reason: catalogue.set_listing(current_user, code, listed, reason),
        lambda product: (
            _("%(name)s is listed.", name=product.name)
            if listed
            else _("%(name)s is unlisted; it left the shop.", name=product.name)
        ),
    )


def _reasoned_product_change(code: str, change, success_message):
    """Read the reason, make one change to a product, say how it went, back to its page."""
    form = ReasonForm()
    if not form.validate():
        abort(400)
    try:
        product = change(form.reason.data)
    except NotFound:
        abort(404)
    except OfficeError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".product", code=code))
    db.session.commit()
    flash(success_message(product), "success")
    return redirect(url_for(".product", code=product.code))


def _product_choices(form) -> None:
    form.producer.choices = producer_choices()
    form.region.choices = region_choices(blank="")


def _product_fields(form) -> catalogue.ProductFields:
    return catalogue.ProductFields(
        **{name: form[name].data or "" for name in catalogue.ProductFields.__dataclass_fields__}
    )


# --- certificates ----------------------------------------------------------------------------


@bp.get("/certificates")
def certificate_list():
    status = request.args.get("status") or None
    today = clock.today()
    if status == "expiring":
        rows = certificates.expiring(today, 90)
    else:
        rows = certificates.list_certificates(status)
    return render_template(
        "office/certificates.html", certificates=rows, status=status, today=today
    )


@bp.post("/products/<code>/certificates")
def issue_certificate(code: str):
    product = _or_404(catalogue.get_product, code)
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
    try:
        certificate = certificates.issue_certificate(
            current_user, product.code, decision, clock.today()
        )
    except OfficeError as error:
        show_error(form, error)
        return _product_page(catalogue.get_product(code), 400, certificate_form=form)
    db.session.commit()
    flash(
        _(
            "Certificate %(number)s is recorded: %(stars)d stars until %(date)s.",
            number=certificate.decision_number,
            stars=certificate.stars,
            date=certificate.expires_on.strftime("%d/%m/%Y"),
        ),
        "success",
    )
    return redirect(url_for(".product", code=product.code))


@bp.post("/certificates/<int:certificate_id>/revoke")
def revoke_certificate(certificate_id: int):
    form = RevokeForm(prefix="revoke")
    if not form.validate():
        abort(400)
    try:
        certificate = certificates.revoke_certificate(
            current_user, certificate_id, form.reason.data, form.revoked_on.data, clock.today()
        )
    except NotFound:
        abort(404)
    except OfficeError as error:
        show_error(form, error)
        held = db.session.get(Certificate, certificate_id)
        return _product_page(catalogue.get_product(held.product.code), 400, revoke_form=form)
    db.session.commit()
    flash(
        _(
            "Certificate %(number)s is revoked; the product left the shop.",
            number=certificate.decision_number,
        ),
        "success",
    )
    return redirect(url_for(".product", code=certificate.product.code))


def _or_404(getter, code):
    try:
        return getter(code)
    except NotFound:
        abort(404)
