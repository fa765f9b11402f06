//! The SPARQL 1.1 Protocol against the service of `kansrijk serve` (in process): query methods,
//! formats, negotiation, datasets, errors, CORS, the refusal of updates and the query timeout.

use std::time::{Duration, Instant};

use axum::http::Method;
use axum::http::header::{ACCEPT, CONTENT_TYPE};

mod common;
use common::{App, Response};

const AALSMEER_GGD: &str =
    "SELECT ?ggd WHERE { <https://w3id.org/kansrijk/id/gemeente/gm0358> schema:containedInPlace ?ggd . ?ggd a kr:GGDRegion }";
const DESCRIBE_AALSMEER: &str = "DESCRIBE <https://w3id.org/kansrijk/id/gemeente/gm0358>";

fn get(server: &App, query: &str, accept: Option<&str>) -> Response {
    let mut request = server.get("/sparql").query(&[("query", query)]);
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    request.send()
}

fn media_type(response: &Response) -> String {
    let value = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    value.split(';').next().unwrap_or_default().trim().to_owned()
}

#[test]
fn query_by_get_post_form_and_post_body() {
    let server = App::new();
    let by_get = get(&server, AALSMEER_GGD, Some("application/sparql-results+json"));
    assert_eq!(by_get.status(), 200);
    let by_get = by_get.text();
    assert!(by_get.contains("https://w3id.org/kansrijk/id/ggd-regio/gg3406"), "{by_get}");

    let by_form = server.post("/sparql").form(&[("query", AALSMEER_GGD)]).send();
    assert_eq!(by_form.status(), 200);
    assert_eq!(by_form.text(), by_get);

    let by_body = server.post("/sparql").header(CONTENT_TYPE, "application/sparql-query").body(AALSMEER_GGD).send();
    assert_eq!(by_body.status(), 200);
    assert_eq!(by_body.text(), by_get);
}

/// Asks `query` in each (media type, format name, marker) by `Accept` and by `format`
/// (with a browser's `Accept`), and checks the answer's type and content.
fn check_formats(server: &App, query: &str, cases: &[(&str, &str, &str)]) {
    for (accept, name, marker) in cases {
        let response = get(server, query, Some(accept));
        assert_eq!(response.status(), 200, "{accept}");
        assert_eq!(media_type(&response), *accept);
        let body = response.text();
        assert!(body.contains(marker) && body.contains("gg3406"), "{accept}: {body}");
        let response =
            server.get("/sparql").query(&[("query", query), ("format", name)]).header(ACCEPT, "text/html,*/*;q=0.8").send();
        assert_eq!(media_type(&response), *accept, "format={name}");
    }
}

#[test]
fn every_result_format_by_accept_and_by_format_parameter() {
    let server = App::new();
    check_formats(
        &server,
        AALSMEER_GGD,
        &[
            ("application/sparql-results+json", "json", "\"bindings\""),
            ("application/sparql-results+xml", "xml", "<sparql"),
            ("text/csv", "csv", "ggd\r\n"),
            ("text/tab-separated-values", "tsv", "?ggd\n"),
        ],
    );
    check_formats(
        &server,
        DESCRIBE_AALSMEER,
        &[
            ("text/turtle", "ttl", "schema:containedInPlace"),
            ("application/n-triples", "nt", "<http://schema.org/containedInPlace>"),
            ("application/rdf+xml", "rdfxml", "rdf:RDF"),
            ("application/ld+json", "jsonld", "\"@id\""),
            ("application/n-quads", "nq", "<http://schema.org/containedInPlace>"),
            ("application/trig", "trig", "containedInPlace"),
        ],
    );
    let ask = get(&server, "ASK { ?m dct:identifier 'GM0358' }", Some("application/sparql-results+json"));
    assert!(ask.text().contains("true"));
}

#[test]
fn datasets_from_protocol_parameters() {
    let server = App::new();
    let theme_query = "ASK { ?t a kr:Theme }";
    let in_regions = server
        .get("/sparql")
        .query(&[("query", theme_query), ("default-graph-uri", "https://w3id.org/kansrijk/graph/cbs-regio")])
        .header(ACCEPT, "application/sparql-results+json")
        .send()
        .text();
    assert!(in_regions.contains("false"), "the regions graph has no themes: {in_regions}");
    let in_union = get(&server, theme_query, Some("application/sparql-results+json")).text();
    assert!(in_union.contains("true"), "the default graph is the union of the named graphs");
    let named = server
        .get("/sparql")
        .query(&[
            ("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
            ("named-graph-uri", "https://w3id.org/kansrijk/graph/factsheet"),
        ])
        .header(ACCEPT, "text/csv")
        .send()
        .text();
    assert_eq!(named.trim(), "g\r\nhttps://w3id.org/kansrijk/graph/factsheet");
    let invalid = server.get("/sparql").query(&[("query", theme_query), ("default-graph-uri", "geen iri")]).send();
    assert_eq!(invalid.status(), 400);
}

#[test]
fn bad_requests_get_clear_errors() {
    let server = App::new();
    let malformed = get(&server, "SELECT ?x WHERE { ?x ", None);
    assert_eq!(malformed.status(), 400);
    assert!(malformed.text().contains("geen geldige SPARQL"));

    let not_acceptable = get(&server, AALSMEER_GGD, Some("image/png"));
    assert_eq!(not_acceptable.status(), 406);
    assert!(not_acceptable.text().contains("application/sparql-results+json"));

    let wrong_type = server.post("/sparql").header(CONTENT_TYPE, "text/plain").body(AALSMEER_GGD).send();
    assert_eq!(wrong_type.status(), 415);
    assert!(wrong_type.text().contains("application/sparql-query"));

    let invalid_utf8 =
        server.post("/sparql").header(CONTENT_TYPE, "application/sparql-query").body(vec![0xff, 0xfe, 0x41]).send();
    assert_eq!(invalid_utf8.status(), 400);

    let unknown_format =
        server.get("/sparql").query(&[("query", AALSMEER_GGD), ("format", "pdf")]).header(ACCEPT, "image/png").send();
    assert_eq!(unknown_format.status(), 406);
}

#[test]
fn updates_are_refused() {
    let server = App::new();
    let insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }";
    let by_form = server.post("/sparql").form(&[("update", insert)]).send();
    assert_eq!(by_form.status(), 403);
    let by_body = server.post("/sparql").header(CONTENT_TYPE, "application/sparql-update").body(insert).send();
    assert_eq!(by_body.status(), 403);
    let by_update_endpoint = server.post("/update").header(CONTENT_TYPE, "application/sparql-update").body(insert).send();
    assert_eq!(by_update_endpoint.status(), 403);
    let as_query = get(&server, insert, None);
    assert_eq!(as_query.status(), 400, "an update is not a query");
    let unchanged = get(&server, "ASK { <http://example.org/a> ?p ?o }", Some("application/sparql-results+json"));
    assert!(unchanged.text().contains("false"));
}

