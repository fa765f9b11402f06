//! Hostile reconciliation requests against the service of `kansrijk serve` (in process; as a
//! process where its memory is measured): a data extension that
//! multiplies ids by properties, batches of the costliest queries sent at once while a cheap
//! request must stay fast, a batch past its time limit, invalid UTF-8 by GET and POST, and every
//! limit of `/reconcile` just below and just above.

mod common;

use std::time::{Duration, Instant};

use axum::http::header::CONTENT_TYPE;
use common::{App, Request, Server};
use reqwest::blocking::Client;
use serde_json::{Value, json};

const DEF: &str = "https://w3id.org/kansrijk/def#";
const AALSMEER: &str = "https://w3id.org/kansrijk/id/gemeente/gm0358";
const IDENTIFIER: &str = "http://purl.org/dc/terms/identifier";
const AREA_SERVED: &str = "http://schema.org/areaServed";
const FORM: &str = "application/x-www-form-urlencoded";

struct Answer {
    status: u16,
    body: String,
    took: Duration,
}

impl Answer {
    /// The start of the body, enough to see why a check failed.
    fn shown(&self) -> String {
        self.body.chars().take(300).collect()
    }
}

fn answer(request: Request) -> Answer {
    let start = Instant::now();
    let response = request.send();
    let status = response.status().as_u16();
    let body = response.text();
    Answer { status, body, took: start.elapsed() }
}

fn post_body(server: &App, body: Vec<u8>) -> Answer {
    answer(server.post("/reconcile").header(CONTENT_TYPE, FORM).body(body))
}

fn post(server: &App, field: &str, value: &str) -> Answer {
    answer(server.post("/reconcile").form(&[(field, value)]))
}

/// The same POST to a `kansrijk serve` process, whose memory a test watches.
fn post_to_process(server: &Server, field: &str, value: &str) -> Answer {
    let client = Client::builder().timeout(Duration::from_secs(180)).build().expect("http client");
    let start = Instant::now();
    let response = client.post(server.url("/reconcile")).form(&[(field, value)]).send().expect("request sent");
    let status = response.status().as_u16();
    let body = response.text().expect("body");
    Answer { status, body, took: start.elapsed() }
}

/// GET of a path with its query string as given (percent-encoding kept).
fn get(server: &App, path_and_query: &str) -> Answer {
    answer(server.get(path_and_query))
}

fn encoded(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A data extension of `ids` municipalities by `properties` properties.
fn extension(ids: usize, properties: usize) -> Value {
    let ids: Vec<String> = (0..ids).map(|i| format!("https://w3id.org/kansrijk/id/gemeente/gm{i:04}")).collect();
    let properties: Vec<Value> = (0..properties)
        .map(|i| if i == 0 { json!({ "id": IDENTIFIER }) } else { json!({ "id": format!("http://example.org/p{i}") }) })
        .collect();
    json!({ "ids": ids, "properties": properties })
}

fn batch_of(query: Value) -> String {
    json!({ "q0": query }).to_string()
}

/// The costliest batch found: 100 queries of 1000 bytes of different made-up words, each
/// with a property constraint (which makes even weak name matches count).
fn worst_batch() -> String {
    let mut state: u64 = 1;
    let mut next = move |modulus: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % modulus
    };
    let queries: serde_json::Map<String, Value> = (0..100)
        .map(|index| {
            let mut text = String::new();
            while text.len() < 1_000 {
                let length = 3 + next(7);
                text.extend((0..length).map(|_| char::from(b'a' + next(26) as u8)));
                text.push(' ');
            }
            text.truncate(1_000);
            let constraint = json!([{ "pid": AREA_SERVED, "v": { "id": AALSMEER } }]);
            (format!("q{index}"), json!({ "query": text, "properties": constraint }))
        })
        .collect();
    Value::Object(queries).to_string()
}

fn assert_refused(answer: &Answer, what: &str, message: &str) {
    assert_eq!(answer.status, 400, "{what} just above its limit: {}", answer.shown());
    assert!(answer.body.contains(message), "{what}: the answer names the limit ({message:?}): {}", answer.shown());
}

