"""The reconciliation API as a directory or OpenRefine uses it, checked against the JSON
schemas of the W3C Reconciliation Service API 0.2 (vendored in tests/reconciliation/schemas):
the manifest, a batch of 30 names with typos, types, limits and property constraints,
suggest, preview and data extension."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from conftest import Server

SCHEMAS = Path(__file__).resolve().parents[1] / "reconciliation" / "schemas"
DEF = "https://w3id.org/kansrijk/def#"
ID = "https://w3id.org/kansrijk/id/"


def _registry() -> Registry:
    resources = []
    for file in SCHEMAS.glob("*.json"):
        contents = json.loads(file.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        resources.append((contents["$id"].rstrip("#"), resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance: object, schema_file: str) -> None:
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, registry=REGISTRY)
    errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.path))
    assert not errors, f"{schema_file}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def request(server: Server, path: str, form: dict[str, str] | None = None, method: str = "GET") -> tuple[int, bytes, str]:
    url = server.base_url + path
    data = None
    if form is not None and method == "GET":
        url += "?" + urllib.parse.urlencode(form)
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def reconcile(server: Server, queries: dict, method: str = "POST") -> dict:
    validate(queries, "reconciliation-query-batch.json")
    status, body, _ = request(server, "/reconcile", {"queries": json.dumps(queries)}, method)
    assert status == 200, body
    answer = json.loads(body)
    validate(answer, "reconciliation-result-batch.json")
    return answer


def test_manifest_validates(server: Server) -> None:
    status, body, content_type = request(server, "/reconcile")
    assert status == 200 and content_type.startswith("application/json")
    manifest = json.loads(body)
    validate(manifest, "manifest.json")
    assert "0.2" in manifest["versions"]
    default_types = {entry["id"] for entry in manifest["defaultTypes"]}
    assert {DEF + t for t in ("Theme", "Tool", "Organisation", "Offer", "Municipality")} <= default_types
    assert {"entity", "type", "property"} <= set(manifest["suggest"])
    assert "propose_properties" in manifest["extend"]


# (name as a directory has it, type or None, expected IRI under id/, a certain match?)
THIRTY = [
    ("Aalsmeer", None, "gemeente/gm0358", True),
    ("Aalsmer", None, "gemeente/gm0358", True),
    ("gemeente Aalsmeer", "Municipality", "gemeente/gm0358", True),
    ("GM0358", None, "gemeente/gm0358", True),
    ("https://identifier.overheid.nl/tooi/id/gemeente/gm0358", None, "gemeente/gm0358", True),
    ("Den Bosch", None, "gemeente/gm0796", True),
    ("s-Hertogenbosch", "Municipality", "gemeente/gm0796", True),
    ("Den Haag", "Municipality", "gemeente/gm0518", True),
    ("Sudwest Fryslan", None, "gemeente/gm1900", True),
    ("Utrecht", "Municipality", "gemeente/gm0344", True),
    ("Utrecht", None, "gemeente/gm0344", False),
    ("Noord-Holland", "Province", "provincie/pv27", True),
    ("Rijksinstituut voor Volksgezondheid en Milieu", None, "organisatie/rivm", True),
    ("Rijksinstituut voor Volksgezondheid en Milleu", None, "organisatie/rivm", True),
    ("Nederlands Huisartsen Genootschap", None, "organisatie/nhg", True),
    ("Landelijke Huisartsen Vereniging", "Organisation", "organisatie/lhv", True),
    ("College Perinatale Zorg", None, "organisatie/cpz", True),
    ("Nederlands Jeugdinstituut", None, "organisatie/nji", True),
    ("Erasmus MC", "Organisation", "organisatie/erasmus-mc", True),
    ("GGD Kennemerland", "Organisation", "organisatie/ggd-kennemerland", True),
    ("GGD Twnte", "Organisation", "organisatie/ggd-twente", True),
    ("Geldzorgen", None, "thema/geldzorgen", True),
    ("geldzorgn", "Theme", "thema/geldzorgen", True),
    ("Taalbarriere", None, "thema/taalbarriere", True),
    ("postpartum depressie", "Theme", "thema/postpartumdepressie", True),
    ("Tienerzwangerschap", "Theme", "thema/tienerzwangerschap", True),
    ("Zorgpadentool", None, "instrument/zorgpadentool", True),
    ("Zorgpadentol", "Tool", "instrument/zorgpadentool", True),
    ("Geldfit", "Tool", "instrument/geldfit", True),
    ("ZwangerWijzr", "Tool", "instrument/zwangerwijzer", True),
]


def test_thirty_names_with_typos_reconcile(server: Server) -> None:
    assert len(THIRTY) == 30
    queries = {}
    for index, (name, kind, _, _) in enumerate(THIRTY):
        query: dict = {"query": name, "limit": 3}
        if kind:
            query["type"] = DEF + kind
        queries[f"q{index}"] = query
    answer = reconcile(server, queries)
    failures = []
    for index, (name, kind, expected, certain) in enumerate(THIRTY):
        result = answer[f"q{index}"]["result"]
        top = result[0] if result else None
        shown = [(c["id"].removeprefix(ID), c["score"], c["match"]) for c in result]
        if top is None or top["id"] != ID + expected:
            failures.append(f"{name!r} ({kind}): expected {expected}, got {shown}")
        elif top["match"] != certain:
            failures.append(f"{name!r} ({kind}): match should be {certain}, got {shown}")
    assert not failures, "\n".join(failures)


def test_type_limit_and_property_constraint(server: Server) -> None:
    answer = reconcile(server, {
        "limited": {"query": "GGD", "limit": 2},
        "typed": {"query": "Amsterdam", "type": DEF + "GGDRegion"},
        "by_code": {"query": "Utrecht", "properties": [{"pid": "http://purl.org/dc/terms/identifier", "v": "GM0344"}]},
        "by_place": {"query": "Prenataal huisbezoek JGZ", "type": DEF + "Offer",
                     "properties": [{"pid": "http://schema.org/areaServed", "v": {"id": ID + "gemeente/gm0358"}}]},
    })
    assert len(answer["limited"]["result"]) == 2
    assert answer["typed"]["result"], "a GGD region named Amsterdam"
    for candidate in answer["typed"]["result"]:
        assert DEF + "GGDRegion" in [t["id"] for t in candidate["type"]]
    assert answer["by_code"]["result"][0]["id"] == ID + "gemeente/gm0344"
    assert answer["by_code"]["result"][0]["match"] is True
    assert answer["by_place"]["result"][0]["id"] == ID + "aanbod/prenataal-huisbezoek-gm0358"


def test_get_and_post_agree(server: Server) -> None:
    queries = {"q0": {"query": "geldzorgen"}, "q1": {"query": "Den Bosch"}}
    assert reconcile(server, queries, "GET") == reconcile(server, queries, "POST")


def test_suggest_and_preview(server: Server) -> None:
    status, body, _ = request(server, "/reconcile/suggest/entity", {"prefix": "aals"})
    assert status == 200
    entities = json.loads(body)
    validate(entities, "suggest-entities-response.json")
    assert ID + "gemeente/gm0358" in [entry["id"] for entry in entities["result"]]

    status, body, _ = request(server, "/reconcile/suggest/type", {"prefix": "gem"})
    types = json.loads(body)
    validate(types, "suggest-types-response.json")
    assert DEF + "Municipality" in [entry["id"] for entry in types["result"]]

    status, body, _ = request(server, "/reconcile/suggest/property", {"prefix": "identifier"})
    properties = json.loads(body)
    validate(properties, "suggest-properties-response.json")
    assert "http://purl.org/dc/terms/identifier" in [entry["id"] for entry in properties["result"]]

    status, body, content_type = request(server, "/reconcile/preview", {"id": ID + "gemeente/gm0358"})
    assert status == 200 and content_type.startswith("text/html")
    assert "Aalsmeer" in body.decode()
    assert request(server, "/reconcile/preview", {"id": ID + "gemeente/gm9999"})[0] == 404


def test_data_extension(server: Server) -> None:
    query = {"ids": [ID + "gemeente/gm0358"],
             "properties": [{"id": "http://purl.org/dc/terms/identifier"}, {"id": "http://schema.org/containedInPlace"}]}
    validate(query, "data-extension-query.json")
    status, body, _ = request(server, "/reconcile", {"extend": json.dumps(query)}, "POST")
    assert status == 200, body
    answer = json.loads(body)
    validate(answer, "data-extension-response.json")
    row = answer["rows"][ID + "gemeente/gm0358"]
    assert {"str": "GM0358"} in row["http://purl.org/dc/terms/identifier"]
    assert ID + "ggd-regio/gg3406" in [value.get("id") for value in row["http://schema.org/containedInPlace"]]

    status, body, _ = request(server, "/reconcile/propose_properties", {"type": DEF + "Municipality"})
    proposed = json.loads(body)
    assert proposed["type"] == DEF + "Municipality"
    assert "http://purl.org/dc/terms/identifier" in [p["id"] for p in proposed["properties"]]


@pytest.mark.parametrize(
    ("form", "path"),
    [
        ({"queries": "{not json"}, "/reconcile"),
        ({"queries": "[1, 2]"}, "/reconcile"),
        ({"queries": json.dumps({"q0": {"limit": 3}})}, "/reconcile"),
        ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(101)})}, "/reconcile"),
        ({"queries": json.dumps({"q0": {"query": "x", "type": DEF + "Bestaatniet"}})}, "/reconcile"),
        ({"extend": json.dumps({"ids": ["not an iri"], "properties": []})}, "/reconcile"),
        ({"extend": json.dumps({"properties": []})}, "/reconcile"),
        ({"id": "not an iri"}, "/reconcile/preview"),
        ({}, "/reconcile/suggest/entity"),
    ],
)
def test_bad_input_gets_400(server: Server, form: dict[str, str], path: str) -> None:
    status, body, _ = request(server, path, form, "POST" if path == "/reconcile" else "GET")
    assert status == 400, (status, body)
    assert body.strip(), "a 400 says why"