#[test]
fn service_description_query_page_and_cors() {
    let server = App::new();
    let description = server.get("/sparql").header(ACCEPT, "text/turtle").send();
    assert_eq!(description.status(), 200);
    let body = description.text();
    assert!(body.contains("sd:Service") && body.contains("sd:UnionDefaultGraph"), "{body}");

    let page = server.get("/sparql").header(ACCEPT, "text/html,*/*;q=0.8").send();
    assert_eq!(media_type(&page), "text/html");
    let html = page.text();
    assert!(html.contains("<form") && html.contains("lang=\"nl\""));

    let cors = server.get("/sparql").query(&[("query", AALSMEER_GGD)]).header("Origin", "https://sociale-kaart.example").send();
    assert_eq!(cors.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some("*"));
    let preflight = server
        .request(Method::OPTIONS, "/sparql")
        .header("Origin", "https://sociale-kaart.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send();
    assert!(preflight.status().is_success());
}

#[test]
fn a_slow_query_is_stopped_at_the_timeout_while_others_are_served() {
    let server = App::options().timeout_s(1.0).start();
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = Instant::now();
    let (status, body, elapsed) = std::thread::scope(|scope| {
        let slow = scope.spawn(|| {
            let response = server.get("/sparql").query(&[("query", heavy)]).send();
            (response.status(), response.text(), started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(200));
        let quick_start = Instant::now();
        let quick = get(&server, AALSMEER_GGD, Some("text/csv"));
        assert_eq!(quick.status(), 200);
        assert!(quick_start.elapsed() < Duration::from_millis(900), "other requests are served while the slow query runs");
        slow.join().expect("slow request thread")
    });
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("duurde langer dan de grens"), "{body}");
    assert!(elapsed < Duration::from_secs(5), "answered at the timeout, took {elapsed:?}");
    // The query is really stopped: the server goes idle.
    std::thread::sleep(Duration::from_millis(500));
    let used = server.cpu_load(Duration::from_secs(1));
    assert!(used < 0.3, "the server still burns {used:.2} CPU s per s after the timeout");
}

/// `ORDER BY` under `LIMIT` keeps only the best solutions while it collects (a patch of the
/// evaluator); the answer must equal the same slice of the full order, ties included.
#[test]
fn ordered_slices_equal_the_slice_of_the_full_order() {
    let server = App::new();
    let rows = |query: &str| -> Vec<String> {
        let body = get(&server, query, Some("text/tab-separated-values")).text();
        body.lines().skip(1).map(ToOwned::to_owned).collect()
    };
    let ordered = "SELECT ?label ?c WHERE { ?c skos:prefLabel ?label } ORDER BY DESC(STRLEN(?label)) ?label ?c";
    let full = rows(ordered);
    assert!(full.len() > 100, "{} labels", full.len());
    for (offset, limit) in [(0, 1), (0, 7), (5, 10), (90, 30), (0, 5000)] {
        let slice = rows(&format!("{ordered} OFFSET {offset} LIMIT {limit}"));
        let expected: Vec<String> = full.iter().skip(offset).take(limit).cloned().collect();
        assert_eq!(slice, expected, "OFFSET {offset} LIMIT {limit}");
    }
    let projected = rows("SELECT ?label WHERE { ?c skos:prefLabel ?label } ORDER BY ?label LIMIT 3");
    let all: Vec<String> = rows("SELECT ?label WHERE { ?c skos:prefLabel ?label } ORDER BY ?label");
    assert_eq!(projected, all[..3]);
}

#[test]
fn every_example_query_on_the_page_runs_and_returns_each_row_once() {
    let server = App::new();
    let html = server.get("/sparql").header(ACCEPT, "text/html").send().text();
    let examples: Vec<String> = html
        .split("<textarea")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').and_then(|(_, text)| text.split_once("</textarea>")).map(|(query, _)| query))
        .map(|query| query.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
        .collect();
    assert!(examples.len() >= 5, "the page shows its examples: {}", examples.len());
    for query in &examples {
        let answer = get(&server, query, Some("text/csv"));
        assert_eq!(answer.status(), 200, "{query}");
        let body = answer.text();
        let rows: Vec<&str> = body.lines().skip(1).collect();
        assert!(!rows.is_empty(), "the example finds something:\n{query}");
        let distinct: std::collections::HashSet<&&str> = rows.iter().collect();
        assert_eq!(distinct.len(), rows.len(), "each row once (not once per language of a label):\n{query}\n{body}");
    }
}
