//! Hostile writes against the service of `kansrijk serve` (in process; as a process where its
//! memory is measured), by token holders: memory bombs (billion laughs
//! in RDF/XML, a million empty HSDS services, a long Turtle collection, deep JSON-LD and triple
//! terms) that must be refused quickly with little memory; literals and IRIs too large for the
//! store, which must get a 4xx, not a 500; and writes that reach beyond their graph by adding to
//! kansrijk's own themes or to another token's offers, which must be refused while linking to
//! such resources stays allowed. Also the `Bearer` scheme in any case.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use common::{App, Response, Server};
use reqwest::blocking::Client;

const GRAPH: &str = "https://w3id.org/kansrijk/graph/test";
const TOKEN: &str = "Bearer 0123456789abcdef-test";
const OTHER_GRAPH: &str = "https://w3id.org/kansrijk/graph/ander";
const OTHER_TOKEN: &str = "Bearer 0123456789abcdef-ander";
const ADMIN_TOKEN: &str = "Bearer 0123456789abcdef-beheer";
const THEME: &str = "https://w3id.org/kansrijk/id/thema/geldzorgen";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";

fn token_file() -> tempfile::TempDir {
    let tokens = tempfile::tempdir().expect("temp dir");
    let file = tokens.path().join("tokens");
    std::fs::write(
        &file,
        format!(
            "test 0123456789abcdef-test {GRAPH}\nander 0123456789abcdef-ander {OTHER_GRAPH}\n\
             beheer 0123456789abcdef-beheer\n"
        ),
    )
    .expect("token file written");
    tokens
}

fn server() -> (App, tempfile::TempDir) {
    let tokens = token_file();
    (App::options().write_token_file(&tokens.path().join("tokens")).start(), tokens)
}

/// A `kansrijk serve` process, for the test that watches its memory.
fn process() -> (Server, tempfile::TempDir) {
    let tokens = token_file();
    let file = tokens.path().join("tokens");
    (Server::start(&["--write-token-file", file.to_str().expect("utf-8")]), tokens)
}

fn put(server: &App, graph: &str, token: &str, content_type: &str, body: impl Into<Bytes>) -> Response {
    server.put(&format!("/store?graph={graph}")).header(AUTHORIZATION, token).header(CONTENT_TYPE, content_type).body(body).send()
}

/// The same PUT to the `kansrijk serve` process.
fn put_to_process(
    server: &Server,
    graph: &str,
    token: &str,
    content_type: &str,
    body: impl Into<reqwest::blocking::Body>,
) -> reqwest::blocking::Response {
    Client::builder()
        .timeout(Duration::from_secs(300))
        .build()
        .expect("http client")
        .put(server.url(&format!("/store?graph={graph}")))
        .header(AUTHORIZATION, token)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .expect("PUT sent")
}

fn update(server: &App, token: &str, text: String) -> Response {
    server.post("/update").header(AUTHORIZATION, token).header(CONTENT_TYPE, "application/sparql-update").body(text).send()
}

/// What `send` answered, how long it took and how far the server's memory rose above where it
/// was before, sampled every 10 ms while it ran.
fn measured(server: &Server, send: impl FnOnce() -> reqwest::blocking::Response) -> (u16, String, Duration, f64) {
    let before = server.rss_mib();
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut peak = before;
            while !done.load(Ordering::Relaxed) {
                peak = peak.max(server.rss_mib());
                std::thread::sleep(Duration::from_millis(10));
            }
            peak
        });
        let started = Instant::now();
        let answer = send();
        let elapsed = started.elapsed();
        let status = answer.status().as_u16();
        let text = answer.text().expect("answer body");
        done.store(true, Ordering::Relaxed);
        let peak = sampler.join().expect("sampler");
        (status, text, elapsed, peak - before)
    })
}

