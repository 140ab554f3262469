from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from storefront.accounts import bp, services
from storefront.accounts.forms import (
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    RegisterForm,
    ResetCodeForm,
    ResetPasswordForm,
)
from storefront.accounts.models import Role
from storefront.accounts.sessions import start_session
from storefront.extensions import db, limiter
from storefront.links import safe_next
from storefront.outbox.services import latest_messages
from storefront.submissions import carry_out, form_status

# Where each role starts after signing in (when that back office exists in this build).
HOME_BY_ROLE = {
    Role.OFFICE: "office.dashboard",
    Role.PRODUCER: "producers.dashboard",
    Role.STAFF: "showrooms.pos.counter",
}


def _rate(name: str):
    return lambda: current_app.config[name]


def _typed_mobile() -> str | None:
    """The mobile number a reset form carries (its rate limit counts per number)."""
    return services.normalise_mobile(
        request.form.get("identifier") or request.form.get("phone") or ""
    )


def _per_number() -> str:
    return f"mobile:{_typed_mobile()}"


def _no_number() -> bool:
    return _typed_mobile() is None


def _landing(user) -> str:
    endpoint = HOME_BY_ROLE.get(user.role)
    home = url_for(endpoint if endpoint in current_app.view_functions else "accounts.account")
    return safe_next(request.args.get("next"), home)


def _has_remember_cookie() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_rate("LOGIN_RATE_LIMIT"), methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_landing(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.identifier.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The e-mail/number or the password is not right."))
        else:
            start_session(user, remember=form.remember.data)
            db.session.commit()
            return redirect(_landing(user))
    return render_template("accounts/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
        if current_user.is_authenticated:
            services.end_sign_in(current_user._get_current_object())
            db.session.commit()
        logout_user()
        flash(_("You are signed out."), "info")
        return redirect(url_for("catalog.home"))
    return render_template("accounts/logout.html", form=form)


@bp.route("/dang-ky", methods=["GET", "POST"])
@limiter.limit(_rate("LOGIN_RATE_LIMIT"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    identifier = form.identifier.data
    if form.validate_on_submit() and carry_out(
        form,
        lambda: services.register_customer(identifier, form.password.data, form.name.data or ""),
        on_field="identifier",
    ):
        # The same page whether the address was new or taken (the e-mail says which).
        return render_template(
            "accounts/register_sent.html",
            email=services.normalise_email(identifier),
            phone=services.normalise_mobile(identifier),
            next=request.args.get("next"),
        )
    return render_template("accounts/register.html", form=form), form_status(form)


@bp.route("/tai-khoan", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    user = current_user._get_current_object()  # the User itself, never the proxy
    if form.validate_on_submit() and carry_out(
        form,
        lambda: services.change_password(user, form.current.data, form.password.data),
        on_field="password",
    ):
        # Every other session has ended; this device goes on under the new version.
        start_session(user, remember=_has_remember_cookie())
        db.session.commit()
        flash(_("Your password is changed."), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form), form_status(form)


@bp.post("/tai-khoan/dang-xuat-moi-noi")
@login_required
def logout_everywhere():
    if not LogoutForm().validate_on_submit():
        abort(400)
    services.sign_out_everywhere(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@limiter.limit(_rate("RESET_RATE_LIMIT"), methods=["POST"])
@limiter.limit(
    _rate("SMS_CODE_RATE_LIMIT"), key_func=_per_number, exempt_when=_no_number, methods=["POST"]
)
def forgot_password():
    """An e-mail address gets a link; a mobile number gets a six-digit code by SMS (the same
    page follows whether it has an account or not)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if phone := services.normalise_mobile(form.identifier.data):
            services.request_reset_code(phone)
            db.session.commit()
            return redirect(url_for(".reset_with_code", so=phone))
        services.request_password_reset(form.identifier.data)
        db.session.commit()
        return render_template("accounts/reset_sent.html")
    return render_template("accounts/forgot.html", form=form), form_status(form)


@bp.route("/quen-mat-khau/ma", methods=["GET", "POST"])
@limiter.limit(_rate("RESET_RATE_LIMIT"), methods=["POST"])
@limiter.limit(
    _rate("SMS_CODE_TRY_RATE_LIMIT"),
    key_func=_per_number,
    exempt_when=_no_number,
    methods=["POST"],
)
def reset_with_code():
    """The code texted to the number, and a new password."""
    form = ResetCodeForm()
    if request.method == "GET":
        form.phone.data = services.normalise_mobile(request.args.get("so", "")) or ""
    elif form.validate_on_submit():
        phone = services.normalise_mobile(form.phone.data)
        try:
            if phone is None:
                raise services.WrongResetCode(_("This is not a Vietnamese mobile number."))
            user = services.reset_password_with_code(phone, form.code.data, form.password.data)
        except services.WrongResetCode as error:
            db.session.commit()  # the wrong try counts against the code
            form.code.errors.append(str(error))
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            start_session(user)
            db.session.commit()
            flash(_("Your new password is set."), "success")
            return redirect(_landing(user))
    return render_template("accounts/reset_code.html", form=form), form_status(form)


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
@limiter.limit(_rate("RESET_RATE_LIMIT"), methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except services.AccountError as error:
        return render_template("accounts/reset_invalid.html", reason=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit() and (
        done := carry_out(
            form, lambda: services.reset_password(token, form.password.data), on_field="password"
        )
    ):
        start_session(done.value)
        db.session.commit()
        flash(_("Your new password is set."), "success")
        return redirect(_landing(done.value))
    return render_template("accounts/reset.html", form=form), form_status(form)


@bp.get("/dev/outbox")
def dev_outbox():
    """Development only: the latest e-mails and text messages the shop wrote (what a developer's
    phone would have received: reset codes, order notices). Never in production."""
    if current_app.config["STOREFRONT_ENV"] != "development":
        abort(404)  # production, or any environment that is not a developer's own
    return render_template("accounts/dev_outbox.html", messages=latest_messages(30))
