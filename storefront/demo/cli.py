import click
from flask import current_app
from flask.cli import with_appcontext

from storefront.demo import seed
from storefront.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load the demo data set (real OCOP producers and products) once."""
    if seed.already_loaded():
        click.echo("Demo data is loaded already; nothing changed.")
        return
    try:
        accounts = seed.load_demo(progress=click.echo)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    lines = [f"  {a.role:<9} {a.email:<28} {a.password}   {a.note}" for a in accounts]
    path = seed.write_accounts_file(current_app.instance_path, lines)
    click.echo(f"\nDemo accounts (also kept in {path}):")
    click.echo("\n".join(lines))