/// Nested internal entities: `&lol9;` expands to 10⁹ × "lol" (3 GB, 11.9 GB of memory and a 500
/// before entities were bounded).
fn billion_laughs() -> String {
    let mut declarations = vec![r#"<!ENTITY lol0 "lol">"#.to_owned()];
    declarations.extend((1..=9).map(|level| format!(r#"<!ENTITY lol{level} "{}">"#, format!("&lol{};", level - 1).repeat(10))));
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n{}\n]>\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns:s=\"http://schema.org/\"><rdf:Description rdf:about=\"https://example.org/x\"><s:name>&lol9;</s:name>\
         </rdf:Description></rdf:RDF>",
        declarations.join("\n")
    )
}

#[test]
fn memory_bombs_are_refused_quickly_and_cheaply() {
    let (server, _tokens) = process();

    let bomb = billion_laughs();
    assert!(bomb.len() < 1000, "a bomb of {} bytes", bomb.len());
    let (status, text, elapsed, grown) = measured(&server, || put_to_process(&server, GRAPH, TOKEN, "application/rdf+xml", bomb));
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("entiteiten") && text.contains("16 MiB"), "{text}");
    assert!(elapsed < Duration::from_secs(2) && grown < 100.0, "billion laughs: {elapsed:?}, {grown:.0} MiB");

    // A million empty services in 3 MB: once six million problems in a 736 MB answer and 8.8 GB.
    let empty_services = format!("[{}]", vec!["{}"; 1_000_000].join(","));
    let (status, text, elapsed, grown) =
        measured(&server, || put_to_process(&server, GRAPH, TOKEN, "application/json", empty_services));
    assert_eq!(status, 422, "{text}");
    assert!(text.len() < 10_000, "a short answer, not {} bytes", text.len());
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON report");
    assert_eq!(report["total"], 1, "{report}");
    assert!(report["problems"][0]["message"].as_str().expect("message").contains("1000000 diensten"), "{report}");
    assert!(elapsed < Duration::from_secs(5) && grown < 500.0, "empty services: {elapsed:?}, {grown:.0} MiB");

    // Fewer services, each with its problems: the first hundred are listed, and all are counted.
    let (status, text, _, _) = measured(&server, || {
        put_to_process(&server, GRAPH, TOKEN, "application/json", format!("[{}]", vec!["{}"; 50_000].join(",")))
    });
    assert_eq!(status, 422);
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON report");
    assert_eq!(report["total"], 300_000, "{}", report["message"]);
    assert_eq!(report["problems"].as_array().expect("problems").len(), 100);
    assert!(text.len() < 100_000, "a short answer, not {} bytes", text.len());

    // 500,000 items in 3 MB of Turtle are a million statements: 64 s and 2 GB before lists were bounded.
    let items: Vec<String> = (0..500_000).map(|item| item.to_string()).collect();
    let collection = format!("<https://example.org/x> <http://schema.org/name> ( {} ) .", items.join(" "));
    let (status, text, elapsed, grown) = measured(&server, || put_to_process(&server, GRAPH, TOKEN, "text/turtle", collection));
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("10000 elementen in RDF-lijsten"), "{text}");
    assert!(elapsed < Duration::from_secs(5) && grown < 500.0, "collection: {elapsed:?}, {grown:.0} MiB");

    // JSON-LD nested 1,000 levels deep took 190 MB (5,000 levels more than 3 GB).
    let deep = format!(
        "{{\"@id\": \"https://example.org/x\", {}\"@value\": 1{}}}",
        "\"http://schema.org/p\": {".repeat(1000),
        "}".repeat(1000)
    );
    let (status, text, elapsed, grown) = measured(&server, || put_to_process(&server, GRAPH, TOKEN, "application/ld+json", deep));
    assert_eq!(status, 400, "{text}");
    assert!(elapsed < Duration::from_secs(2) && grown < 50.0, "deep JSON-LD: {elapsed:?}, {grown:.0} MiB");

    // Triple terms 10,000 levels deep (half a megabyte) overflowed the stack and aborted the server.
    let terms = format!(
        "<https://example.org/x> <http://schema.org/p> {}1{} .",
        "<<( <https://example.org/a> <http://schema.org/p> ".repeat(10_000),
        " )>>".repeat(10_000)
    );
    let (status, text, _, _) = measured(&server, || put_to_process(&server, GRAPH, TOKEN, "text/turtle", terms));
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("triple terms"), "{text}");

    assert!(server.is_alive());
    assert_eq!(server.triples_in(GRAPH), 0, "nothing was written");
}