#[test]
fn an_extension_multiplying_ids_by_properties_is_refused_at_once_and_costs_no_memory() {
    let server = Server::start(&[]);
    let idle_rss = server.rss_mib();

    let within_body_limit = post_to_process(&server, "extend", &extension(200, 50).to_string());
    assert_refused(&within_body_limit, "200 ids × 50 properties", "hooguit 2000");
    assert!(within_body_limit.took < Duration::from_secs(5), "refused in {:?}", within_body_limit.took);

    // The request of issue 13: 1000 ids × 20000 properties in 1.26 MB ran 37 s and kept 5.4 GB.
    let issue = post_to_process(&server, "extend", &extension(1_000, 20_000).to_string());
    assert_eq!(issue.status, 413, "{}", issue.shown());
    assert!(issue.body.contains("1 MB"), "{}", issue.shown());
    assert!(issue.took < Duration::from_secs(5), "refused in {:?}", issue.took);

    let rss = server.rss_mib();
    assert!(rss < idle_rss + 100.0, "{idle_rss:.0} MiB idle, {rss:.0} MiB after");
    assert!(server.is_alive());
}

#[test]
fn every_limit_answers_just_below_and_refuses_just_above() {
    let server = App::new();
    let accepted = |answer: Answer, what: &str| assert_eq!(answer.status, 200, "{what} at its limit: {}", answer.shown());

    accepted(post(&server, "extend", &extension(200, 1).to_string()), "ids");
    assert_refused(&post(&server, "extend", &extension(201, 1).to_string()), "ids", "hooguit 200");
    accepted(post(&server, "extend", &extension(1, 50).to_string()), "properties");
    assert_refused(&post(&server, "extend", &extension(1, 51).to_string()), "properties", "hooguit 50");
    accepted(post(&server, "extend", &extension(40, 50).to_string()), "cells");
    assert_refused(&post(&server, "extend", &extension(41, 50).to_string()), "cells", "hooguit 2000");

    // `{"x":"…"}` is 8 bytes around its text.
    let with_settings = |bytes: usize| {
        json!({ "ids": [AALSMEER], "properties": [{ "id": IDENTIFIER, "settings": { "x": "a".repeat(bytes - 8) } }] }).to_string()
    };
    accepted(post(&server, "extend", &with_settings(1_000)), "settings");
    assert_refused(&post(&server, "extend", &with_settings(1_001)), "settings", "meer dan 1000 bytes");

    let long_iri = |bytes: usize| format!("https://w3id.org/kansrijk/id/{}", "x".repeat(bytes - 29));
    let with_id = |bytes: usize| json!({ "ids": [long_iri(bytes)], "properties": [{ "id": IDENTIFIER }] }).to_string();
    accepted(post(&server, "extend", &with_id(1_000)), "an id");
    assert_refused(&post(&server, "extend", &with_id(1_001)), "an id", "meer dan 1000 bytes");

    let typed = |count: usize| batch_of(json!({ "query": "Aalsmeer", "type": vec![format!("{DEF}Municipality"); count] }));
    accepted(post(&server, "queries", &typed(10)), "types");
    assert_refused(&post(&server, "queries", &typed(11)), "types", "hooguit 10");

    let constrained = |count: usize| {
        let constraints = vec![json!({ "pid": IDENTIFIER, "v": "GM0358" }); count];
        batch_of(json!({ "query": "Aalsmeer", "properties": constraints }))
    };
    accepted(post(&server, "queries", &constrained(20)), "constraints");
    assert_refused(&post(&server, "queries", &constrained(21)), "constraints", "hooguit 20");

    let with_values = |count: usize| {
        batch_of(json!({ "query": "Aalsmeer", "properties": [{ "pid": IDENTIFIER, "v": vec!["GM0358"; count] }] }))
    };
    accepted(post(&server, "queries", &with_values(20)), "values");
    assert_refused(&post(&server, "queries", &with_values(21)), "values", "hooguit 20");

    let long_value =
        |bytes: usize| batch_of(json!({ "query": "Aalsmeer", "properties": [{ "pid": IDENTIFIER, "v": "x".repeat(bytes) }] }));
    accepted(post(&server, "queries", &long_value(1_000)), "a value");
    assert_refused(&post(&server, "queries", &long_value(1_001)), "a value", "meer dan 1000 bytes");

    let long_pid =
        |bytes: usize| batch_of(json!({ "query": "Aalsmeer", "properties": [{ "pid": long_iri(bytes), "v": "GM0358" }] }));
    accepted(post(&server, "queries", &long_pid(1_000)), "a pid");
    assert_refused(&post(&server, "queries", &long_pid(1_001)), "a pid", "meer dan 1000 bytes");

    let prefix = |bytes: usize| get(&server, &format!("/reconcile/suggest/entity?prefix={}", "a".repeat(bytes)));
    accepted(prefix(200), "a prefix");
    assert_refused(&prefix(201), "a prefix", "meer dan 200 bytes");

    let preview = |bytes: usize| get(&server, &format!("/reconcile/preview?id={}", encoded(&long_iri(bytes))));
    assert_eq!(preview(1_000).status, 404, "an unknown id at the limit is looked up");
    assert_refused(&preview(1_001), "a preview id", "meer dan 1000 bytes");

    // A form of exactly 1 MiB is read; one byte more is refused before it is parsed.
    let padded = |bytes: usize| format!("pad={}", "a".repeat(bytes - 4)).into_bytes();
    accepted(post_body(&server, padded(1024 * 1024)), "the body");
    let too_large = post_body(&server, padded(1024 * 1024 + 1));
    assert_eq!(too_large.status, 413, "{}", too_large.shown());
}

