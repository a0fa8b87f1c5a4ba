"""RenderCV export: golden file for the example, and the file read back by a YAML parser and
checked against RenderCV 2.x's entry types (we cannot install RenderCV: it needs Python 3.12)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from staffpath.career.resume.model import load_resume
from staffpath.career.resume.rendercv import NETWORKS, to_rendercv
from tests.conftest import ROOT, compare_golden

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = ROOT / "examples" / "career" / "resume.json"
# The keys that make RenderCV pick an entry type (rendercv/rendercv, schema/models/cv/entries).
ENTRY_TYPES = {
    "ExperienceEntry": {"company", "position"},
    "EducationEntry": {"institution", "area"},
    "PublicationEntry": {"title", "authors"},
    "OneLineEntry": {"label", "details"},
    "NormalEntry": {"name"},
}
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?|present")


@pytest.fixture(scope="module")
def master() -> dict[str, Any]:
    return load_resume(EXAMPLE).data


def entry_type(entry: Any) -> str:
    if isinstance(entry, str):
        return "TextEntry"
    for name, keys in ENTRY_TYPES.items():
        if keys <= set(entry):
            return name
    raise AssertionError(f"no RenderCV entry type for {entry}")


def test_golden(master: dict[str, Any], update_golden: bool) -> None:
    compare_golden(GOLDEN / "rendercv-example.yaml", to_rendercv(master).yaml, update_golden)


def test_reads_back_as_rendercv_cv(master: dict[str, Any]) -> None:
    export = to_rendercv(master)
    assert export.notes == ()
    cv = yaml.safe_load(export.yaml)["cv"]
    assert set(cv) <= {
        "name",
        "location",
        "email",
        "phone",
        "website",
        "social_networks",
        "sections",
    }
    assert cv["name"] == master["basics"]["name"]
    assert cv["social_networks"] == [
        {"network": "GitHub", "username": "mayaol"},
        {"network": "LinkedIn", "username": "maya-okonkwo-lindqvist"},
    ]
    types = {}
    for title, entries in cv["sections"].items():
        kinds = {entry_type(e) for e in entries}
        assert len(kinds) == 1, f"{title}: RenderCV needs one entry type per section, got {kinds}"
        types[title] = kinds.pop()
        for e in entries:
            for key in ("start_date", "end_date", "date"):
                if isinstance(e, dict) and key in e:
                    assert DATE.fullmatch(str(e[key])), e[key]
    assert types == {
        "summary": "TextEntry",
        "experience": "ExperienceEntry",
        "projects": "NormalEntry",
        "skills": "OneLineEntry",
        "education": "EducationEntry",
        "certificates": "NormalEntry",
        "publications": "PublicationEntry",
        "volunteering": "ExperienceEntry",
        "languages": "OneLineEntry",
        "interests": "OneLineEntry",
    }
    job = cv["sections"]["experience"][0]
    assert (job["company"], job["start_date"], "end_date" in job) == ("Fjordpay", "2021-03", False)
    assert job["highlights"] == master["work"][0]["highlights"]


def test_unknown_networks_are_left_out_with_a_note() -> None:
    resume = {
        "basics": {
            "name": "A",
            "profiles": [
                {"network": "github", "username": "a"},
                {"network": "Bluesky", "username": "a.bsky.social"},
                {"network": "LinkedIn"},
            ],
        },
        "awards": [{"title": "Best talk", "awarder": "NordConf", "date": "2024"}],
    }
    export = to_rendercv(resume)
    cv = yaml.safe_load(export.yaml)["cv"]
    assert cv["social_networks"] == [{"network": "GitHub", "username": "a"}]
    assert [n.split(":")[0] for n in export.notes] == [
        "basics.profiles[1] (Bluesky)",
        "basics.profiles[2] (LinkedIn)",
    ]
    assert cv["sections"] == {
        "awards": [{"name": "Best talk", "date": "2024", "summary": "NordConf"}]
    }
    assert "GitHub" in NETWORKS
