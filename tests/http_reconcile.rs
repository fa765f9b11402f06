//! The reconciliation API under bad input, through the HTTP service (in process): whatever a client sends as `queries`
//! or `extend` is answered with a result or a 400 with a message, never a 500 (a property test),
//! and the limits on batches hold. Protocol conformance is tested against the spec's JSON
//! schemas in `tests/python/test_reconciliation.py`.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

mod common;
use common::App;

fn post(server: &App, field: &str, value: &str) -> (u16, String) {
    let response = server.post("/reconcile").form(&[(field, value)]).send();
    (response.status().as_u16(), response.text())
}

#[test]
fn any_input_gets_an_answer_or_a_400_never_a_500() {
    let server = App::new();
    let json_like = prop_oneof![
        any::<String>(),
        "\\PC{0,200}".prop_map(|text| json!({ "q0": { "query": text } }).to_string()),
        (any::<i64>(), "\\PC{0,40}")
            .prop_map(|(limit, kind)| json!({ "q0": { "query": "GGD", "limit": limit, "type": kind } }).to_string()),
        "\\PC{0,60}"
            .prop_map(|id| json!({ "ids": [id], "properties": [{ "id": "http://purl.org/dc/terms/identifier" }] }).to_string()),
        Just("{\"q0\": [1, 2]}".to_owned()),
        Just("{\"q0\": {\"properties\": [{\"pid\": 3}]}}".to_owned()),
    ];
    let mut runner = TestRunner::new(Config { cases: 200, ..Config::default() });
    runner
        .run(&(prop_oneof![Just("queries"), Just("extend")], json_like), |(field, value)| {
            let (status, body) = post(&server, field, &value);
            prop_assert!(status == 200 || status == 400, "{field}={value:?} answered {status}: {body}");
            if status == 400 {
                prop_assert!(!body.trim().is_empty(), "a 400 says why");
            }
            Ok(())
        })
        .expect("no input makes the server fail");
}

#[test]
fn batches_and_ids_have_limits() {
    let server = App::new();
    let batch: serde_json::Map<String, Value> = (0..101).map(|i| (format!("q{i}"), json!({ "query": "Aalsmeer" }))).collect();
    let (status, body) = post(&server, "queries", &Value::Object(batch).to_string());
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("hooguit 100"), "{body}");

    let long = "x".repeat(2_000);
    assert_eq!(post(&server, "queries", &json!({ "q0": { "query": long } }).to_string()).0, 400);
    let (status, body) = post(&server, "extend", &json!({ "ids": ["geen iri"], "properties": [] }).to_string());
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(
        &server,
        "queries",
        &json!({ "q0": { "query": "Aalsmeer", "type": "https://w3id.org/kansrijk/def#Onbekend" } }).to_string(),
    );
    assert_eq!(status, 400);
    assert!(body.contains("onbekend type"), "{body}");
}
