"""The metadata's and the data's shape: each gap is its own problem, nothing guessed."""

import json

import pytest

from willkommen.intake.metadata import parse_application, parse_metadata
from willkommen.intake.problems import Refusal

HASH = {"type": "sha512", "content": "ab" * 64}


def metadata(**changes):
    document = {
        "contentStructure": {
            "data": {
                "hash": HASH,
                "submissionSchema": {
                    "schemaUri": "https://x/s.json",
                    "mimeType": "application/json",
                },
            },
            "attachments": [
                {
                    "attachmentId": "0b3e4c6a-7d5f-4c1e-9a2b-3c4d5e6f7a8b",
                    "filename": "pass.pdf",
                    "mimeType": "application/pdf",
                    "hash": HASH,
                }
            ],
        },
        "publicServiceType": {"identifier": "urn:de:fim:leika:leistung:1"},
    }
    for path, value in changes.items():
        target = document
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return json.dumps(document).encode()


def test_a_complete_metadata_document_is_read():
    parsed = parse_metadata(metadata())
    assert parsed.service_identifier == "urn:de:fim:leika:leistung:1"
    assert parsed.attachments[0].filename == "pass.pdf"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"publicServiceType": None}, "schema-violation"),
        ({"contentStructure.data": None}, "missing-data"),
        ({"contentStructure.data.hash": {"type": "md5", "content": "00"}}, "schema-violation"),
        ({"contentStructure.attachments.0.attachmentId": "not-a-uuid"}, "schema-violation"),
        ({"contentStructure.attachments": "none"}, "schema-violation"),
    ],
)
def test_a_gap_in_the_metadata_is_refused(change, problem):
    with pytest.raises(Refusal) as refused:
        parse_metadata(metadata(**change))
    assert refused.value.problem.name == problem and refused.value.instance == "metadata"


def test_metadata_that_is_not_json_is_a_syntax_violation():
    with pytest.raises(Refusal) as refused:
        parse_metadata(b"{not json")
    assert refused.value.problem.name == "syntax-violation"


@pytest.mark.parametrize(
    "data",
    [
        {"applicant": {"given_name": "A"}},
        {"applicant": {"given_name": "A", "family_name": "B", "date_of_birth": "1.4.1990"}},
        {"applicant": {"given_name": "A", "family_name": "B"}, "email": "nope"},
        {"applicant": "A B"},
    ],
)
def test_application_data_out_of_shape_is_refused(data):
    with pytest.raises(Refusal) as refused:
        parse_application(json.dumps(data).encode(), "application/json")
    assert refused.value.problem.name == "data-schema-violation"


def test_application_data_of_another_type_is_refused():
    with pytest.raises(Refusal) as refused:
        parse_application(b"<xml/>", "application/xml")
    assert refused.value.problem.name == "data-schema-violation"
