"""Your network: a contacts list in YAML, read from and written to vCard.

``career/contacts.yaml`` holds ``contacts:``, a list of people: name, company, role, email,
phone, url, notes, how_met, last_contact. Applications name them by name or e-mail.

vCard export writes version 3.0 (RFC 2426), the version address books import most
reliably (Apple Contacts and Google Contacts export 3.0 too). ``how_met`` and
``last_contact`` have no standard property: they travel as ``X-STAFFPATH-HOW-MET`` and
``X-STAFFPATH-LAST-CONTACT``, which other programs keep or ignore. Import reads 2.1, 3.0 and
4.0, folded lines and ``TYPE`` parameters, and merges into the list by e-mail, then by name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from staffpath.career.applications import (
    ApplicationsError,
    parse_located,
    problems_from,
    read_text,
)
from staffpath.errors import InputError, Problem

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FIELDS = ("name", "company", "role", "email", "phone", "url", "notes", "how_met", "last_contact")
X_HOW_MET = "X-STAFFPATH-HOW-MET"
X_LAST_CONTACT = "X-STAFFPATH-LAST-CONTACT"


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Line
    company: Line | None = None
    role: Line | None = None
    email: Line | None = None
    phone: Line | None = None
    url: Line | None = None
    notes: Line | None = None
    how_met: Line | None = None
    last_contact: date | None = None


class _ContactsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    contacts: list[Contact] = Field(default_factory=list)


_TABLE: dict[str, type[BaseModel]] = {"": _ContactsFile, "contacts": Contact}


def parse_contacts(text: str, *, source: str = "<text>") -> list[Contact]:
    """Validate the text of a contacts file; every problem at once, located. Two contacts
    with the same e-mail (ignoring case) are an error: merging needs it to be unique."""
    located = parse_located(text, source=source, what="contacts")
    try:
        data = _ContactsFile.model_validate(located.value)
    except ValidationError as exc:
        raise ApplicationsError(problems_from(exc, located, _TABLE), source=source) from None
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, c in enumerate(data.contacts):
        if not c.email:
            continue
        key = c.email.casefold()
        if key in seen:
            line, col = located.where(("contacts", n, "email"))[1]
            problems.append(
                Problem(
                    line,
                    col,
                    f"contacts[{n}].email",
                    f"{c.email} is also the e-mail of contacts[{seen[key]}]",
                    "merge the two entries",
                )
            )
        seen.setdefault(key, n)
    if problems:
        raise ApplicationsError(problems, source=source)
    return list(data.contacts)


def load_contacts(path: Path) -> list[Contact]:
    return parse_contacts(
        read_text(
            path, missing="write one, or import a .vcf with `staffpath jobs contacts import`"
        ),
        source=str(path),
    )


def dump_contacts(contacts: Sequence[Contact]) -> str:
    """The contacts file's text, fields in a fixed order, empty fields left out."""
    rows = []
    for c in contacts:
        row: dict[str, Any] = {}
        for name in FIELDS:
            value = getattr(c, name)
            if value is not None:
                row[name] = value.isoformat() if isinstance(value, date) else value
        rows.append(row)
    body = yaml.safe_dump(
        {"contacts": rows}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return "# Contacts for staffpath jobs (see docs/applications.md)\n" + body


# --------------------------------------------------------------------------------- vCard


def to_vcard(contacts: Sequence[Contact]) -> str:
    """Every contact as a vCard 3.0, one after another (CRLF lines, folded at 75 octets)."""
    import vobject  # type: ignore[import-untyped]

    cards = []
    for c in contacts:
        card = vobject.vCard()
        card.add("fn").value = c.name
        family, given = _split_name(c.name)
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        if c.company:
            card.add("org").value = [c.company]
        if c.role:
            card.add("title").value = c.role
        if c.email:
            email = card.add("email")
            email.value = c.email
            email.type_param = "INTERNET"
        if c.phone:
            card.add("tel").value = c.phone
        if c.url:
            card.add("url").value = c.url
        if c.notes:
            card.add("note").value = c.notes
        if c.how_met:
            card.add(X_HOW_MET.lower()).value = c.how_met
        if c.last_contact:
            card.add(X_LAST_CONTACT.lower()).value = c.last_contact.isoformat()
        cards.append(card.serialize())
    return "".join(cards)


def _split_name(name: str) -> tuple[str, str]:
    """'Ana María Ruiz' -> ('Ruiz', 'Ana María'): good enough for N, which FN overrides."""
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (name, "")


def _rank(item: Any, prefer: Sequence[str]) -> int:
    """0 for the preferred one (TYPE=pref in 2.1/3.0, PREF=1 in 4.0), then by ``prefer``."""
    types = {t.strip().upper() for v in item.params.get("TYPE", []) for t in str(v).split(",")}
    if "PREF" in types or "PREF" in item.params:
        return 0
    ranks = [i + 1 for i, kind in enumerate(prefer) if kind in types]
    return min(ranks) if ranks else len(prefer) + 1


def _first(card: Any, name: str, prefer: Sequence[str] = ()) -> Any:
    """The property ``name`` the card prefers: marked preferred, else of the first kind in
    ``prefer``, else the first given."""
    items = card.contents.get(name, [])
    return min(items, key=lambda item: _rank(item, prefer)) if items else None


def _value(card: Any, name: str, prefer: Sequence[str] = ()) -> str | None:
    item = _first(card, name, prefer)
    if item is None:
        return None
    value = item.value
    if isinstance(value, list):  # ORG: company;department
        value = value[0] if value else ""
    text = str(value).strip()
    return text or None


def parse_vcards(text: str, *, source: str = "<vcf>") -> list[Contact]:
    """The contacts in a .vcf file (2.1, 3.0 or 4.0). A card needs a name (FN, else N)."""
    import vobject

    contacts = []
    try:
        components = list(vobject.readComponents(text))
    except (vobject.base.VObjectError, ValueError) as exc:
        # vobject's own line count is off by the lines it unfolds: keep its words only
        detail = re.sub(r"^At line \d+: ", "", str(exc))
        raise InputError(f"{source}: not a vCard file ({detail})") from None
    if not any(c.name == "VCARD" for c in components):
        raise InputError(f"{source}: no vCard in it (BEGIN:VCARD ... END:VCARD)")
    for n, card in enumerate(components, 1):
        if card.name != "VCARD":
            continue
        name = _value(card, "fn")
        if not name and "n" in card.contents:
            parts = card.n.value
            name = " ".join(
                x for x in (parts.prefix, parts.given, parts.additional, parts.family) if x
            )
        if not name:
            raise InputError(f"{source}: card {n} has no name (FN or N)")
        role = _value(card, "title") or _value(card, "role")
        last = _value(card, X_LAST_CONTACT.lower())
        try:
            last_contact = date.fromisoformat(last) if last else None
        except ValueError:
            raise InputError(
                f"{source}: card {n} ({name}): {X_LAST_CONTACT} {last!r} is not a date (YYYY-MM-DD)"
            ) from None
        email = _value(card, "email", ("WORK", "INTERNET"))
        if email and email.lower().startswith("mailto:"):
            email = email[7:]
        phone = _value(card, "tel", ("CELL", "WORK"))
        if phone and phone.lower().startswith("tel:"):
            phone = phone[4:]
        contacts.append(
            Contact(
                name=name,
                company=_value(card, "org"),
                role=role,
                email=email,
                phone=phone,
                url=_value(card, "url"),
                notes=_value(card, "note"),
                how_met=_value(card, X_HOW_MET.lower()),
                last_contact=last_contact,
            )
        )
    return contacts


@dataclass(frozen=True, slots=True)
class Change:
    """What an import did to one contact: added, or which fields changed from what to what."""

    name: str
    action: str  # "added", "updated", "unchanged"
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "action": self.action,
            "fields": [
                {"field": f, "old": _show(old), "new": _show(new)} for f, old, new in self.fields
            ],
        }


