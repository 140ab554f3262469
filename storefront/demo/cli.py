import time

import click
from flask import current_app
from flask.cli import with_appcontext

from storefront.demo import seed, synthetic
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


@click.command("seed-synthetic")
@click.option("--products", default=100_000, show_default=True, help="How many to add.")
@with_appcontext
def seed_synthetic(products: int):
    """Add synthetic certified products (for benchmarks; clearly marked, codes SYN…)."""
    start = time.perf_counter()
    try:
        added = synthetic.load_synthetic(products, progress=click.echo)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    synthetic.refresh_statistics()
    click.echo(f"{added} synthetic products added in {time.perf_counter() - start:.1f} s.")
