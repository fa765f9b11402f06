//! Writes through the service of `kansrijk serve` (in process; bodies that lie about their size
//! or never arrive over a real connection): tokens (401/403, base graphs read-only), Graph Store
//! PUT/POST/GET/DELETE and SPARQL Update, validation (422) and bad input of every kind, with the
//! store and search index checked after each write, and readers running beside a writer.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use common::{App, Response, Server};

const OWN: &str = "https://w3id.org/kansrijk/graph/sociale-kaart-aalsmeer";
const ADMIN: &str = "Bearer 0123456789abcdef-beheer";
const AALSMEER: &str = "Bearer 0123456789abcdef-aalsmeer";
const OFFER: &str = "https://w3id.org/kansrijk/id/aanbod/test-tienermoedergroep-aalsmeer";

fn offer_turtle(label: &str) -> String {
    format!(
        r#"@prefix kr: <https://w3id.org/kansrijk/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
<{OFFER}> a kr:Offer ;
  skos:prefLabel "{label}"@nl ;
  schema:description "Testaanbod (fictief) voor tienermoeders en tienerzwangerschap."@nl ;
  schema:provider <https://w3id.org/kansrijk/id/organisatie/ggd-kennemerland> ;
  schema:areaServed <https://w3id.org/kansrijk/id/gemeente/gm0358> ;
  kr:theme <https://w3id.org/kansrijk/id/thema/tienerzwangerschap> ;
  dct:source <https://w3id.org/kansrijk/id/bron/factsheet-huisartsenpraktijk> .
"#
    )
}

fn token_file() -> tempfile::TempDir {
    let tokens = tempfile::tempdir().expect("temp dir");
    let file = tokens.path().join("tokens");
    std::fs::write(&file, format!("# test tokens\nbeheer 0123456789abcdef-beheer\naalsmeer 0123456789abcdef-aalsmeer {OWN}\n"))
        .expect("token file written");
    tokens
}

fn server() -> (App, tempfile::TempDir) {
    let tokens = token_file();
    let server = App::options().write_token_file(&tokens.path().join("tokens")).upload_timeout_s(2.0).start();
    (server, tokens)
}

/// A `kansrijk serve` process, for the requests that need a real connection.
fn tcp_server() -> (Server, tempfile::TempDir) {
    let tokens = token_file();
    let file = tokens.path().join("tokens");
    let server = Server::start(&["--write-token-file", file.to_str().expect("utf-8"), "--upload-timeout-s", "2"]);
    (server, tokens)
}

fn put(server: &App, graph: &str, token: Option<&str>, content_type: &str, body: impl Into<Bytes>) -> Response {
    let mut request = server.put(&format!("/store?graph={graph}")).header(CONTENT_TYPE, content_type).body(body);
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, token);
    }
    request.send()
}

fn update(server: &App, token: &str, text: &str) -> Response {
    server
        .post("/update")
        .header(AUTHORIZATION, token)
        .header(CONTENT_TYPE, "application/sparql-update")
        .body(text.to_owned())
        .send()
}

/// Labels of the search results for a question.
fn search(server: &App, question: &str) -> Vec<String> {
    server.search_hits(question, 20).iter().map(|hit| hit["label"].as_str().expect("label").to_owned()).collect()
}

