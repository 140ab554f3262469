from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from storefront.accounts import bp, services
from storefront.accounts.forms import (
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    RegisterForm,
    ResetPasswordForm,
)
from storefront.accounts.models import Role
from storefront.extensions import db, limiter
from storefront.i18n import safe_next

# Where each role starts after signing in (when that back office exists in this build).
HOME_BY_ROLE = {
    Role.OFFICE: "office.dashboard",
    Role.PRODUCER: "producers.dashboard",
    Role.STAFF: "showrooms.pos.counter",
}


def _rate(name: str):
    return lambda: current_app.config[name]


def _landing(user) -> str:
    target = request.args.get("next")
    if target:
        return safe_next(target)
    endpoint = HOME_BY_ROLE.get(user.role)
    if endpoint in current_app.view_functions:
        return url_for(endpoint)
    return url_for("accounts.account")


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
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(_landing(user))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
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
    if form.validate_on_submit():
        identifier = form.identifier.data
        try:
            services.register_customer(identifier, form.password.data, form.name.data or "")
        except services.AccountError as error:
            db.session.rollback()
            form.identifier.errors.append(str(error))
        else:
            db.session.commit()
            # The same page whether the address was new or taken (the e-mail says which).
            return render_template(
                "accounts/register_sent.html",
                email=services.normalise_email(identifier),
                phone=services.normalise_mobile(identifier),
                next=request.args.get("next"),
            )
    return render_template("accounts/register.html", form=form), 200 if not form.errors else 400


@bp.route("/tai-khoan", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this device stays signed in
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form), 200 if not form.errors else 400


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@limiter.limit(_rate("RESET_RATE_LIMIT"), methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.identifier.data)
        db.session.commit()
        return render_template("accounts/reset_sent.html")
    return render_template("accounts/forgot.html", form=form), 200 if not form.errors else 400


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
@limiter.limit(_rate("RESET_RATE_LIMIT"), methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except services.AccountError as error:
        return render_template("accounts/reset_invalid.html", reason=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your new password is set."), "success")
            return redirect(_landing(user))
    return render_template("accounts/reset.html", form=form), 200 if not form.errors else 400
