"""US-dollar values from offline exchange rates (the ECB history bundled in currencyconverter).

>>> import datetime as dt
>>> rate, day = usd_rate("USD", dt.date(2025, 9, 22))
>>> (str(rate), day.isoformat())
('1', '2025-09-22')
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from importlib.metadata import version

RATE_PLACES = Decimal("0.0000000001")


@cache
def _converter():
    from currency_converter import CurrencyConverter

    return CurrencyConverter(decimal=True, fallback_on_missing_rate=True)


def rate_source() -> str:
    """Where the rates come from, with the data package version (it fixes the figures)."""
    return f"ECB euro reference rates via currencyconverter {version('currencyconverter')}"


def usd_rate(currency: str, day: dt.date) -> tuple[Decimal, dt.date]:
    """US dollars per unit of ``currency`` on ``day`` and the day whose rate was used.

    Weekends and holidays have no ECB rate; the converter then interpolates between the nearest
    days, and the day asked for is the one reported.
    """
    if currency == "USD":
        return Decimal(1), day
    conv = _converter()
    if currency not in conv.currencies:
        raise ValueError(f"no exchange rate for {currency}")
    first, last = conv.bounds[currency]
    used = min(max(day, first), last)
    rate = conv.convert(Decimal(1), currency, "USD", date=used)
    return Decimal(rate).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN), used


def to_usd(value: int | float | Decimal, rate: Decimal) -> Decimal:
    """``value`` in US dollars, rounded to whole dollars."""
    return (Decimal(str(value)) * rate).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