#[test]
fn writes_need_a_token_for_the_right_graph_and_never_touch_base_graphs() {
    let (server, _tokens) = server();
    let body = offer_turtle("Tienermoedergroep Aalsmeer (fictief)");
    let missing = put(&server, OWN, None, "text/turtle", body.clone());
    assert_eq!(missing.status(), 401);
    assert!(missing.headers().contains_key(WWW_AUTHENTICATE));
    assert_eq!(put(&server, OWN, Some("Bearer wrong-token-wrong-token"), "text/turtle", body.clone()).status(), 401);
    assert_eq!(put(&server, "https://example.org/andere-kaart", Some(AALSMEER), "text/turtle", body.clone()).status(), 403);
    for base in ["factsheet", "cbs-regio", "aankondiging", "ontologie", "meta"] {
        let graph = format!("https://w3id.org/kansrijk/graph/{base}");
        assert_eq!(put(&server, &graph, Some(ADMIN), "text/turtle", body.clone()).status(), 403, "{graph}");
        let delete = server.delete(&format!("/store?graph={graph}")).header(AUTHORIZATION, ADMIN).send();
        assert_eq!(delete.status(), 403, "{graph}");
        let clear = update(&server, ADMIN, &format!("CLEAR GRAPH <{graph}>"));
        assert_eq!(clear.status(), 403, "{graph}");
    }
    let default_graph = server
        .put("/store?default")
        .header(AUTHORIZATION, AALSMEER)
        .header(CONTENT_TYPE, "text/turtle")
        .body(body.clone())
        .send();
    assert_eq!(default_graph.status(), 403);
    let insert = format!(
        "INSERT DATA {{ GRAPH <https://example.org/andere-kaart> {{ <{OFFER}> a <https://w3id.org/kansrijk/def#Offer> }} }}"
    );
    assert_eq!(update(&server, AALSMEER, &insert).status(), 403);
    assert_eq!(update(&server, ADMIN, "CLEAR ALL").status(), 403);
    assert_eq!(update(&server, ADMIN, "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }").status(), 403);
    assert_eq!(update(&server, ADMIN, "LOAD <http://example.org/data.ttl>").status(), 403);
    assert_eq!(server.triples_in(OWN), 0, "nothing was written");
    assert!(search(&server, "tienermoedergroep aalsmeer").iter().all(|label| !label.contains("fictief")));
}

#[test]
fn an_import_is_searchable_replaced_by_the_next_and_deleted_from_store_and_index() {
    let (server, _tokens) = server();
    let created = put(&server, OWN, Some(AALSMEER), "text/turtle", offer_turtle("Tienermoedergroep Aalsmeer (fictief)"));
    assert_eq!(created.status(), 201);
    let results = search(&server, "aanbod voor tienerzwangerschap in Aalsmeer");
    assert!(results.contains(&"Tienermoedergroep Aalsmeer (fictief)".to_owned()), "{results:?}");
    assert_eq!(server.triples_in(OWN), 7);
    let turtle = server.get(&format!("/store?graph={OWN}")).send();
    assert_eq!(turtle.status(), 200);
    assert!(turtle.text().contains("Tienermoedergroep Aalsmeer (fictief)"));
    let provenance = server
        .get("/sparql")
        .query(&[(
            "query",
            format!(
                "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?who WHERE {{ GRAPH ?meta {{ <{OWN}> prov:wasGeneratedBy ?activity . ?activity prov:wasAssociatedWith/rdfs:label ?who ; prov:endedAtTime ?when }} }}"
            )
            .as_str(),
        )])
        .header("Accept", "text/csv")
        .send()
        .text();
    assert!(provenance.contains("aalsmeer"), "{provenance}");
    assert!(!provenance.contains("0123456789abcdef"), "a token leaked into provenance");

    let replaced = put(&server, OWN, Some(AALSMEER), "text/turtle", offer_turtle("Groep voor jonge moeders Aalsmeer (fictief)"));
    assert_eq!(replaced.status(), 200);
    let results = search(&server, "jonge moeders aalsmeer");
    assert!(results.contains(&"Groep voor jonge moeders Aalsmeer (fictief)".to_owned()), "{results:?}");
    assert!(!search(&server, "tienermoedergroep").contains(&"Tienermoedergroep Aalsmeer (fictief)".to_owned()));
    assert_eq!(server.triples_in(OWN), 7, "the graph was replaced, not added to");

    let deleted = server.delete(&format!("/store?graph={OWN}")).header(AUTHORIZATION, AALSMEER).send();
    assert_eq!(deleted.status(), 204);
    assert_eq!(server.triples_in(OWN), 0);
    assert!(search(&server, "jonge moeders aalsmeer").iter().all(|label| !label.contains("fictief")));
    let again = server.delete(&format!("/store?graph={OWN}")).header(AUTHORIZATION, AALSMEER).send();
    assert_eq!(again.status(), 404);
    assert_eq!(server.get(&format!("/store?graph={OWN}")).send().status(), 404);
}

