"""Dates as pages state them: month names by language, and parsing a line's date.

The text-dump parser (:func:`parse_date`), the text model's "looks like a date" feature and
the HTML byline's trailing date read different month vocabularies; all three live here.
"""

from __future__ import annotations

import re

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar jänner janvier enero janeiro gennaio gen januari januar stycznia",
        "february feb febr februar février fevrier febrero fevereiro fev febbraio februari",
        "march mar märz maerz mars marzo março marco maart mrt",
        "april apr avril abril aprile abr",
        "may mai mayo maio maggio mei",
        "june jun juni juin junio junho giugno",
        "july jul juli juillet julio julho luglio",
        "august aug août aout agosto augustus ago",
        "september sep sept septembre septiembre setembro set settembre",
        "october oct oktober octobre octubre outubro out ottobre okt",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dezembro dez dicembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d\d")
# A time after a date: "12:46", "8:00am", "9:41 a.m.", "08h05".
_TIME = re.compile(
    r"^(?:[,T]|\s|às|at|um|à|a las|alle|om|kl\.?|-|\|)*(?P<h>[0-2]?\d)[:h](?P<min>[0-5]\d)"
    r"(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?",
    re.I,
)
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"(?<!\d)(?:{_YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\d)"), "ymd"),
    (re.compile(rf"(?<!\d){_YEAR}年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日"), "ymd"),
    (
        re.compile(
            rf"(?<!\w)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?(?:\s*de)?[\s.-]*(?P<mon>{_MONTH})\b\.?(?:\s*de)?"
            rf"[\s.,-]*{_YEAR}(?!\d)",
            re.I,
        ),
        "dmy-name",
    ),
    (re.compile(rf"\b(?P<mon>{_MONTH})\b\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)", re.I), "mdy-name"),
    (re.compile(rf"(?<![\d.])(?P<a>\d{{1,2}})([./])(?P<b>\d{{1,2}})\2{_YEAR}(?![\d.])"), "numeric"),
)


def parse_date(text: str, language: str | None = None) -> str | None:
    """The first calendar date a line states, as ``YYYY-MM-DD`` (with ``THH:MM`` when the
    line gives the time right after it). Relative dates ("2 hours ago", "today") are not
    dates: nothing is worked out from the current time.

    >>> parse_date("Monday 14 March 2022")
    '2022-03-14'
    >>> parse_date("by Tom Marsh March 3, 2021: 10:15 AM ET")
    '2021-03-03'
    >>> parse_date("4 de mayo de 2020 9:00")
    '2020-05-04T09:00'
    >>> parse_date("Updated 2021-07-09 08:30")
    '2021-07-09T08:30'
    >>> parse_date("posted on June 3, 2019, at 9:41 a.m.")
    '2019-06-03T09:41'
    >>> parse_date("14.mar.2020 às 08h05")
    '2020-03-14T08:05'
    >>> parse_date("Updated 2 hours ago") is None
    True
    >>> parse_date("It cost 12 dollars") is None
    True
    """
    if not _YEAR_ANYWHERE.search(text):
        return None  # every pattern has a four-digit year; most lines have none
    for pattern, kind in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            year = int(match.group("y"))
            if kind == "numeric":
                first, second = int(match.group("a")), int(match.group("b"))
                # Month first only where the page is in English and the numbers allow it.
                month_first = language in (None, "en") and first <= 12
                month, day = (first, second) if month_first else (second, first)
            else:
                day = int(match.group("d"))
                month = int(match.group("m")) if kind == "ymd" else _MONTHS[match.group("mon").casefold()]
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}" + _time_after(text[match.end() :])
    return None


def _time_after(text: str) -> str:
    match = _TIME.match(text)
    if not match:
        return ""
    hour, minute = int(match.group("h")), int(match.group("min"))
    ampm = (match.group("ampm") or "").casefold()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return f"T{hour:02d}:{minute:02d}" if hour < 24 else ""


# A date or time after the name: "Jane Doe 1:39 PM", "Jane Doe Monday, November 18, 2019",
# "Jane Doe on 11/13/19", "Jane Doe November 19th, 2019".
_ENGLISH_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september"
    "|october|november|december"
)


_DATE_LIKE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|(19|20)\d{2}|\d{1,2}:\d{2}|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|"
    r"junho|julho|setembro|outubro|novembro|dezembro|am|pm|gmt|utc|est|edt|pst|pdt|cet|cest|bst)\b",
    re.I,
)