def _show(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def merge_contacts(
    existing: Sequence[Contact], incoming: Sequence[Contact]
) -> tuple[list[Contact], list[Change]]:
    """Merge ``incoming`` into ``existing``: a card matches a contact with the same e-mail
    (ignoring case), else the same name (ignoring case and spacing). A match takes the card's
    non-empty fields (the address book is newer) and keeps the rest; the rest are added at
    the end. Returns the merged list and one change per card."""
    merged = list(existing)
    changes = []

    def key(name: str) -> str:
        return " ".join(name.casefold().split())

    for card in incoming:
        index = None
        if card.email:
            index = next(
                (
                    i
                    for i, c in enumerate(merged)
                    if c.email and c.email.casefold() == card.email.casefold()
                ),
                None,
            )
        if index is None:
            index = next((i for i, c in enumerate(merged) if key(c.name) == key(card.name)), None)
        if index is None:
            merged.append(card)
            changes.append(Change(card.name, "added"))
            continue
        old = merged[index]
        diff = tuple(
            (f, getattr(old, f), getattr(card, f))
            for f in FIELDS
            if getattr(card, f) is not None and getattr(card, f) != getattr(old, f)
        )
        if diff:
            merged[index] = old.model_copy(update={f: new for f, _, new in diff})
            changes.append(Change(old.name, "updated", diff))
        else:
            changes.append(Change(old.name, "unchanged"))
    return merged, changes