#[test]
fn sparql_updates_are_validated_and_indexed() {
    let (server, _tokens) = server();
    let insert = format!(
        "PREFIX kr: <https://w3id.org/kansrijk/def#> INSERT DATA {{ GRAPH <{OWN}> {{ {} }} }}",
        offer_turtle("Tienermoedergroep Aalsmeer (fictief)")
            .lines()
            .filter(|line| !line.starts_with("@prefix"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let inserted = update(&server, AALSMEER, &insert);
    assert_eq!(inserted.status(), 200, "{:?}", inserted.text());
    assert!(search(&server, "tienermoedergroep aalsmeer").contains(&"Tienermoedergroep Aalsmeer (fictief)".to_owned()));
    let by_sparql_endpoint = server
        .post("/sparql")
        .header(AUTHORIZATION, AALSMEER)
        .form(&[("update", format!("DELETE WHERE {{ GRAPH <{OWN}> {{ <{OFFER}> schema:description ?text }} }}"))])
        .send();
    assert_eq!(by_sparql_endpoint.status(), 422, "an offer without a description breaks the shapes");
    let report: serde_json::Value = by_sparql_endpoint.json();
    assert_eq!(report["violations"][0]["focusNode"], format!("<{OFFER}>"));
    assert_eq!(report["violations"][0]["path"], "http://schema.org/description");
    assert_eq!(server.triples_in(OWN), 7, "the rejected update changed nothing");
    assert_eq!(update(&server, AALSMEER, "INSERT DATA { GRAPH <x> { <a> <b> <c> }").status(), 400);
    let by_get = server.get("/sparql").query(&[("update", "CLEAR ALL")]).send();
    assert_eq!(by_get.status(), 400);
}

#[test]
fn bad_input_gets_a_clear_4xx_and_writes_nothing() {
    let (server, _tokens) = server();
    let malformed = put(&server, OWN, Some(AALSMEER), "text/turtle", "<a> <b> .\n");
    assert_eq!(malformed.status(), 400);
    let problem: serde_json::Value = malformed.json();
    assert!(
        problem["detail"].as_str().is_some_and(|detail| detail.starts_with("body:1:")),
        "the error names line and column: {problem}"
    );
    let unknown_type = put(&server, OWN, Some(AALSMEER), "application/x-spreadsheet", "a,b\n");
    assert_eq!(unknown_type.status(), 415);
    let other_graph = put(
        &server,
        OWN,
        Some(AALSMEER),
        "application/n-quads",
        format!("<{OFFER}> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" <https://example.org/elders> .\n"),
    );
    assert_eq!(other_graph.status(), 400);
    let invalid = put(
        &server,
        OWN,
        Some(AALSMEER),
        "text/turtle",
        offer_turtle("Geen aanbieder").replace("schema:provider", "schema:funder"),
    );
    assert_eq!(invalid.status(), 422);
    let report: serde_json::Value = invalid.json();
    let messages: Vec<&str> =
        report["violations"].as_array().expect("violations").iter().map(|v| v["message"].as_str().expect("message")).collect();
    assert!(messages.iter().any(|message| message.contains("aanbieder")), "{messages:?}");
    assert_eq!(put(&server, "not an iri", Some(AALSMEER), "text/turtle", "").status(), 400);
    assert_eq!(server.put("/store").header(AUTHORIZATION, AALSMEER).send().status(), 400);
    assert_eq!(server.triples_in(OWN), 0, "nothing was written");
}

/// Bodies whose size or arrival lies about them, over a real connection (so over a process): an
/// announced length too large, chunks past the limit, a body that never comes.
#[test]
fn oversized_and_unfinished_bodies_get_a_413_or_408_and_write_nothing() {
    let (server, _tokens) = tcp_server();

    // A 100 MB body: refused once its announced length is read, and when it comes in chunks.
    let hundred_mb = 100 * 1024 * 1024;
    assert!(raw_put(&server, &format!("Content-Length: {hundred_mb}\r\n"), &[b'#'; 1024 * 1024]).starts_with("HTTP/1.1 413"));
    let chunk = format!("100000\r\n{}\r\n", "#".repeat(0x100000));
    let chunks = chunk.repeat(100);
    assert!(raw_put(&server, "Transfer-Encoding: chunked\r\n", chunks.as_bytes()).starts_with("HTTP/1.1 413"));

    // A slow-loris upload: headers promise a body that never comes.
    let answer = raw_put(&server, "Content-Length: 100000\r\n", b"<a> <b>");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(server.triples_in(OWN), 0, "nothing was written");
}

/// Sends a PUT with `headers` and as much of `body` as the server reads, and returns the
/// answer the server gives.
fn raw_put(server: &Server, headers: &str, body: &[u8]) -> String {
    let address = server.base_url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).expect("connect");
    write!(
        stream,
        "PUT /store?graph={OWN} HTTP/1.1\r\nHost: {address}\r\nAuthorization: {AALSMEER}\r\nContent-Type: text/turtle\r\n{headers}\r\n"
    )
    .expect("send headers");
    // The server may answer and close before it has read everything.
    let _ = stream.write_all(body);
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn readers_get_consistent_answers_while_a_writer_replaces_graphs() {
    let (server, _tokens) = server();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        // Stops the readers however the writer below ends, so that the scope can join them.
        let _stop_readers = StopOnDrop(&stop);
        let readers: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    let mut answers = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let count = server.triples_in(OWN);
                        assert!(count == 0 || count == 7, "a reader saw a half-written graph: {count} triples");
                        let labels = search(&server, "aanbod voor tienerzwangerschap in Aalsmeer");
                        assert!(labels.iter().filter(|label| label.contains("(fictief)")).count() <= 1, "{labels:?}");
                        answers += 1;
                    }
                    answers
                })
            })
            .collect();
        for round in 0..6 {
            let label = format!("Tienermoedergroep Aalsmeer ronde {round} (fictief)");
            assert!(put(&server, OWN, Some(AALSMEER), "text/turtle", offer_turtle(&label)).status().is_success());
            let labels = search(&server, "tienermoedergroep aalsmeer");
            assert!(labels.contains(&label), "the write returns once the index shows it: {labels:?}");
        }
        stop.store(true, Ordering::Relaxed);
        for reader in readers {
            assert!(reader.join().expect("reader did not fail") > 0);
        }
    });
}

struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

const DEMO_HSDS: &str = include_str!("../graph-data/demo/sociale-kaart-demo.hsds.json");

#[test]
fn an_hsds_social_map_is_imported_by_put_and_bad_hsds_gets_every_problem() {
    let (server, _tokens) = server();
    let imported = put(&server, OWN, Some(AALSMEER), "application/json", DEMO_HSDS);
    assert_eq!(imported.status(), 201);
    let report: serde_json::Value = imported.json();
    assert_eq!(report["services"], 10);
    assert_eq!(report["organizations"], 5);
    let results = search(&server, "aanbod voor tienerzwangerschap in Aalsmeer");
    assert_eq!(results.first().map(String::as_str), Some("Steunpunt tienermoeders Aalsmeer (fictief)"), "{results:?}");
    let zwolle = search(&server, "taalbarrière zwangerschap Zwolle");
    assert!(zwolle.contains(&"Taalmaatje zwangerschap en geboorte (fictief)".to_owned()), "{zwolle:?}");
    let offers = server
        .get("/sparql")
        .query(&[(
            "query",
            format!("SELECT (COUNT(?offer) AS ?n) WHERE {{ GRAPH <{OWN}> {{ ?offer a kr:Offer ; schema:areaServed ?area }} }}")
                .as_str(),
        )])
        .header("Accept", "text/csv")
        .send()
        .text();
    assert_eq!(offers.lines().nth(1), Some("11"), "10 offers, one of them in two municipalities");

    let unknown_field = DEMO_HSDS.replacen("\"name\"", "\"naam_foutief\": 1, \"name\"", 1);
    let answer = put(&server, OWN, Some(AALSMEER), "application/json", unknown_field);
    assert_eq!(answer.status(), 422);
    let report: serde_json::Value = answer.json();
    let problems = report["problems"].as_array().expect("problems");
    assert!(
        problems
            .iter()
            .any(|problem| problem["message"].as_str().expect("message").contains("naam_foutief") && problem["line"].is_number())
    );
    let nowhere = put(&server, OWN, Some(AALSMEER), "application/json", DEMO_HSDS.replace("\"Zwolle\"", "\"Atlantis\""));
    assert_eq!(nowhere.status(), 422);
    assert!(nowhere.text().contains("Atlantis"));
    let not_json = put(&server, OWN, Some(AALSMEER), "application/json", "[{\"id\": ");
    assert_eq!(not_json.status(), 400);
    let by_post = server
        .post(&format!("/store?graph={OWN}"))
        .header(AUTHORIZATION, AALSMEER)
        .header(CONTENT_TYPE, "application/json")
        .body(DEMO_HSDS)
        .send();
    assert_eq!(by_post.status(), 400);
    assert_eq!(
        search(&server, "aanbod voor tienerzwangerschap in Aalsmeer").first().map(String::as_str),
        Some("Steunpunt tienermoeders Aalsmeer (fictief)"),
        "the failed imports left the first one in place"
    );
}

