"""Contact details on the Clients tab: phone numbers and e-mail addresses.

Phones are normalised to E.164 (`+12125550100`).  A number written with its
country code (`+84 ...` or `0084 ...`) needs nothing else.  A national number
(`(212) 555-0100`, `0912 345 678`) is read in the region the client's currency
points to: ISO 4217 codes start with the ISO 3166 country code of their issuer
(USD -> US, VND -> VN, GBP -> GB, AUD -> AU), so that country is the best guess
the workbook offers.  A currency with no single country (EUR, XAF, ...) or no
currency at all gives no region, and a national number then cannot be read.
Only numbers phonenumbers considers valid for their region are accepted.
"""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

__all__ = ["email_problem", "normalise_phone", "phone_region"]


def phone_region(currency: str | None) -> str | None:
    """The region a national phone number is read in for a client paying in `currency`."""
    if not currency:
        return None
    region = currency.strip().upper()[:2]
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def normalise_phone(text: str, currency: str | None = None) -> str | None:
    """`text` as an E.164 number, or None when it cannot be read as a valid number."""
    raw = text.strip()
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    region = None if raw.startswith("+") else phone_region(currency)
    if region is None and not raw.startswith("+"):
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def email_problem(text: str) -> str | None:
    """Why `text` is not a valid e-mail address (syntax only), or None when it is."""
    try:
        validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None
