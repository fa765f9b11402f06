//! `/api/search` through the HTTP service (in process): the answer's shape, the example question of the product, and
//! bad input of every kind answered with a 400 or an empty result with a message, never a 500.

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::Value;

mod common;
use common::App;

fn search(server: &App, query: &str) -> (u16, String) {
    let response = server.get(&format!("/api/search?{query}")).send();
    (response.status().as_u16(), response.text())
}

fn search_q(server: &App, question: &str) -> (u16, String) {
    let encoded: String = form_urlencoded::byte_serialize(question.as_bytes()).collect();
    search(server, &format!("q={encoded}"))
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("not JSON ({error}): {body}"))
}

#[test]
fn the_answer_names_place_concepts_results_and_why() {
    let server = App::new();
    let (status, body) = search_q(&server, "aanbod voor tienerzwangerschap in Aalsmeer");
    assert_eq!(status, 200, "{body}");
    let answer = json(&body);
    assert_eq!(answer["query"], "aanbod voor tienerzwangerschap in Aalsmeer");
    let region = &answer["understood"]["regions"][0];
    assert_eq!((region["code"].as_str(), region["kind"].as_str()), (Some("GM0358"), Some("municipality")));
    assert_eq!(region["iri"], "https://w3id.org/kansrijk/id/gemeente/gm0358");
    assert_eq!(answer["understood"]["concepts"][0]["iri"], "https://w3id.org/kansrijk/id/thema/tienerzwangerschap");
    assert!(answer["took_ms"].as_f64().is_some());
    let results = answer["results"].as_array().expect("results");
    assert!(!results.is_empty() && results.len() <= 10);
    for result in results {
        for key in ["iri", "label", "type", "snippet"] {
            assert!(result[key].is_string(), "{key} in {result}");
        }
        assert!(result["score"].is_number() && !result["why"].as_array().expect("why").is_empty());
    }
    let local = results
        .iter()
        .find(|r| r["iri"] == "https://w3id.org/kansrijk/id/aanbod/prenataal-huisbezoek-gm0358")
        .expect("the prenatal home visit in Aalsmeer is offered");
    let why = local["why"].to_string();
    assert!(why.contains("werkgebied: gemeente Aalsmeer") && why.contains("tienerzwangerschap"), "{why}");
    let ggd = results
        .iter()
        .find(|r| r["iri"] == "https://w3id.org/kansrijk/id/aanbod/nu-niet-zwanger-amsterdam")
        .expect("Nu Niet Zwanger of GGD Amsterdam covers Aalsmeer");
    assert!(ggd["why"].to_string().contains("werkgebied: GGD-regio Amsterdam, waar Aalsmeer in ligt"), "{ggd}");

    let (status, body) = search(&server, "q=schulden&type=instrument&limit=3");
    assert_eq!(status, 200);
    let answer = json(&body);
    let results = answer["results"].as_array().expect("results");
    assert!(results.len() <= 3 && results.iter().all(|r| r["type"] == "Tool"), "{body}");
}

#[test]
fn bad_input_gets_a_400_or_an_empty_answer_with_a_message() {
    let server = App::new();
    for question in ["", "   ", "?!?!...;;", "' OR 1=1; DROP TABLE aanbod; --"] {
        let (status, body) = search_q(&server, question);
        assert_eq!(status, 200, "{question:?}: {body}");
        let answer = json(&body);
        if answer["results"].as_array().is_none_or(Vec::is_empty) {
            assert!(answer["message"].is_string(), "{question:?} gets a message: {body}");
        }
    }
    for question in ["SELECT * WHERE { ?s ?p ?o } LIMIT 1", "<script>alert('x')</script> geldzorgen"] {
        let (status, body) = search_q(&server, question);
        assert_eq!(status, 200, "{body}");
        assert_eq!(json(&body)["query"], question, "the question comes back as a JSON string, not as markup");
    }
    let (status, body) = search_q(&server, &"zwanger ".repeat(1_300));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("te lang"), "{body}");
    let (status, body) = search(&server, "q=%FF%FEgeld");
    assert_eq!(status, 400, "invalid UTF-8: {body}");
    let (status, body) = search(&server, "q=geld&type=onzin");
    assert_eq!(status, 400);
    assert!(body.contains("onbekend type"), "{body}");
    let (status, _) = search(&server, "q=geld&limit=-1");
    assert_eq!(status, 400);
}

#[test]
fn no_question_makes_the_server_fail() {
    let server = App::new();
    let mut runner = TestRunner::new(ProptestConfig { cases: 300, ..ProptestConfig::default() });
    runner
        .run(&"\\PC{0,80}", |question| {
            let (status, body) = search_q(&server, &question);
            prop_assert!(status == 200 || status == 400, "{status} for {question:?}: {body}");
            if status == 200 {
                prop_assert!(serde_json::from_str::<Value>(&body).is_ok());
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn full_text_search_combines_with_graph_patterns_in_sparql() {
    let server = App::new();
    let query = "SELECT ?hit ?score ?snippet ?ggd WHERE {
        SERVICE kr:search { ?hit kr:query \"nu niet zwanger Aalsmeer\" ; kr:score ?score ; kr:snippet ?snippet ; kr:limit 5 }
        ?hit schema:areaServed ?ggd . ?ggd a kr:GGDRegion
      } ORDER BY DESC(?score)";
    let response = server.get("/sparql").query(&[("query", query)]).header("Accept", "application/sparql-results+json").send();
    assert_eq!(response.status(), 200);
    let results = json(&response.text());
    let bindings = results["results"]["bindings"].as_array().expect("bindings");
    assert_eq!(bindings.len(), 1, "only the hit that serves a GGD region: {results}");
    assert_eq!(bindings[0]["hit"]["value"], "https://w3id.org/kansrijk/id/aanbod/nu-niet-zwanger-amsterdam");
    assert_eq!(bindings[0]["ggd"]["value"], "https://w3id.org/kansrijk/id/ggd-regio/gg3406");
    assert!(bindings[0]["score"]["value"].as_str().is_some_and(|s| s.parse::<f64>().is_ok()));
    assert_eq!(bindings[0]["snippet"]["xml:lang"], "nl");

    let wrong = server.get("/sparql").query(&[("query", "SELECT * WHERE { SERVICE kr:search { ?hit kr:score ?s } }")]).send();
    assert_eq!(wrong.status(), 400);
    assert!(wrong.text().contains("kr:query"));
}
