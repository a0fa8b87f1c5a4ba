"""The career API: documents stored as their file's text, checked on every write, with
reports, pictures and exports; a broken text is refused with located problems."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "career"


def test_kinds_list_what_each_offers(client: TestClient) -> None:
    kinds = {k["id"]: k for k in client.get("/api/career/kinds").json()}
    assert {"assessment", "mentoring"} <= set(kinds)
    assert kinds["assessment"]["pictures"] == ["radar"] and kinds["assessment"]["count"] == 0


def test_an_assessment_round_trip(client: TestClient) -> None:
    text = (EXAMPLES / "assessment.yaml").read_text()
    assert client.get("/api/career/assessment/starter").json()["text"] == text
    r = client.post("/api/career/assessment", json={"text": text, "name": "Messaging"})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["text"] == text and doc["name"] == "Messaging"
    assert doc["report"]["track"] == "backend-messaging" and doc["report"]["next"]
    url = f"/api/career/assessment/{doc['id']}"
    svg = client.get(f"{url}/pictures/radar.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and "<svg" in svg.text
    exported = client.get(f"{url}/export/file")
    assert exported.text == text and "assessment.yaml" in exported.headers["content-disposition"]
    assert [d["id"] for d in client.get("/api/career/assessment").json()] == [doc["id"]]
    assert client.get(f"{url}/export/nope").status_code == 404
    assert client.get(f"{url}/pictures/nope.svg").status_code == 404


def test_a_broken_text_is_refused_with_located_problems(client: TestClient) -> None:
    text = (EXAMPLES / "assessment.yaml").read_text()
    doc = client.post("/api/career/assessment", json={"text": text}).json()
    url = f"/api/career/assessment/{doc['id']}"
    broken = text.replace("track: backend-messaging", "track: backend-mesaging")
    r = client.put(url, json={"text": broken})
    assert r.status_code == 422
    (problem,) = r.json()["problems"]
    assert problem["line"] > 0 and "backend-mesaging" in problem["message"]
    assert client.get(url).json()["text"] == text  # nothing stored
    checked = client.post("/api/career/assessment/check", json={"text": "track: [x"}).json()
    assert checked["ok"] is False and checked["problems"][0]["line"] >= 1


def test_mentoring_report_and_delete(client: TestClient) -> None:
    text = (EXAMPLES / "mentoring.yaml").read_text()
    doc = client.post("/api/career/mentoring", json={"text": text}).json()
    assert doc["report"]["mentees"] and "evidence" in doc["report"]
    url = f"/api/career/mentoring/{doc['id']}"
    assert client.delete(url).status_code == 204 and client.get(url).status_code == 404
    assert client.post(f"{url}/undelete").status_code == 200


def test_unknown_kinds_and_ids(client: TestClient) -> None:
    assert client.get("/api/career/horoscope").status_code == 404
    assert client.get("/api/career/assessment/999").status_code == 404
    r = client.post("/api/career/assessment", json={"text": ""})
    assert r.status_code == 422


def test_a_variant_tailors_the_stored_resume_and_exports_a_pdf(client: TestClient) -> None:
    import io

    from pypdf import PdfReader

    variant = (EXAMPLES / "variants" / "staff-platform.yaml").read_text()
    r = client.post("/api/career/variant", json={"text": variant})
    assert r.status_code == 422 and "stored resume first" in r.json()["problems"][0]["message"]
    resume = (EXAMPLES / "resume.json").read_text()
    assert client.post("/api/career/resume", json={"text": resume}).status_code == 201
    doc = client.post("/api/career/variant", json={"text": variant}).json()
    assert doc["report"]["work"]
    pdf = client.get(f"/api/career/variant/{doc['id']}/export/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert doc["report"]["work"][0]["name"] in text


def test_evidence_feeds_the_story_bank_once(client: TestClient) -> None:
    text = (EXAMPLES / "evidence.yaml").read_text()
    doc = client.post("/api/career/evidence", json={"text": text}).json()
    records = doc["report"]["records"]
    assert len(doc["report"]["bullets"]) == len(records) >= 8
    first = client.post(f"/api/career/evidence/{doc['id']}/stories").json()
    assert len(first["added"]) == len(records) and first["skipped"] == []
    stories = client.get("/api/stories").json()
    assert {s["title"] for s in stories} == {a["title"] for a in first["added"]}
    assert all(s["check"]["strength"] == "weak" for s in stories)  # drafts to finish
    again = client.post(f"/api/career/evidence/{doc['id']}/stories").json()
    assert again["added"] == [] and len(again["skipped"]) == len(records)
    packet = client.get(f"/api/career/evidence/{doc['id']}/export/packet-md")
    assert packet.text.startswith("# Self-review packet")


def test_applications_funnel_and_calendar(client: TestClient) -> None:
    from icalendar import Calendar

    text = (EXAMPLES / "applications.yaml").read_text()
    doc = client.post("/api/career/applications", json={"text": text}).json()
    report = doc["report"]
    assert len(report["applications"]) == text.count("\n  - id:")
    url = f"/api/career/applications/{doc['id']}"
    assert "<svg" in client.get(f"{url}/pictures/funnel.svg").text
    ics = Calendar.from_ical(client.get(f"{url}/export/ics").content)
    assert ics.walk("VEVENT")
    csv = client.get(f"{url}/export/csv").text
    assert csv.count("\r\n") == len(report["applications"]) + 1


def test_one_record_everywhere_evidence_mentoring_and_certificates(client: TestClient) -> None:
    """Issue 9's premise: written once, used everywhere. The assessment's evidence ids are
    checked against the stored log; mentoring sessions join the packet; passed certificates
    join the resume's PDF."""
    import io

    from pypdf import PdfReader

    assessment = (EXAMPLES / "assessment.yaml").read_text()
    alone = client.post("/api/career/assessment", json={"text": assessment}).json()
    assert not [f for f in alone["report"]["findings"] if f["rule"] == "unknown-evidence"]
    client.post("/api/career/evidence", json={"text": (EXAMPLES / "evidence.yaml").read_text()})
    url = f"/api/career/assessment/{alone['id']}"
    linked = client.get(url).json()["report"]["findings"]
    assert not [f for f in linked if f["rule"] == "unknown-evidence"]  # the example agrees
    typo = assessment.replace("[kafka-upgrade-miss]", "[kafka-upgrade-mis]")
    flagged = client.put(url, json={"text": typo}).json()["report"]["findings"]
    (unknown,) = [f for f in flagged if f["rule"] == "unknown-evidence"]
    assert (
        unknown["skill"] == "partitioning-and-ordering" and "kafka-upgrade-mis" in unknown["reason"]
    )

    (evidence,) = client.get("/api/career/evidence").json()
    packet_url = f"/api/career/evidence/{evidence['id']}/export/packet-md"
    before = client.get(packet_url).text
    client.post("/api/career/mentoring", json={"text": (EXAMPLES / "mentoring.yaml").read_text()})
    after = client.get(packet_url).text
    assert len(after) > len(before) and after.count("### ") > before.count("### ")

    resume = client.post(
        "/api/career/resume", json={"text": (EXAMPLES / "resume.json").read_text()}
    )
    pdf_url = f"/api/career/resume/{resume.json()['id']}/export/pdf"

    def pdf_text() -> str:
        pdf = client.get(pdf_url).content
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)

    assert "Solutions Architect" not in pdf_text()
    client.post(
        "/api/career/certifications",
        json={"text": (EXAMPLES / "certifications.yaml").read_text()},
    )
    assert "Solutions Architect" in pdf_text()


