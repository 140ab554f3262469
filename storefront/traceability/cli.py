import click
from flask import current_app
from flask.cli import AppGroup

from storefront import clock
from storefront.extensions import db
from storefront.traceability import scan_counts

scans_cli = AppGroup("scans", help="/q/ scan counts for the office's counterfeit signals (cron).")


@scans_cli.command("fold")
def fold():
    """Move the counts waiting in Redis into the database (every minute from cron when REDIS_URL
    is set; without Redis the shop writes them itself). Safe to run on several machines at once."""
    written = scan_counts.fold(current_app._get_current_object())
    click.echo(f"{written} scans written.")


@scans_cli.command("compact")
@click.option("--keep-days", type=int, default=None, help="Default: SCAN_RETENTION_DAYS (400).")
def compact(keep_days: int | None):
    """Sum day counts older than the retention period into one row per month (daily from cron)."""
    keep = keep_days if keep_days is not None else current_app.config["SCAN_RETENTION_DAYS"]
    summed = scan_counts.sum_old_days_by_month(clock.today(), keep)
    db.session.commit()
    click.echo(f"{summed} day rows older than {keep} days summed by month.")
