import click
from flask.cli import AppGroup

from storefront.catalog import listing_model
from storefront.extensions import db

catalog_cli = AppGroup("catalog", help="The catalogue's read model.")


@catalog_cli.command("check-listing")
def check_listing():
    """Rebuild the listing read model from products, certificates and stock, and report every
    row that had drifted from them (exit status 1 when any had)."""
    drift = listing_model.check()
    db.session.commit()
    for label, ids in (
        ("missing (sellable, no row)", drift.missing),
        ("extra (a row, not sellable)", drift.extra),
        ("different", drift.different),
    ):
        shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
        click.echo(f"{label}: {len(ids)}" + (f" — product ids {shown}" if ids else ""))
    if drift:
        click.echo("The listing has been rebuilt.")
        raise SystemExit(1)
    click.echo("The listing was in step; rebuilt anyway.")
