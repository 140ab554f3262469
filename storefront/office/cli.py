import click
from flask.cli import AppGroup

from storefront import clock
from storefront.extensions import db
from storefront.office import certificates as certification

certificates_cli = AppGroup("certificates", help="OCOP certificates: expiry and warnings.")


@certificates_cli.command("expire")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Act as if it were this day (default: today in Asia/Ho_Chi_Minh).",
)
def expire(today):
    """Mark certificates past their date as expired and send the 90- and 30-day warnings.
    Run it daily from cron; running it twice changes nothing more."""
    day = today.date() if today else clock.today()
    expired, warned = certification.run_expiry(day)
    db.session.commit()
    click.echo(f"{expired} certificates expired; expiry warnings sent for {warned}.")
