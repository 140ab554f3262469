import click
from flask.cli import AppGroup

from storefront import clock
from storefront.extensions import db
from storefront.register import national

regions_cli = AppGroup("regions", help="Administrative units.")


@regions_cli.command("sync")
def sync():
    """Load or update Vietnam's provinces and communes (since 1 July 2025) from the installed
    vietnam-provinces package. Safe to repeat: a second run changes nothing."""
    report = national.sync(clock.today(), progress=lambda message: click.echo(f"… {message}"))
    db.session.commit()
    for label, codes in (
        ("added", report.added),
        ("renamed", report.renamed),
        ("moved to another province", report.moved),
        ("no longer listed, closed", report.closed),
    ):
        if codes and label != "added":
            click.echo(f"{label}: " + "; ".join(codes[:50]) + (" …" if len(codes) > 50 else ""))
    click.echo(
        ("Regions updated: " if report.changed else "Regions already up to date: ")
        + report.summary()
    )
