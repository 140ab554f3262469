import click
from flask.cli import AppGroup

from storefront.outbox import services

outbox_cli = AppGroup("outbox", help="E-mail waiting to be sent (run from cron).")


@outbox_cli.command("send")
def send():
    """Send every due e-mail: retries, and any a process did not send after its commit. Safe to
    run on several machines at once: each message is claimed by one sender."""
    report = services.deliver()
    click.echo(
        f"{report.sent} sent, {report.logged} logged (no MAIL_SERVER), "
        f"{report.retrying} to retry, {report.failed} failed for good."
    )
