"""SPARQL 1.1 Protocol conformance of `kansrijk serve`, checked with real clients.

Clients: SPARQLWrapper (GET, POST form-urlencoded, POST application/sparql-query),
rdflib's SPARQLStore, and plain urllib + rdflib parsers for the quad formats.
Results are compared as sets, never by row order.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings
from xml.dom.minidom import Document

import pytest
import rdflib
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, Namespace
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.util import from_n3
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

KR = Namespace("https://w3id.org/kansrijk/def#")
SCHEMA = Namespace("http://schema.org/")
ID = "https://w3id.org/kansrijk/id/"
GRAPH = "https://w3id.org/kansrijk/graph/"

AALSMEER = URIRef(ID + "gemeente/gm0358")
GGD_AMSTERDAM = URIRef(ID + "ggd-regio/gg3406")
NOORD_HOLLAND = URIRef(ID + "provincie/pv27")
KINDERWENS = URIRef(ID + "thema/kinderwens")
AALSMEER_LABEL = Literal("Aalsmeer", lang="nl")

CBS_REGIO = URIRef(GRAPH + "cbs-regio")
ALL_GRAPHS = {CBS_REGIO} | {URIRef(GRAPH + g) for g in ("factsheet", "aankondiging", "ontologie")}

SR_NS = "http://www.w3.org/2005/sparql-results#"

PREFIXES = """\
PREFIX kr: <https://w3id.org/kansrijk/def#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
"""

AALSMEER_REGIONS = PREFIXES + """
SELECT DISTINCT ?ggd ?provincie ?naam WHERE {
  <https://w3id.org/kansrijk/id/gemeente/gm0358> skos:prefLabel ?naam ;
      schema:containedInPlace ?ggd, ?provincie .
  ?ggd a kr:GGDRegion .
  ?provincie a kr:Province .
  FILTER(langMatches(lang(?naam), "nl"))
}"""
AALSMEER_REGIONS_ROW = (GGD_AMSTERDAM, NOORD_HOLLAND, AALSMEER_LABEL)

ASK_TRUE = PREFIXES + "ASK { <https://w3id.org/kansrijk/id/gemeente/gm0358> a kr:Municipality }"
ASK_FALSE = PREFIXES + "ASK { <https://w3id.org/kansrijk/id/gemeente/gm0358> a kr:Province }"

# The four Aalsmeer triples AALSMEER_TRIPLES lists, and nothing else.
AALSMEER_WHERE = """
  BIND(<https://w3id.org/kansrijk/id/gemeente/gm0358> AS ?m)
  ?m a kr:Municipality ; skos:prefLabel ?naam ; schema:containedInPlace ?ggd, ?provincie .
  ?ggd a kr:GGDRegion .
  ?provincie a kr:Province .
  FILTER(langMatches(lang(?naam), "nl"))
"""
AALSMEER_TEMPLATE = "?m a kr:Municipality ; skos:prefLabel ?naam ; schema:containedInPlace ?ggd, ?provincie ."
AALSMEER_CONSTRUCT = PREFIXES + f"CONSTRUCT {{ {AALSMEER_TEMPLATE} }} WHERE {{ {AALSMEER_WHERE} }}"
AALSMEER_DESCRIBE = "DESCRIBE <https://w3id.org/kansrijk/id/gemeente/gm0358>"

AALSMEER_TRIPLES = {
    (AALSMEER, RDF.type, KR.Municipality),
    (AALSMEER, SKOS.prefLabel, AALSMEER_LABEL),
    (AALSMEER, SCHEMA.containedInPlace, GGD_AMSTERDAM),
    (AALSMEER, SCHEMA.containedInPlace, NOORD_HOLLAND),
}

NAMED_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
KINDERWENS_ASK = "ASK { <https://w3id.org/kansrijk/id/thema/kinderwens> ?p ?o }"

# How SPARQLWrapper sends a query: GET, POST form-urlencoded, POST application/sparql-query.
METHODS = ["GET", "POST-form", "POST-direct"]


# --------------------------------------------------------------------------- helpers


def wrapper(endpoint: str, query: str, return_format: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(return_format)
    sw.setTimeout(30)
    if method in ("POST-form", "POST-direct"):
        sw.setMethod(POST)
    if method == "POST-direct":
        sw.setRequestMethod(POSTDIRECTLY)
    return sw


def run(sw: SPARQLWrapper, expected_media_type: str):
    """Runs the query, checks the response media type, returns SPARQLWrapper's conversion."""
    result = sw.query()
    content_type = result.info()["content-type"]
    assert content_type.split(";")[0].strip() == expected_media_type, content_type
    return result.convert()


def json_term(binding: dict) -> rdflib.term.Node:
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    if binding["type"] in ("literal", "typed-literal"):
        return Literal(binding["value"], lang=binding.get("xml:lang"), datatype=binding.get("datatype"))
    return rdflib.BNode(binding["value"])


def json_rows(results: dict, variables: list[str]) -> set[tuple]:
    assert results["head"]["vars"] == variables
    return {tuple(json_term(b[v]) for v in variables) for b in results["results"]["bindings"]}


def xml_term(binding) -> rdflib.term.Node:
    (node,) = [n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE]
    text = "".join(t.data for t in node.childNodes if t.nodeType == t.TEXT_NODE)
    if node.localName == "uri":
        return URIRef(text)
    if node.localName == "literal":
        return Literal(
            text,
            lang=node.getAttribute("xml:lang") or None,
            datatype=node.getAttribute("datatype") or None,
        )
    return rdflib.BNode(text)


def xml_rows(doc: Document, variables: list[str]) -> set[tuple]:
    head = [v.getAttribute("name") for v in doc.getElementsByTagNameNS(SR_NS, "variable")]
    assert head == variables
    rows = set()
    for result in doc.getElementsByTagNameNS(SR_NS, "result"):
        by_name = {b.getAttribute("name"): xml_term(b) for b in result.getElementsByTagNameNS(SR_NS, "binding")}
        rows.add(tuple(by_name[v] for v in variables))
    return rows


def xml_boolean(doc: Document) -> bool:
    (boolean,) = doc.getElementsByTagNameNS(SR_NS, "boolean")
    return boolean.firstChild.data.strip() == "true"


def csv_rows(body: bytes, variables: list[str]) -> set[tuple]:
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert header == variables
    return {tuple(row) for row in rows}


def tsv_rows(body: bytes, variables: list[str]) -> set[tuple]:
    header, *rows = [line.split("\t") for line in body.decode("utf-8").splitlines() if line]
    assert header == ["?" + v for v in variables]
    return {tuple(from_n3(value) for value in row) for row in rows}


def http(endpoint: str, *, params: dict | None = None, data: bytes | None = None,
         headers: dict | None = None) -> tuple[str, bytes]:
    url = endpoint + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read()


def select_json(endpoint: str, query: str, **params) -> dict:
    _, body = http(endpoint, params={"query": query, **params},
                   headers={"Accept": "application/sparql-results+json"})
    return json.loads(body)


def ask_json(endpoint: str, query: str, **params) -> bool:
    return select_json(endpoint, query, **params)["boolean"]


# ----------------------------------------------------------------- server start-up


def test_server_prints_listen_address(server):
    assert f"listening on {server.base_url}" in server.log()


# ------------------------------------------------------------ SPARQLWrapper SELECT

# Content-type mismatches make SPARQLWrapper warn; treat that as a failure here.
sparqlwrapper_strict = pytest.mark.filterwarnings("error::RuntimeWarning")
VARS = ["ggd", "provincie", "naam"]


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
def test_select_json(endpoint, method):
    results = run(wrapper(endpoint, AALSMEER_REGIONS, JSON, method), "application/sparql-results+json")
    assert json_rows(results, VARS) == {AALSMEER_REGIONS_ROW}


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
def test_select_xml(endpoint, method):
    doc = run(wrapper(endpoint, AALSMEER_REGIONS, XML, method), "application/sparql-results+xml")
    assert xml_rows(doc, VARS) == {AALSMEER_REGIONS_ROW}


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
def test_select_csv(endpoint, method):
    body = run(wrapper(endpoint, AALSMEER_REGIONS, CSV, method), "text/csv")
    assert csv_rows(body, VARS) == {(str(GGD_AMSTERDAM), str(NOORD_HOLLAND), "Aalsmeer")}


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
def test_select_tsv(endpoint, method):
    body = run(wrapper(endpoint, AALSMEER_REGIONS, TSV, method), "text/tab-separated-values")
    assert tsv_rows(body, VARS) == {AALSMEER_REGIONS_ROW}


# --------------------------------------------------------------- SPARQLWrapper ASK


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("query", "expected"), [(ASK_TRUE, True), (ASK_FALSE, False)], ids=["true", "false"])
def test_ask_json(endpoint, method, query, expected):
    results = run(wrapper(endpoint, query, JSON, method), "application/sparql-results+json")
    assert results["boolean"] is expected


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("query", "expected"), [(ASK_TRUE, True), (ASK_FALSE, False)], ids=["true", "false"])
def test_ask_xml(endpoint, method, query, expected):
    doc = run(wrapper(endpoint, query, XML, method), "application/sparql-results+xml")
    assert xml_boolean(doc) is expected


