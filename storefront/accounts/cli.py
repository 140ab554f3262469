import click
from flask.cli import with_appcontext

from storefront.accounts import services
from storefront.accounts.models import Role
from storefront.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--producer", "producer_code", help="Producer code, for --role producer.")
@click.option("--showroom", "showroom_code", help="Showroom code, for --role staff.")
@click.option("--name", default="", help="The person's name, shown in the ledger.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user(email, role, producer_code, showroom_code, name, password):
    """Create an account with a role (office, producer, staff or customer)."""
    try:
        user = services.create_user(
            email,
            role,
            password,
            name=name,
            producer_code=producer_code,
            showroom_code=showroom_code,
        )
    except services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}")
