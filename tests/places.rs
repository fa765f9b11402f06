//! Place names as a user writes them, through the HTTP service (in process): misspelt names understood by
//! search and marked as corrected, common Dutch words and quoted words never taken for a place,
//! reconciliation reading a region name exactly as search does, and an HSDS import that accepts
//! aliases but refuses a misspelt service area, naming the place it probably means.

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Value, json};

mod common;
use common::App;

const ID: &str = "https://w3id.org/kansrijk/id/";
const DEF: &str = "https://w3id.org/kansrijk/def#";
const OWN: &str = "https://w3id.org/kansrijk/graph/sociale-kaart-aalsmeer";
const TOKEN: &str = "Bearer 0123456789abcdef-aalsmeer";
const DEMO_HSDS: &str = include_str!("../graph-data/demo/sociale-kaart-demo.hsds.json");

/// What `/api/search` understood of `question`.
fn understood(server: &App, question: &str) -> Value {
    let answer: Value = server.get("/api/search").query(&[("q", question)]).send().json();
    answer["understood"].clone()
}

/// The first region understood: (code, corrected, matched), or `None`.
fn region(server: &App, question: &str) -> Option<(String, bool, String)> {
    let understood = understood(server, question);
    let region = understood["regions"].get(0)?;
    let text = |key: &str| region[key].as_str().unwrap_or_default().to_owned();
    Some((text("code"), region["corrected"].as_bool().expect("corrected is a flag"), text("matched")))
}

/// The candidates `/reconcile` gives for one query: (id under `id/`, match).
fn reconcile(server: &App, query: Value) -> Vec<(String, bool)> {
    let queries = json!({ "q0": query }).to_string();
    let answer: Value = server.post("/reconcile").form(&[("queries", queries)]).send().json();
    answer["q0"]["result"]
        .as_array()
        .expect("result")
        .iter()
        .map(|c| (c["id"].as_str().expect("id").trim_start_matches(ID).to_owned(), c["match"] == true))
        .collect()
}

#[test]
fn misspelt_place_names_are_understood_and_marked_as_corrected() {
    let server = App::new();
    for (question, code, matched) in [
        ("kraamzorg Amsterdm", "GM0363", "Amsterdm"),
        ("Rotterdm", "GM0599", "Rotterdm"),
        ("jgz Groningn", "GM0014", "Groningn"),
        ("aanbod in Leeuwaarden", "GM0080", "Leeuwaarden"),
        ("hulp s-Hertogenbosh", "GM0796", "s-Hertogenbosh"),
        ("GGD Amsterdm", "GG3406", "GGD Amsterdm"),
        ("roken Aalsmere", "GM0358", "Aalsmere"),
    ] {
        assert_eq!(region(&server, question), Some((code.to_owned(), true, matched.to_owned())), "{question}");
    }
    let groningen = understood(&server, "Groningn");
    assert_eq!(groningen["regions"][0]["alternatives"][0]["code"], "PV20", "the province is the other reading");
    assert_eq!(region(&server, "provincie Groningn").map(|r| r.0).as_deref(), Some("PV20"), "a keyword picks the kind");
    for exact in ["Amsterdam", "gemeente Aalsmeer", "Den Bosch", "GGD Amsterdam"] {
        assert_eq!(region(&server, exact).map(|r| r.1), Some(false), "{exact} is a name, not a correction");
    }
}

#[test]
fn common_words_and_quoted_words_are_never_places() {
    let server = App::new();
    for question in [
        "de beste hulp bij roken",
        "wat werkt echt goed voor de buren",
        "mill",
        "goed",
        "spreekt geen Nederlands",
        "Utrechtse aanpak kraamzorg",
    ] {
        let understood = understood(&server, question);
        assert_eq!(understood["regions"], json!([]), "{question}: {understood}");
    }
    let quoted = understood(&server, "kraamzorg \"Amsterdm\"");
    assert_eq!(quoted["regions"], json!([]), "a quoted word is taken literally: {quoted}");
    assert_eq!(quoted["text"], "kraamzorg \"Amsterdm\"", "and stays in the text, quoted, for search");
    assert_eq!(region(&server, "\"Amsterdam\" Rotterdm").map(|r| r.0).as_deref(), Some("GM0599"));
}

#[test]
fn reconciliation_reads_region_names_as_search_does() {
    let server = App::new();
    let names = ["Amsterdm", "Rotterdm", "Groningn", "Leeuwaarden", "s-Hertogenbosh", "GGD Amsterdm", "Den Bosch"];
    for name in names.into_iter().chain(["Bergen", "Utrecht"]) {
        let searched = understood(&server, name)["regions"][0]["iri"].as_str().expect("a place").to_owned();
        let reconciled = reconcile(&server, json!({ "query": name, "type": format!("{DEF}Region") }));
        assert_eq!(reconciled.first().map(|c| format!("{ID}{}", c.0)), Some(searched), "{name}: {reconciled:?}");
    }
    let amsterdam = reconcile(&server, json!({ "query": "Amsterdm", "type": format!("{DEF}Municipality") }));
    assert_eq!(amsterdam.first(), Some(&("gemeente/gm0363".to_owned(), true)), "{amsterdam:?}");
    let groningen = reconcile(&server, json!({ "query": "Groningn" }));
    let ambiguous = [("gemeente/gm0014".to_owned(), false), ("provincie/pv20".to_owned(), false)];
    assert_eq!(groningen[..2], ambiguous, "the municipality first, no certain match");
    let province = reconcile(&server, json!({ "query": "provincie Groningn" }));
    assert_eq!(province.first(), Some(&("provincie/pv20".to_owned(), true)), "{province:?}");
    let nederlands = reconcile(&server, json!({ "query": "Nederlands", "type": format!("{DEF}Country") }));
    assert!(nederlands.iter().all(|(_, certain)| !certain), "a language is no certain match: {nederlands:?}");
}

#[test]
fn an_import_accepts_aliases_and_refuses_a_misspelt_area_naming_the_place_meant() {
    let tokens = tempfile::tempdir().expect("temp dir");
    let file = tokens.path().join("tokens");
    std::fs::write(&file, format!("aalsmeer 0123456789abcdef-aalsmeer {OWN}\n")).expect("token file written");
    let server = App::options().write_token_file(&file).start();
    let put = |body: String| {
        server
            .put(&format!("/store?graph={OWN}"))
            .header(AUTHORIZATION, TOKEN)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
    };
    assert!(DEMO_HSDS.contains("\"Zwolle\""), "the demo map serves Zwolle");
    let aliased = DEMO_HSDS.replace("\"Zwolle\"", "\"gemeente Zwolle\"").replacen("\"Aalsmeer\"", "\"Den Bosch\"", 1);
    let aliased = put(aliased);
    assert_eq!(aliased.status(), 201, "{}", aliased.text());
    let misspelt = put(DEMO_HSDS.replace("\"Zwolle\"", "\"Zwole\""));
    assert_eq!(misspelt.status(), 422);
    let report = misspelt.text();
    assert!(report.contains("`Zwole` is geen Nederlandse gemeente"), "{report}");
    assert!(report.contains("bedoelt u Zwolle (gemeente, GM0193)?"), "the place meant is named: {report}");
}