# ------------------------------------------------- SPARQLWrapper CONSTRUCT / DESCRIBE

# name -> (SPARQLWrapper return format, explicit Accept or None, response media type, rdflib parser)
GRAPH_FORMATS = {
    "turtle": (TURTLE, None, "text/turtle", "turtle"),
    # SPARQLWrapper has no N-Triples constant; N3 + an explicit Accept is how users ask for it.
    "ntriples": (N3, "application/n-triples", "application/n-triples", "nt"),
    "rdfxml": (RDFXML, None, "application/rdf+xml", "xml"),
    "jsonld": (JSONLD, None, "application/ld+json", "json-ld"),
}


def graph_result(endpoint: str, query: str, fmt: str, method: str) -> Graph:
    return_format, accept, media_type, rdflib_format = GRAPH_FORMATS[fmt]
    sw = wrapper(endpoint, query, return_format, method)
    if accept:
        sw.addCustomHttpHeader("Accept", accept)
    converted = run(sw, media_type)
    if isinstance(converted, Graph):  # RDF/XML and JSON-LD are parsed by SPARQLWrapper itself
        return converted
    graph = Graph()
    graph.parse(data=converted, format=rdflib_format)
    return graph


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_construct(endpoint, fmt, method):
    graph = graph_result(endpoint, AALSMEER_CONSTRUCT, fmt, method)
    assert set(graph) == AALSMEER_TRIPLES


