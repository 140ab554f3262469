"""CSV import pages: upload and check (nothing changes), then confirm (all rows or none), with
the progress streamed into the page as rows are imported."""

from flask import Response, abort, render_template, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from storefront.extensions import db
from storefront.office import bp, imports
from storefront.office.forms import ConfirmImportForm, UploadForm
from storefront.submissions import carry_out

PROGRESS_MARK = "<!-- progress -->"


@bp.route("/import/<kind>", methods=["GET", "POST"])
def import_csv(kind: str):
    if kind not in imports.KINDS:
        abort(404)
    form = UploadForm()
    checked, token = None, None
    if form.validate_on_submit():
        data = form.file.data.read()
        checked = imports.check(kind, data)
        if checked.ok:
            token = imports.keep_upload(data, current_user.id)
    status = 400 if form.errors or (checked and not checked.ok) else 200
    return _page(kind, form, checked, token), status


def _page(kind, form, checked, token):
    required, optional = imports.columns(kind)
    return render_template(
        "office/import.html",
        kind=kind,
        form=form,
        checked=checked,
        confirm_form=ConfirmImportForm(formdata=None, token=token),
        required=required,
        optional=optional,
    )


@bp.post("/import/<kind>/confirm")
def confirm_import(kind: str):
    if kind not in imports.KINDS:
        abort(404)
    form = ConfirmImportForm()
    if not form.validate():
        abort(400)
    actor = current_user._get_current_object()
    upload = UploadForm(formdata=None)
    loaded = carry_out(upload, lambda: imports.load_upload(form.token.data, actor.id))
    if not loaded:
        return _page(kind, upload, None, None), 400
    checked = imports.check(kind, loaded.value)  # again: the register may have changed meanwhile
    if not checked.ok:
        return _page(kind, UploadForm(formdata=None), checked, None), 400
    page = render_template("office/import_run.html", kind=kind, total=len(checked.rows))
    head, tail = page.split(PROGRESS_MARK, 1)

    def progress():
        yield head
        total = len(checked.rows)
        try:
            for done in imports.run(actor, checked):
                yield (
                    f'<p class="import-step"><progress max="{total}" value="{done}"></progress> '
                    f"{done} / {total}</p>\n"
                )
            db.session.commit()
        except Exception:  # nothing is half-imported: the transaction goes back whole
            db.session.rollback()
            failed = _("The import failed; nothing was imported.")
            yield f'<p class="flash flash-error">{failed}</p>'
        else:
            imports.discard_upload(form.token.data, actor.id)
            yield (
                '<p class="flash flash-success" id="import-done">'
                + _("Done: %(n)d rows imported.", n=total)
                + "</p>"
            )
        yield tail

    # Behind nginx the progress would otherwise arrive all at once, at the end.
    return Response(
        stream_with_context(progress()),
        mimetype="text/html",
        headers={"X-Accel-Buffering": "no"},
    )
