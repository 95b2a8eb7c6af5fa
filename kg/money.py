"""Money: US-dollar values from offline exchange rates (the ECB history bundled in
currencyconverter), and the one way amounts and figures are written for people.

>>> import datetime as dt
>>> rate, day = usd_rate("USD", dt.date(2025, 9, 22))
>>> (str(rate), day.isoformat())
('1', '2025-09-22')
>>> format_amount(2e12, "KRW", 1e13)
'KRW 2 trillion to 10 trillion'
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

RATE_PLACES = Decimal("0.0000000001")
SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
ROUND_UP_FROM = 0.9995  # 999.7 million reads "1 billion": three significant digits round up


@cache
def _converter():
    from currency_converter import CurrencyConverter

    return CurrencyConverter(decimal=True, fallback_on_missing_rate=True)


@cache
def rate_source() -> str:
    """Where the rates come from, with the data package version (it fixes the figures)."""
    from importlib.metadata import version  # 25 ms to import: not on every command's start

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


# ----------------------------------------------------------------------------- writing amounts


def number_text(value) -> str:
    """A number for people: from a million up in words, to three significant digits (at least
    whole units), below that with thousands separators.

    >>> number_text(2_500_000_000), number_text(999_700_000), number_text(9_999_999_999_999)
    ('2.5 billion', '1 billion', '10 trillion')
    >>> number_text(672_400_000), number_text(60000), number_text(1.5)
    ('672 million', '60,000', '1.5')
    """
    for size, word in SCALES:
        if abs(value) >= size * ROUND_UP_FROM:
            q = value / size
            return f"{q:,.0f} {word}" if abs(q) >= 100 else f"{q:.3g} {word}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6g}"


def format_amount(value, currency: str, high=None) -> str:
    """An amount (``value``) or a range (``value`` to ``high``) in ``currency``; an empty string
    when there is no figure. A range with one end missing reads as that end.

    >>> format_amount(4e9, "USD"), format_amount(None, "GBP", 5e8), format_amount(None, "USD")
    ('USD 4 billion', 'GBP 500 million', '')
    """
    if value is None and high is None:
        return ""
    if value is None or high is None or value == high:
        return f"{currency} {number_text(value if high is None else high)}"
    return f"{currency} {number_text(value)} to {number_text(high)}"


def quantity_text(v: dict) -> str:
    """A figure from the literals of a quantity node (by kg predicate name):
    ``103 MW (capacity, target, by 2029)``.

    >>> quantity_text({"value": 60000, "unit": "GPUs", "quantityKind": "GPUs"})
    '60,000 GPUs'
    """
    about = [str(v[k]) for k in ("quantityKind", "qualifier") if v.get(k) and v[k] != v.get("unit")]
    if v.get("targetYear"):
        about.append(f"by {v['targetYear']}")
    figure = f"{number_text(v.get('value'))} {v.get('unit')}"
    return figure + (f" ({', '.join(about)})" if about else "")


def money_text(m: dict) -> str:
    """An amount for people: in its own currency (a value, or ``min`` to ``max``), the
    article's words for it, then in US dollars as the article states them and at the ECB rate.

    ``m`` has ``currency``, ``amount``, ``min``, ``max``, ``approximation``, ``stated_usd``,
    ``amount_usd``, ``min_usd``, ``max_usd``, ``usd_rate_date`` (missing keys count as none)
    and ``undisclosed``.

    >>> money_text({"currency": "GBP", "amount": 500_000_000, "stated_usd": 678_000_000,
    ...             "amount_usd": 674_819_567, "usd_rate_date": "2025-09-22"})
    'GBP 500 million (USD 678 million as stated; USD 675 million at the ECB rate of 2025-09-22)'
    >>> money_text({"currency": "KRW", "min": 2e12, "max": 1e13,
    ...             "approximation": "several trillion won"})
    'KRW 2 trillion to 10 trillion (“several trillion won”)'
    >>> money_text({"currency": None, "undisclosed": True})
    'undisclosed'
    """
    currency = m.get("currency")
    if currency is None:
        return "undisclosed" if m.get("undisclosed") else "no amount given"
    if m.get("amount") is not None:
        text = format_amount(m["amount"], currency)
        usd = format_amount(m.get("amount_usd"), "USD")
    else:
        text = format_amount(m.get("min"), currency, m.get("max"))
        usd = format_amount(m.get("min_usd"), "USD", m.get("max_usd"))
    notes = [f"“{m['approximation']}”"] if m.get("approximation") else []
    if currency != "USD":
        if m.get("stated_usd") is not None:
            notes.append(format_amount(m["stated_usd"], "USD") + " as stated")
        if usd:
            day = m.get("usd_rate_date")
            notes.append(usd + (f" at the ECB rate of {day}" if day else ""))
    return text + (f" ({'; '.join(notes)})" if notes else "")