@sparqlwrapper_strict
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_describe(endpoint, fmt, method):
    graph = graph_result(endpoint, AALSMEER_DESCRIBE, fmt, method)
    assert AALSMEER_TRIPLES <= set(graph)
    assert "GM0358" in {str(o) for o in graph.objects(AALSMEER, DCTERMS.identifier)}


# ------------------------------------------------------------------ counts (COUNT)


@pytest.mark.parametrize(
    ("klass", "expected"),
    [(KR.Municipality, 342), (KR.GGDRegion, 25), (KR.Province, 12)],
    ids=["municipalities", "ggd-regions", "provinces"],
)
def test_region_counts(endpoint, klass, expected):
    query = f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{klass}> }}"
    results = run(wrapper(endpoint, query, JSON), "application/sparql-results+json")
    (row,) = results["results"]["bindings"]
    assert int(row["n"]["value"]) == expected


# ------------------------------------------------------------------ rdflib SPARQLStore


@pytest.fixture(params=["GET", "POST", "POST_FORM"])
def sparql_store(request, endpoint) -> SPARQLStore:
    return SPARQLStore(endpoint, method=request.param)


def test_sparqlstore_select(sparql_store):
    graph = Graph(store=sparql_store)
    rows = {tuple(row) for row in graph.query(AALSMEER_REGIONS)}
    assert rows == {AALSMEER_REGIONS_ROW}


def test_sparqlstore_select_json(endpoint):
    graph = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    rows = {tuple(row) for row in graph.query(AALSMEER_REGIONS)}
    assert rows == {AALSMEER_REGIONS_ROW}


def test_sparqlstore_ask(sparql_store):
    graph = Graph(store=sparql_store)
    assert graph.query(ASK_TRUE).askAnswer is True
    assert graph.query(ASK_FALSE).askAnswer is False


def test_sparqlstore_construct(sparql_store):
    graph = Graph(store=sparql_store)
    assert set(graph.query(AALSMEER_CONSTRUCT).graph) == AALSMEER_TRIPLES


def test_sparqlstore_conjunctive_graph(endpoint):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = rdflib.ConjunctiveGraph(store=SPARQLStore(endpoint))
    # Graph API calls that rdflib turns into SPARQL SELECT / ASK requests.
    assert set(graph.objects(AALSMEER, SCHEMA.containedInPlace)) >= {GGD_AMSTERDAM, NOORD_HOLLAND}
    assert AALSMEER_LABEL in set(graph.objects(AALSMEER, SKOS.prefLabel))
    assert (AALSMEER, RDF.type, KR.Municipality) in graph
    assert (AALSMEER, RDF.type, KR.Province) not in graph
    rows = {tuple(row) for row in graph.query(AALSMEER_REGIONS)}
    assert rows == {AALSMEER_REGIONS_ROW}


# ------------------------------------------------- raw N-Quads / TriG parsed by rdflib