def test_a_design_review_on_a_stored_design_records_its_decisions(client: TestClient) -> None:
    review = (EXAMPLES / "design-review.yaml").read_text()
    r = client.post("/api/career/review", json={"text": review})
    assert r.status_code == 422  # the design it names is not in the studio yet
    assert "no design '../url-shortener.yaml' in the studio" in r.json()["problems"][0]["message"]
    design = client.post("/api/designs", json={"example": "url-shortener"}).json()
    before = {d["id"] for d in client.get("/api/designs").json()}
    doc = client.post("/api/career/review", json={"text": review}).json()
    assert doc["report"]["evidence"]["competencies"]
    url = f"/api/career/review/{doc['id']}"
    report_md = client.get(f"{url}/export/report").text
    assert report_md.startswith("# ")
    applied = client.post(f"{url}/apply").json()
    assert applied["design"] == design["id"] and applied["added"]
    assert (
        applied["version"] == 2 and {d["id"] for d in client.get("/api/designs").json()} == before
    )
    text = client.get(f"/api/designs/{design['id']}").json()["yaml"]
    for decision in applied["added"]:
        assert f"id: {decision}" in text
    again = client.post(f"{url}/apply").json()
    assert again["added"] == [] and again["version"] is None


def test_openapi_lists_the_media_types_of_exports_and_pictures(client: TestClient) -> None:
    """Found by Schemathesis (ST105): exports and pictures were declared as JSON only."""
    from staffpath.web.career_kinds import KINDS

    paths = client.get("/openapi.json").json()["paths"]
    export = paths["/api/career/{kind}/{document_id}/export/{name}"]["get"]["responses"]["200"]
    picture = paths["/api/career/{kind}/{document_id}/pictures/{name}.svg"]["get"]["responses"]
    assert "image/svg+xml" in picture["200"]["content"]
    wanted = {e.media_type.split(";")[0] for k in KINDS.values() for e in k.exports.values()}
    assert wanted | {"text/plain"} <= set(export["content"])
