"""Who runs the portal and how to reach them (`contact` in site_config.yaml, and a
policy's own `contact` in its front matter): the shape of each field, checked the same
way in both places, and the `tel:` address of a telephone number.

Decree 42/2022/NĐ-CP asks a state portal to name the agency that runs it and how to
reach it; a reader on a phone taps the number to call it.
"""
from __future__ import annotations

import re
from typing import Any

# In the order pages show them.
FIELDS = ("agency", "address", "phone", "email", "zalo", "hours", "person")
REQUIRED = "agency"
# The shape shown to an editor who wrote a field wrong.
EXPECTED = {"agency": "text", "address": "text", "phone": '"0291 3822 123"',
            "email": "lienhe@…", "zalo": "https://zalo.me/…", "hours": "text",
            "person": "text"}

# Digits and spaces, a + only in front (+84 291 …): what a phone dials. Dots, dashes and
# brackets are refused rather than guessed at, so the number shown is the number dialled.
_PHONE = re.compile(r"\+?[0-9][0-9 ]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# A Zalo Official Account's link, as Zalo gives it (https://zalo.me/<id or name>).
_ZALO = re.compile(r"https://zalo\.me/[^\s/?#][^\s]*")


def problem_key(field: str, value: str) -> str:
    """The diagnostic key of what is wrong with one field's text; "" when it is fine."""
    if not value.strip():
        return "contact_empty"
    value = value.strip()
    if field == "phone":
        digits = sum(c.isdigit() for c in value)
        return "" if _PHONE.fullmatch(value) and digits >= 3 else "contact_phone"
    if field == "email":
        return "" if _EMAIL.fullmatch(value) else "contact_email"
    if field == "zalo":
        return "" if _ZALO.fullmatch(value) else "contact_zalo"
    return ""


def check(field: str) -> Any:
    """A field's check as config.Option takes it (value -> diagnostic key or "")."""
    return lambda value: problem_key(field, value)


def tel(phone: str) -> str:
    """`0291 3822 123` -> `tel:02913822123`."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)
