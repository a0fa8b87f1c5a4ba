"""Contacts: the YAML list, vCard out and back in, cards written the way Apple and Google
export them (folded lines, TYPE parameters, grouped properties), and the merge report."""

from __future__ import annotations

import re
from datetime import date

import pytest
import vobject  # type: ignore[import-untyped]

from staffpath.career.applications import ApplicationsError
from staffpath.career.contacts import (
    Contact,
    dump_contacts,
    load_contacts,
    merge_contacts,
    parse_contacts,
    parse_vcards,
    to_vcard,
)
from staffpath.errors import InputError
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "contacts.yaml"

# As Apple Contacts exports: vCard 3.0, CRLF, grouped itemN. properties, lower-case type
# parameters given one by one, an e-mail folded in the middle, a preferred one second.
APPLE = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//macOS 15.1//EN\r\n"
    "N:Okafor;Chidi;;;\r\n"
    "FN:Chidi Okafor\r\n"
    "ORG:Blue Harbor Labs;Platform Team\r\n"
    "TITLE:Principal Engineer\r\n"
    "item1.EMAIL;type=INTERNET;type=HOME:chidi.home@example.org\r\n"
    "item2.EMAIL;type=INTERNET;type=WORK;type=pref:chidi@blueharbor.exam\r\n"
    " ple\r\n"
    "TEL;type=WORK;type=VOICE:+1 415 555 0100\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+1 (415) 555-0123\r\n"
    "item3.URL;type=pref:https://blueharbor.example/~chidi\r\n"
    "item3.X-ABLabel:_$!<HomePage>!$_\r\n"
    "NOTE:Met at the SRECon hallway track. Prefers e-mail over calls\\, and a lon\r\n"
    " g note that the exporter folded.\r\n"
    "END:VCARD\r\n"
)
# As Google Contacts exports: 3.0, upper-case TYPE, no N-only names, ORG with one part.
GOOGLE = (
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "FN:Mei Chen\n"
    "N:Chen;Mei;;;\n"
    "EMAIL;TYPE=INTERNET;TYPE=WORK:mei.chen@lumen.example\n"
    "TEL;TYPE=CELL:+44 7700 900123\n"
    "ORG:Lumen Health\n"
    "TITLE:Staff Engineer\n"
    "END:VCARD\n"
)
# vCard 4.0: PREF=1, a tel: URI, and a name only in N.
V4 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "N:Kim;Dana;;;\r\n"
    "EMAIL;TYPE=home:dana@home.example\r\n"
    "EMAIL;TYPE=work;PREF=1:dana@kim.example\r\n"
    "TEL;VALUE=uri;TYPE=cell:tel:+1-555-555-0199\r\n"
    "END:VCARD\r\n"
)


def test_the_example_round_trips_through_vcard() -> None:
    people = load_contacts(EXAMPLE)
    assert len(people) == 4
    text = to_vcard(people)
    assert parse_vcards(text) == people
    # and the YAML we write reads back the same
    assert parse_contacts(dump_contacts(people)) == people


def test_exported_cards_are_vcard_3_that_vobject_reads() -> None:
    people = load_contacts(EXAMPLE)
    cards = list(vobject.readComponents(to_vcard(people)))
    ana = cards[0]
    assert ana.version.value == "3.0"
    assert ana.fn.value == "Ana Ruiz"
    assert (ana.n.value.family, ana.n.value.given) == ("Ruiz", "Ana")
    assert ana.org.value == ["Northwind Freight"]
    assert ana.email.value == "ana.ruiz@northwind.example"
    assert ana.contents["x-staffpath-last-contact"][0].value == "2026-11-18"
    assert all(len(line.encode()) <= 75 for line in to_vcard(people).split("\r\n"))


def test_an_apple_export_imports() -> None:
    (chidi,) = parse_vcards(APPLE)
    assert chidi == Contact(
        name="Chidi Okafor",
        company="Blue Harbor Labs",
        role="Principal Engineer",
        email="chidi@blueharbor.example",  # the preferred one, unfolded
        phone="+1 (415) 555-0123",  # the preferred one
        url="https://blueharbor.example/~chidi",
        notes="Met at the SRECon hallway track. Prefers e-mail over calls, and a long note "
        "that the exporter folded.",
    )