#[test]
fn the_examples_an_integrator_copies_are_valid_and_found_by_search() {
    let (server, _tokens) = server();
    let turtle = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/aanbod.ttl")).expect("examples/aanbod.ttl");
    let answer = put(&server, OWN, Some(AALSMEER), "text/turtle", turtle);
    assert!(answer.status().is_success(), "examples/aanbod.ttl is refused: {}", answer.text());
    let hsds =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/aanbod.hsds.json")).expect("examples/aanbod.hsds.json");
    let graph = "https://w3id.org/kansrijk/graph/voorbeeld-hsds";
    let answer = put(&server, graph, Some(ADMIN), "application/json", hsds);
    assert!(answer.status().is_success(), "examples/aanbod.hsds.json is refused: {}", answer.text());
    let found = search(&server, "inloopochtend jonge ouders Aalsmeer");
    for label in ["Inloopochtend jonge ouders Aalsmeer (voorbeeld)", "Inloopochtend jonge ouders Aalsmeer (voorbeeld, HSDS)"] {
        assert!(found.iter().take(3).any(|found| found == label), "{label} in the top 3: {found:?}");
    }
}

#[test]
fn an_hsds_import_says_what_it_could_not_map_and_which_place_a_name_may_mean() {
    let (server, _tokens) = server();
    let bergen = put(&server, OWN, Some(AALSMEER), "application/json", DEMO_HSDS.replace("\"Zwolle\"", "\"Bergen\""));
    assert_eq!(bergen.status(), 422);
    let bergen = bergen.text();
    assert!(
        bergen.contains("`Bergen` is de naam van meer dan één plaats") && bergen.contains("GM0373") && bergen.contains("GM0893"),
        "{bergen}"
    );
    let typo = put(&server, OWN, Some(AALSMEER), "application/json", DEMO_HSDS.replace("\"Zwolle\"", "\"Zwole\""));
    assert_eq!(typo.status(), 422);
    let typo = typo.text();
    assert!(typo.contains("bedoelt u Zwolle (gemeente, GM0193)?"), "{typo}");

    let unmapped = DEMO_HSDS.replace("\"name\": \"Tienerzwangerschap\"", "\"name\": \"Schuldhulp\"");
    assert_ne!(unmapped, DEMO_HSDS, "the demo map has a taxonomy term to change");
    let answer = put(&server, OWN, Some(AALSMEER), "application/json", unmapped);
    assert!(answer.status().is_success(), "{}", answer.status());
    let report: serde_json::Value = answer.json();
    let warnings = report["warnings"].as_array().expect("warnings in the answer");
    assert!(
        warnings
            .iter()
            .any(|warning| warning["message"].as_str().is_some_and(|message| message.contains("`Schuldhulp` is geen thema"))
                && warning["line"].is_number()),
        "{report}"
    );
}