# Graph results hold triples only, so the named graph shows up as a resource here.
GRAPH_IRIS_CONSTRUCT = PREFIXES + f"""
CONSTRUCT {{
  {AALSMEER_TEMPLATE}
  ?g a <http://www.w3.org/ns/sparql-service-description#NamedGraph> .
}} WHERE {{
  {{ {AALSMEER_WHERE} }}
  UNION
  {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a kr:Municipality }} }} }}
}}"""


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("application/n-quads", "nquads"),
    ("application/trig", "trig"),
])
def test_quad_formats_parse_into_dataset(endpoint, accept, rdflib_format):
    content_type, body = http(endpoint, params={"query": GRAPH_IRIS_CONSTRUCT}, headers={"Accept": accept})
    assert content_type.split(";")[0].strip() == accept
    dataset = Dataset()
    dataset.parse(data=body, format=rdflib_format)
    triples = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert AALSMEER_TRIPLES <= triples
    # The named graph holding the municipalities is named in the result.
    mentioned = {term for quad in dataset.quads((None, None, None, None)) for term in quad}
    assert CBS_REGIO in mentioned


# ---------------------------------------------------- default-graph-uri / named-graph-uri


def test_default_graph_is_union_of_named_graphs(endpoint):
    assert ask_json(endpoint, ASK_TRUE) is True
    assert ask_json(endpoint, KINDERWENS_ASK) is True


@pytest.mark.parametrize("method", METHODS)
def test_default_graph_uri_restricts_default_graph(endpoint, method):
    def ask(query: str) -> bool:
        sw = wrapper(endpoint, query, JSON, method)
        sw.addDefaultGraph(str(CBS_REGIO))
        return run(sw, "application/sparql-results+json")["boolean"]

    assert ask(ASK_TRUE) is True  # regions are there
    assert ask(KINDERWENS_ASK) is False  # themes are not


def test_default_graph_uri_via_sparqlstore_graph(endpoint):
    # A Graph over SPARQLStore with an IRI identifier sends default-graph-uri=<identifier>.
    graph = Graph(store=SPARQLStore(endpoint), identifier=CBS_REGIO)
    assert (AALSMEER, RDF.type, KR.Municipality) in graph
    assert (KINDERWENS, None, None) not in graph


def test_named_graphs_without_restriction(endpoint):
    results = run(wrapper(endpoint, NAMED_GRAPHS_QUERY, JSON), "application/sparql-results+json")
    assert json_rows(results, ["g"]) >= {(g,) for g in ALL_GRAPHS}


@pytest.mark.parametrize("method", METHODS)
def test_named_graph_uri_restricts_graph_patterns(endpoint, method):
    sw = wrapper(endpoint, NAMED_GRAPHS_QUERY, JSON, method)
    sw.addNamedGraph(str(CBS_REGIO))
    results = run(sw, "application/sparql-results+json")
    assert json_rows(results, ["g"]) == {(CBS_REGIO,)}


# ------------------------------------------------------------------- updates refused

INSERT = 'INSERT DATA { <urn:kansrijk:test:s> <urn:kansrijk:test:p> "should not be stored" }'
INSERTED_ASK = "ASK { <urn:kansrijk:test:s> ?p ?o }"


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/x-www-form-urlencoded", urllib.parse.urlencode({"update": INSERT}).encode()),
    ("application/sparql-update", INSERT.encode()),
], ids=["form-update", "sparql-update"])
def test_update_over_http_is_forbidden(endpoint, content_type, body):
    with pytest.raises(urllib.error.HTTPError) as error:
        http(endpoint, data=body, headers={"Content-Type": content_type})
    assert error.value.code == 403
    assert ask_json(endpoint, INSERTED_ASK) is False


@pytest.mark.parametrize("method", ["POST-form", "POST-direct"])
def test_update_with_sparqlwrapper_is_forbidden(endpoint, method):
    sw = wrapper(endpoint, INSERT, JSON, method)
    assert sw.isSparqlUpdateRequest()
    with pytest.raises(urllib.error.HTTPError) as error:
        sw.query()
    assert error.value.code == 403
    assert ask_json(endpoint, INSERTED_ASK) is False


# ------------------------------------------------- format parameter, service description


@pytest.mark.parametrize(("fmt", "media_type"), [
    ("json", "application/sparql-results+json"),
    ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
])
def test_format_parameter_without_accept(endpoint, fmt, media_type):
    # No Accept header at all (urllib sends none), so the format parameter decides.
    content_type, body = http(endpoint, params={"query": AALSMEER_REGIONS, "format": fmt})
    assert content_type.split(";")[0].strip() == media_type
    assert b"Aalsmeer" in body and b"gg3406" in body


def test_service_description_turtle(endpoint):
    content_type, body = http(endpoint, headers={"Accept": "text/turtle"})
    assert content_type.split(";")[0].strip() == "text/turtle"
    graph = Graph().parse(data=body, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert set(graph.subjects(RDF.type, sd.Service)), body.decode()


def test_sparql_page_for_browsers(endpoint):
    content_type, body = http(endpoint, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert content_type.split(";")[0].strip() == "text/html"
    assert b"<html" in body.lower()