#[test]
fn oversized_terms_get_a_4xx_naming_the_limit_and_never_a_500() {
    let (server, _tokens) = server();
    let big = "a".repeat(17 * 1024 * 1024);
    let by_rdf_xml = format!(
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:s=\"http://schema.org/\">\
         <rdf:Description rdf:about=\"https://example.org/x\"><s:name>{big}</s:name></rdf:Description></rdf:RDF>"
    );
    let answer = put(&server, GRAPH, TOKEN, "application/rdf+xml", by_rdf_xml);
    assert_eq!(answer.status(), 413);
    let text = answer.text();
    assert!(text.contains("1 MiB") && text.contains("<https://example.org/x>"), "{text}");

    // An update's text is at most 1 MiB, so its literals stay within their limit too.
    let by_update = format!("INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <http://schema.org/name> \"{big}\" }} }}");
    let answer = update(&server, TOKEN, by_update);
    assert_eq!(answer.status(), 400);
    assert!(answer.text().contains("te lang"));

    let long_iri = format!("<https://example.org/{}> <http://schema.org/name> \"x\" .", &big[..100_000]);
    let answer = put(&server, GRAPH, TOKEN, "text/turtle", long_iri);
    assert_eq!(answer.status(), 413);
    assert!(answer.text().contains("64 KiB"));
    let huge_iri = format!("<https://example.org/{big}> <http://schema.org/name> \"x\" .");
    let status = put(&server, GRAPH, TOKEN, "text/turtle", huge_iri).status();
    assert!(status == 400 || status == 413, "{status}");

    let other_graphs: String = (0..1000)
        .map(|graph| format!("<https://example.org/g{graph}> {{ <https://example.org/x> <http://schema.org/name> \"x\" }}\n"))
        .collect();
    assert_eq!(put(&server, GRAPH, TOKEN, "application/trig", other_graphs).status(), 400);

    assert!(server.is_alive());
    assert_eq!(server.triples_in(GRAPH), 0, "nothing was written");
}

/// An offer in `graph` that links to kansrijk's own resources: a provider, a municipality, a theme
/// and a source.
fn offer(iri: &str, label: &str) -> String {
    format!(
        r#"@prefix kr: <https://w3id.org/kansrijk/def#> .
@prefix skos: <{SKOS}> .
@prefix schema: <http://schema.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
<{iri}> a kr:Offer ;
  skos:prefLabel "{label}"@nl ;
  schema:description "Testaanbod (fictief) voor gezinnen met geldzorgen."@nl ;
  schema:provider <https://w3id.org/kansrijk/id/organisatie/ggd-kennemerland> ;
  schema:areaServed <https://w3id.org/kansrijk/id/gemeente/gm0358> ;
  kr:theme <{THEME}> ;
  dct:source <https://w3id.org/kansrijk/id/bron/factsheet-huisartsenpraktijk> .
"#
    )
}

fn theme_page(server: &App, accept: &str) -> String {
    let answer = server.get("/id/thema/geldzorgen").header(ACCEPT, accept).send();
    assert_eq!(answer.status(), 200);
    answer.text()
}

