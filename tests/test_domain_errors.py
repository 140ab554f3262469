"""One way to fail: a service's refusal reaches the person with its kind's status and its message,
as the shop's page or as JSON, and a form shows it beside its field with nothing changed."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

import config as settings
from storefront import create_app, domain
from storefront.submissions import Done, carry_out, form_status

KINDS = [
    (domain.NotFound("No such showroom."), 404),
    (domain.NotAllowed("Only the office may do this."), 403),
    (domain.Conflict("Someone changed the price meanwhile."), 409),
    (domain.Refused("Only 3 left."), 400),
]


@pytest.fixture(scope="module")
def refusing_app(tmp_path_factory):
    config = settings.TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('db') / 'x.db'}"
    app = create_app(config)

    @app.get("/refuse/<int:index>")
    def refuse(index: int):
        raise KINDS[index][0]

    return app


@pytest.mark.parametrize(("index", "status"), [(i, s) for i, (_, s) in enumerate(KINDS)])
def test_an_unhandled_refusal_answers_its_kind_with_its_message(refusing_app, index, status):
    client = refusing_app.test_client()
    page = client.get(f"/refuse/{index}")
    assert page.status_code == status
    assert KINDS[index][0].message in page.text
    assert "<html" in page.text.lower()

    api = client.get(f"/refuse/{index}", headers={"Accept": "application/json"})
    assert api.status_code == status
    assert api.json["reason"] == KINDS[index][0].message


def test_every_feature_error_is_a_domain_error():
    from storefront.catalog.images import ImageRejected
    from storefront.catalog.pricing import ChangedMeanwhile
    from storefront.inventory.services import OutOfStock
    from storefront.office.errors import NotFound as OfficeNotFound
    from storefront.orders.services import InvalidTransition
    from storefront.producers.access import NotFound as PortalNotFound
    from storefront.showrooms.errors import NotFound as ShowroomNotFound

    assert issubclass(OfficeNotFound, domain.NotFound)
    assert issubclass(ShowroomNotFound, domain.NotFound)
    assert issubclass(ChangedMeanwhile, domain.Conflict)
    assert issubclass(PortalNotFound, domain.NotFound)
    for refusal in (ImageRejected, OutOfStock, InvalidTransition):
        assert issubclass(refusal, domain.Refused)


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()


def test_carry_out_commits_a_result_and_puts_a_refusal_beside_its_field(refusing_app):
    with refusing_app.test_request_context(method="POST", data={"name": "KoRa"}):
        form = NameForm()
        assert carry_out(form, lambda: "saved") == Done("saved")
        assert form_status(form) == 200

        def refuse():
            raise domain.Refused("That name is taken.", field="name")

        assert carry_out(form, refuse) is None
        assert form.name.errors == ["That name is taken."]
        assert form_status(form) == 400

        def refuse_form():
            raise domain.Conflict("Someone changed it meanwhile.")

        assert carry_out(form, refuse_form) is None
        assert form.form_errors == ["Someone changed it meanwhile."]

        def missing():
            raise domain.NotFound("gone")

        with pytest.raises(domain.NotFound):  # not the form's business: the app answers 404
            carry_out(form, missing)
