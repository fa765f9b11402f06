"""Writes with real clients: SPARQLWrapper sends SPARQL Update with a bearer token, rdflib
reads graphs back through the Graph Store protocol, and the demo social map is there with
--demo. Refused writes leave the store as it was."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import Unauthorized

from conftest import WRITABLE_GRAPH, WRITE_TOKEN

KR = rdflib.Namespace("https://w3id.org/kansrijk/def#")
SCHEMA = rdflib.Namespace("http://schema.org/")
DEMO_GRAPH = "https://w3id.org/kansrijk/graph/demo-sociale-kaart"
OFFER = "https://w3id.org/kansrijk/id/aanbod/pytest-kraampakket-aalsmeer"

INSERT = f"""
PREFIX kr: <https://w3id.org/kansrijk/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX dct: <http://purl.org/dc/terms/>
INSERT DATA {{ GRAPH <{WRITABLE_GRAPH}> {{
  <{OFFER}> a kr:Offer ;
    skos:prefLabel "Kraampakketpunt Aalsmeer (fictief, pytest)"@nl ;
    schema:description "Fictief testaanbod: kraampakketten voor gezinnen met geldzorgen."@nl ;
    schema:provider <https://w3id.org/kansrijk/id/organisatie/ggd-kennemerland> ;
    schema:areaServed <https://w3id.org/kansrijk/id/gemeente/gm0358> ;
    dct:source <https://w3id.org/kansrijk/id/bron/factsheet-huisartsenpraktijk> .
}} }}
"""


def update(server, text: str, token: str | None):
    sw = SPARQLWrapper(server.endpoint, updateEndpoint=server.base_url + "/update")
    sw.setMethod(POST)
    sw.setQuery(text)
    if token:
        sw.addCustomHttpHeader("Authorization", f"Bearer {token}")
    return sw.query()


def graph_store(server, graph: str) -> rdflib.Graph:
    url = server.base_url + "/store?" + urllib.parse.urlencode({"graph": graph})
    return rdflib.Graph().parse(url, format="turtle")


def ask(server, text: str) -> bool:
    sw = SPARQLWrapper(server.endpoint)
    sw.setQuery(text)
    sw.setReturnFormat(JSON)
    return sw.query().convert()["boolean"]


def test_an_update_without_token_is_unauthorized_and_changes_nothing(writable_server):
    with pytest.raises(Unauthorized):
        update(writable_server, INSERT, None)
    assert ask(writable_server, f"ASK {{ <{OFFER}> ?p ?o }}") is False


def test_a_token_may_not_write_the_demo_or_base_graphs(writable_server):
    for graph in (DEMO_GRAPH, "https://w3id.org/kansrijk/graph/factsheet"):
        with pytest.raises(urllib.error.HTTPError) as error:
            update(writable_server, f"CLEAR GRAPH <{graph}>", WRITE_TOKEN)
        assert error.value.code == 403


def test_sparqlwrapper_update_with_token_is_stored_searchable_and_readable_by_rdflib(writable_server):
    update(writable_server, INSERT, WRITE_TOKEN)
    assert ask(writable_server, f"ASK {{ GRAPH <{WRITABLE_GRAPH}> {{ <{OFFER}> a <{KR.Offer}> }} }}")
    graph = graph_store(writable_server, WRITABLE_GRAPH)
    assert (rdflib.URIRef(OFFER), SCHEMA.areaServed, rdflib.URIRef("https://w3id.org/kansrijk/id/gemeente/gm0358")) in graph
    question = urllib.parse.urlencode({"q": "kraampakket aalsmeer"})
    with urllib.request.urlopen(f"{writable_server.base_url}/api/search?{question}") as response:
        labels = [hit["label"] for hit in json.load(response)["results"]]
    assert "Kraampakketpunt Aalsmeer (fictief, pytest)" in labels


def test_an_invalid_update_gets_422_with_the_violation(writable_server):
    removal = f"DELETE WHERE {{ GRAPH <{WRITABLE_GRAPH}> {{ <{OFFER}> <http://schema.org/provider> ?provider }} }}"
    update(writable_server, INSERT, WRITE_TOKEN)
    with pytest.raises(urllib.error.HTTPError) as error:
        update(writable_server, removal, WRITE_TOKEN)
    assert error.value.code == 422
    report = json.loads(error.value.read())
    assert report["violations"][0]["path"] == "http://schema.org/provider"
    assert ask(writable_server, f"ASK {{ <{OFFER}> <http://schema.org/provider> ?provider }}")


def test_the_demo_social_map_is_served_with_demo_and_marked_fictional(writable_server):
    graph = graph_store(writable_server, DEMO_GRAPH)
    offers = list(graph.subjects(rdflib.RDF.type, KR.Offer))
    assert len(offers) == 10
    for offer in offers:
        label = graph.value(offer, rdflib.SKOS.prefLabel)
        assert str(label).endswith("(fictief)"), label
