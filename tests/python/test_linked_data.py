"""rdflib as a linked-data client: dereference a theme IRI and follow its links, through
content negotiation only, to a tool and (theme → programme → offer) to a municipality."""

from __future__ import annotations

import rdflib
import rdflib.compare
from rdflib.namespace import RDF, SKOS

from conftest import Server

SCHEMA = rdflib.Namespace("http://schema.org/")


def _kr(server: Server) -> rdflib.Namespace:
    return rdflib.Namespace(f"{server.base_url}/def#")


def _dereference(iri: rdflib.URIRef) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(str(iri))  # rdflib asks for RDF by Accept and picks the parser by Content-Type
    assert len(graph) > 0, f"{iri} gave an empty document"
    return graph


def _dutch_label(graph: rdflib.Graph, iri: rdflib.URIRef) -> str:
    labels = [label for label in graph.objects(iri, SKOS.prefLabel) if label.language == "nl"]
    assert labels, f"no Dutch label for {iri}"
    return str(labels[0])


def test_a_theme_leads_to_a_tool_and_a_municipality(published_server: Server) -> None:
    kr = _kr(published_server)
    theme = rdflib.URIRef(f"{published_server.base_url}/id/thema/kwetsbare-situatie")
    theme_graph = _dereference(theme)
    assert (theme, RDF.type, kr.Theme) in theme_graph
    assert _dutch_label(theme_graph, theme) == "Kwetsbare situatie"

    tool = rdflib.URIRef(f"{published_server.base_url}/id/instrument/zorgpadentool")
    assert (tool, kr.theme, theme) in theme_graph, "the theme's document names the tools for it"
    tool_graph = _dereference(tool)
    assert (tool, RDF.type, kr.Tool) in tool_graph
    assert _dutch_label(tool_graph, tool) == "Zorgpadentool Kansrijke Start"

    programme = rdflib.URIRef(f"{published_server.base_url}/id/programma/prenataal-huisbezoek-jgz")
    assert (programme, kr.theme, theme) in theme_graph, "the theme's document names the programmes for it"
    programme_graph = _dereference(programme)
    offers = sorted(programme_graph.subjects(kr.implements, programme))
    assert len(offers) == 342, "the programme's document names its offer in every municipality"
    offer_graph = _dereference(offers[0])
    municipalities = [area for area in offer_graph.objects(offers[0], SCHEMA.areaServed) if "/id/gemeente/" in str(area)]
    assert municipalities, "a prenatal home visit serves a municipality"
    municipality_graph = _dereference(municipalities[0])
    assert (municipalities[0], RDF.type, kr.Municipality) in municipality_graph
    regions = set(municipality_graph.objects(municipalities[0], SCHEMA.containedInPlace))
    assert any("/id/ggd-regio/" in str(region) for region in regions), regions


def test_every_format_parses_to_the_same_graph(published_server: Server) -> None:
    iri = f"{published_server.base_url}/id/gemeente/gm0358"
    formats = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
    graphs = {extension: rdflib.Graph().parse(f"{iri}.{extension}", format=parser) for extension, parser in formats.items()}
    turtle = graphs["ttl"]
    assert len(turtle) > 10
    for extension, graph in graphs.items():
        assert rdflib.compare.isomorphic(graph, turtle), f"{extension} differs from Turtle"
