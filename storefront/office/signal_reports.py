"""The office page "Tín hiệu hàng giả" (counterfeit signals): the scan counts as tables and
charts (office.charts.Report), each also as CSV and XLSX."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storefront.labels import CERTIFICATE_STATE_NAMES
from storefront.office.charts import Report, single_series
from storefront.traceability import signals

WINDOW_DAYS = 30


def window(today: date) -> signals.Window:
    return signals.Window.ending(today, WINDOW_DAYS)


def unknown_by_day(today: date) -> Report:
    rows = signals.unknown_scans_by_day(window(today))
    chart = single_series("bar", [[f"{d:%d/%m}", n] for d, n in rows], _("Scans"))
    return Report(
        "unknown-by-day",
        _("Scans of codes not in the register, by day"),
        [_("Day"), _("Scans")],
        rows,
        chart,
        note=_("A label whose code the register does not know is most likely not genuine."),
    )


def unknown_codes(today: date) -> Report:
    return Report(
        "unknown-codes",
        _("Codes not in the register, most scanned"),
        [_("Code tried"), _("Scans"), _("Last scanned")],
        signals.unknown_codes(window(today)),
        note=_("Codes are kept shortened to 24 characters."),
    )


def alarming_certificates(today: date) -> Report:
    rows = [
        [product, str(CERTIFICATE_STATE_NAMES.get(verdict, _("not certified"))), n, last]
        for product, verdict, n, last in signals.alarming_certificate_scans(window(today))
    ]
    chart = single_series("bar", [[r[0], r[2]] for r in rows[:15]], _("Scans"), horizontal=True)
    return Report(
        "certificates",
        _("Scans of products whose certificate was expired, revoked or replaced"),
        [_("Product"), _("Certificate"), _("Scans"), _("Last scanned")],
        rows,
        chart,
    )


def expired_batches(today: date) -> Report:
    rows = signals.batches_scanned_after_expiry(window(today))
    chart = single_series("bar", [[r[0], r[2]] for r in rows[:15]], _("Scans"), horizontal=True)
    return Report(
        "expired-batches",
        _("Batches scanned after their use-by date"),
        [_("Batch"), _("Use by"), _("Scans after it"), _("Last scanned")],
        rows,
        chart,
    )


def batches_beyond_units(today: date) -> Report:
    rows = signals.batches_scanned_beyond_units()
    chart = single_series(
        "bar", [[r[0], r[3]] for r in rows[:15]], _("Scans per unit"), horizontal=True
    )
    return Report(
        "beyond-units",
        _("Batches scanned many more times than they have units"),
        [_("Batch"), _("Units made"), _("Scans"), _("Scans per unit")],
        rows,
        chart,
        note=_(
            "At least %(n)d scans per unit made, since the batch was recorded: its label "
            "may have been copied.",
            n=signals.SCANS_PER_UNIT_WORTH_A_LOOK,
        ),
    )


SIGNAL_REPORTS = {
    "unknown-by-day": (_l("Unknown codes by day"), unknown_by_day),
    "unknown-codes": (_l("Unknown codes"), unknown_codes),
    "certificates": (_l("Expired or revoked certificates"), alarming_certificates),
    "expired-batches": (_l("Batches past their date"), expired_batches),
    "beyond-units": (_l("Batches scanned beyond their units"), batches_beyond_units),
}


def build(name: str, today: date) -> Report:
    return SIGNAL_REPORTS[name][1](today)


def build_all(today: date) -> list[Report]:
    return [build(name, today) for name in SIGNAL_REPORTS]
