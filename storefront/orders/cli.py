import click
from flask.cli import AppGroup

from storefront.extensions import db
from storefront.orders import expiry

orders_cli = AppGroup("orders", help="Order housekeeping (run from cron).")


@orders_cli.command("expire")
def expire():
    """Expire unpaid orders past their time and release their reserved units."""
    count = expiry.expire_due_orders()
    db.session.commit()
    click.echo(f"{count} unpaid order(s) expired.")
