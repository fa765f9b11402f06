//! One body per kind of API: the JSON APIs (search, reconciliation, writes) answer errors as
//! `application/problem+json` with a Dutch title and detail; the SPARQL protocol and linked data
//! answer plain text.

mod common;

use common::App;
use serde_json::Value;

fn content_type(response: &common::Response) -> String {
    response.headers().get("content-type").and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
}

fn problem(response: &common::Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "{}", response.text());
    assert_eq!(content_type(response), "application/problem+json", "{}", response.text());
    let problem: Value = response.json();
    assert_eq!(problem["status"], status, "{problem}");
    assert_eq!(problem["type"], "about:blank", "{problem}");
    assert!(problem["title"].as_str().is_some_and(|title| !title.is_empty()), "{problem}");
    problem
}

#[test]
fn the_json_apis_answer_problems() {
    let tokens = tempfile::tempdir().expect("temp dir");
    let token_file = tokens.path().join("tokens");
    std::fs::write(&token_file, "beheer 0123456789abcdef-beheer\n").expect("token file written");
    let app = App::options().write_token_file(&token_file).start();
    let unknown_type = app.get("/api/search").query(&[("q", "roken"), ("type", "onzin")]).send();
    let search = problem(&unknown_type, 400);
    assert_eq!(search["title"], "Ongeldig verzoek");
    assert!(search["detail"].as_str().is_some_and(|detail| detail.contains("onzin")), "{search}");

    let reconcile = problem(&app.post("/reconcile").form(&[("queries", "geen json")]).send(), 400);
    assert!(reconcile["detail"].is_string(), "{reconcile}");

    let unauthenticated =
        app.put("/store").query(&[("graph", "https://example.org/kaart")]).header("content-type", "text/turtle").body("").send();
    assert!(unauthenticated.headers().get("www-authenticate").is_some(), "401 says how to authenticate");
    let write = problem(&unauthenticated, 401);
    assert_eq!(write["title"], "Niet aangemeld");

    let invalid = app
        .put("/store")
        .query(&[("graph", "https://example.org/kaart")])
        .header("authorization", "Bearer 0123456789abcdef-beheer")
        .header("content-type", "text/turtle")
        .body("<https://w3id.org/kansrijk/id/aanbod/zonder-alles> a <https://w3id.org/kansrijk/def#Offer> .")
        .send();
    let refused = problem(&invalid, 422);
    assert!(refused["detail"].as_str().is_some_and(|detail| detail.contains("niets geschreven")), "{refused}");
    assert!(refused["total"].as_u64().is_some_and(|total| total > 0), "{refused}");
    assert!(refused["violations"].as_array().is_some_and(|violations| !violations.is_empty()), "{refused}");
}

#[test]
fn sparql_and_linked_data_answer_plain_text() {
    let app = App::new();
    let malformed = app.get("/sparql").query(&[("query", "SELECT nonsense")]).send();
    assert_eq!(malformed.status(), 400);
    assert!(content_type(&malformed).starts_with("text/plain"), "{}", content_type(&malformed));
    assert!(malformed.text().contains("geen geldige SPARQL"), "{}", malformed.text());
    let missing = app.get("/id/thema/bestaat-niet").header("accept", "text/turtle").send();
    assert_eq!(missing.status(), 404);
    assert!(!content_type(&missing).contains("problem"), "{}", content_type(&missing));
}