def test_a_google_export_and_a_version_4_card_import() -> None:
    mei, dana = parse_vcards(GOOGLE + V4)
    assert (mei.name, mei.email, mei.phone, mei.company, mei.role) == (
        "Mei Chen",
        "mei.chen@lumen.example",
        "+44 7700 900123",
        "Lumen Health",
        "Staff Engineer",
    )
    assert (dana.name, dana.email, dana.phone) == (
        "Dana Kim",
        "dana@kim.example",
        "+1-555-555-0199",
    )


def test_a_card_without_a_name_or_a_broken_file_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="card 1 has no name"):
        parse_vcards("BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@y.example\r\nEND:VCARD\r\n")
    with pytest.raises(InputError, match=re.escape("x.vcf: not a vCard file")):
        parse_vcards("BEGIN:VCARD\r\nFN:A\r\n", source="x.vcf")
    with pytest.raises(InputError) as info:
        parse_vcards("BEGIN:VCARD\nVERSION:3.0\nFN:A\nbad line\nEND:VCARD\n", source="x.vcf")
    assert str(info.value) == "x.vcf: not a vCard file (Failed to parse line: bad line)"
    with pytest.raises(InputError, match=re.escape("x.vcf: no vCard in it")):
        parse_vcards("", source="x.vcf")


def test_merge_by_email_then_by_name_reports_what_changed() -> None:
    existing = [
        Contact(name="Raj Patel", email="RAJ@lumen.example", role="EM", notes="keep me"),
        Contact(name="Lena Vogel", company="Harbor Maps"),
        Contact(name="Same Person", email="same@x.example", last_contact=date(2026, 1, 1)),
    ]
    incoming = [
        Contact(name="Rajesh Patel", email="raj@lumen.example", role="Director"),
        Contact(name="lena  vogel", phone="+49 30 555 0199"),
        Contact(name="Same Person", email="same@x.example"),
        Contact(name="New Person", email="new@x.example"),
    ]
    merged, changes = merge_contacts(existing, incoming)
    assert [c.to_dict() for c in changes] == [
        {
            "name": "Raj Patel",
            "action": "updated",
            "fields": [
                {"field": "name", "old": "Raj Patel", "new": "Rajesh Patel"},
                {"field": "role", "old": "EM", "new": "Director"},
                {"field": "email", "old": "RAJ@lumen.example", "new": "raj@lumen.example"},
            ],
        },
        {
            "name": "Lena Vogel",
            "action": "updated",
            "fields": [
                {"field": "name", "old": "Lena Vogel", "new": "lena  vogel"},
                {"field": "phone", "old": None, "new": "+49 30 555 0199"},
            ],
        },
        {"name": "Same Person", "action": "unchanged", "fields": []},
        {"name": "New Person", "action": "added", "fields": []},
    ]
    assert merged[0].notes == "keep me"  # fields the card lacks are kept
    assert merged[2].last_contact == date(2026, 1, 1)
    assert [c.name for c in merged][-1] == "New Person"


def test_contacts_file_errors_are_located() -> None:
    text = (
        "contacts:\n"
        "  - {name: A, email: a@x.example}\n"
        "  - {name: B, email: A@X.example, twitter: b}\n"
        "  - {name: C, last_contact: yesterday}\n"
    )
    with pytest.raises(ApplicationsError) as info:
        parse_contacts(text, source="c.yaml")
    assert str(info.value).splitlines() == [
        "c.yaml:3:35: contacts[1].twitter: unknown field (expected one of: name, company, "
        "role, email, phone, url, notes, how_met, last_contact)",
        "c.yaml:4:29: contacts[2].last_contact: expected a date, found 'yesterday' (write it "
        "as YYYY-MM-DD, e.g. 2026-11-30)",
    ]
    with pytest.raises(
        ApplicationsError, match=re.escape("c.yaml:3:22: contacts[1].email: A@X.example")
    ):
        parse_contacts(
            text.replace(", twitter: b", "").replace("yesterday", "2026-01-01"), source="c.yaml"
        )