#[test]
fn a_token_adds_nothing_about_base_resources_or_another_tokens_offers_but_may_link_to_them() {
    let (server, _tokens) = server();
    let pages_before: Vec<String> =
        ["text/html", "text/turtle", "application/ld+json"].map(|accept| theme_page(&server, accept)).into();

    let hacked = format!("INSERT DATA {{ GRAPH <{GRAPH}> {{ <{THEME}> <{SKOS}altLabel> \"GEHACKT\"@nl }} }}");
    let answer = update(&server, TOKEN, hacked.clone());
    assert_eq!(answer.status(), 403);
    let text = answer.text();
    assert!(text.contains(THEME) && text.contains("bron van kansrijk zelf"), "{text}");
    let by_pattern = format!(
        "INSERT {{ GRAPH <{GRAPH}> {{ ?theme <{SKOS}altLabel> \"GEHACKT\"@nl }} }} \
         WHERE {{ GRAPH ?g {{ ?theme a <https://w3id.org/kansrijk/def#Theme> }} }}"
    );
    assert_eq!(update(&server, TOKEN, by_pattern).status(), 403);
    let by_put = format!("<{THEME}> <{SKOS}altLabel> \"GEHACKT\"@nl .");
    assert_eq!(put(&server, GRAPH, TOKEN, "text/turtle", by_put.clone()).status(), 403);
    assert_eq!(put(&server, "https://w3id.org/kansrijk/graph/beheer", ADMIN_TOKEN, "text/turtle", by_put).status(), 403);
    assert_eq!(update(&server, ADMIN_TOKEN, hacked.replace(GRAPH, "https://w3id.org/kansrijk/graph/beheer")).status(), 403);
    let pages_after: Vec<String> =
        ["text/html", "text/turtle", "application/ld+json"].map(|accept| theme_page(&server, accept)).into();
    assert_eq!(pages_before, pages_after, "the theme is as it was");
    assert!(!pages_after[0].contains("GEHACKT"));
    assert!(server.search_hits("gehackt", 10).iter().all(|hit| hit["iri"] != THEME), "search does not find the theme");

    // Linking to the theme, a municipality and a provider, as objects, stays allowed.
    let mine = "https://w3id.org/kansrijk/id/aanbod/test-budgetcoach";
    assert_eq!(put(&server, GRAPH, TOKEN, "text/turtle", offer(mine, "Budgetcoach Aalsmeer (fictief)")).status(), 201);
    let theirs = "https://w3id.org/kansrijk/id/aanbod/ander-schuldhulp";
    assert_eq!(
        put(&server, OTHER_GRAPH, OTHER_TOKEN, "text/turtle", offer(theirs, "Schuldhulp Aalsmeer (fictief)")).status(),
        201
    );
    assert!(server.search_hits("budgetcoach aalsmeer", 10).iter().any(|hit| hit["iri"] == mine));

    // Another token's offer is theirs to describe, for every token.
    let taken_over = format!("INSERT DATA {{ GRAPH <{GRAPH}> {{ <{theirs}> <{SKOS}altLabel> \"Overgenomen\"@nl }} }}");
    let answer = update(&server, TOKEN, taken_over.clone());
    assert_eq!(answer.status(), 403);
    assert!(answer.text().contains(OTHER_GRAPH));
    assert_eq!(update(&server, ADMIN_TOKEN, taken_over.replace(GRAPH, "https://w3id.org/kansrijk/graph/beheer")).status(), 403);
    // Its own graph changes as before, and a token without limits writes that graph itself.
    assert_eq!(put(&server, GRAPH, TOKEN, "text/turtle", offer(mine, "Budgetcoach Amstelland (fictief)")).status(), 200);
    assert_eq!(update(&server, ADMIN_TOKEN, taken_over.replace(GRAPH, OTHER_GRAPH)).status(), 200);
    assert_eq!((server.triples_in(GRAPH), server.triples_in(OTHER_GRAPH)), (7, 8), "the label went into the offer's own graph");
}

#[test]
fn the_bearer_scheme_is_case_insensitive() {
    let (server, _tokens) = server();
    let offer = offer("https://w3id.org/kansrijk/id/aanbod/test-bearer", "Bearer-test (fictief)");
    let secret = TOKEN.trim_start_matches("Bearer ");
    for (authorization, status) in
        [(format!("BEARER {secret}"), 201), (format!("bearer {secret}"), 200), (format!("Bearer   {secret}  "), 200)]
    {
        assert_eq!(put(&server, GRAPH, &authorization, "text/turtle", offer.clone()).status(), status, "{authorization}");
    }
    assert_eq!(put(&server, GRAPH, &format!("Basic {secret}"), "text/turtle", offer).status(), 401);
}