#[test]
fn invalid_utf8_is_refused_not_replaced() {
    let server = App::new();
    let valid = encoded(&batch_of(json!({ "query": "Súdwest-Fryslân" })));
    assert_eq!(get(&server, &format!("/reconcile?queries={valid}")).status, 200);
    assert_eq!(post_body(&server, format!("queries={valid}").into_bytes()).status, 200);

    let invalid = encoded(&batch_of(json!({ "query": "Aalsmeer" }))).replace("Aalsmeer", "Aalsmeer%FF");
    for (what, answer) in [
        ("GET", get(&server, &format!("/reconcile?queries={invalid}"))),
        ("POST form", post_body(&server, format!("queries={invalid}").into_bytes())),
        ("POST bytes", post_body(&server, [&b"queries={\"q0\":{\"query\":\"Aalsmeer"[..], b"\xff\"}}"].concat())),
        ("suggest entity", get(&server, "/reconcile/suggest/entity?prefix=aals%C3")),
        ("suggest type", get(&server, "/reconcile/suggest/type?prefix=gem%FF")),
    ] {
        assert_eq!(answer.status, 400, "{what}: {}", answer.shown());
        assert!(answer.body.contains("geen geldige UTF-8"), "{what}: {}", answer.shown());
    }
}

#[test]
fn two_of_the_costliest_batches_at_once_leave_cheap_requests_fast() {
    let server = App::new();
    let batch = worst_batch();
    let (answers, slowest) = std::thread::scope(|scope| {
        let senders: Vec<_> = (0..2).map(|_| scope.spawn(|| post(&server, "queries", &batch))).collect();
        let mut slowest = Duration::ZERO;
        while senders.iter().any(|sender| !sender.is_finished()) {
            let start = Instant::now();
            let status = server.get("/robots.txt").send().status();
            assert_eq!(status, 200);
            slowest = slowest.max(start.elapsed());
            std::thread::sleep(Duration::from_millis(20));
        }
        let answers: Vec<Answer> = senders.into_iter().map(|sender| sender.join().expect("sender thread")).collect();
        (answers, slowest)
    });
    for answer in &answers {
        assert_eq!(answer.status, 200, "{}", answer.shown());
        eprintln!("the costliest batch took {:?} beside another", answer.took);
    }
    assert!(slowest < Duration::from_millis(500), "/robots.txt took {slowest:?} while two batches ran");
}

#[test]
fn a_batch_past_its_time_limit_is_stopped_with_503() {
    let server = App::options().timeout_s(0.001).start();
    let stopped = post(&server, "queries", &worst_batch());
    assert_eq!(stopped.status, 503, "{}", stopped.shown());
    assert!(stopped.body.contains("gestopt"), "{}", stopped.shown());
    assert!(stopped.took < Duration::from_secs(5), "stopped after {:?}", stopped.took);
}
