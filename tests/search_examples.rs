//! The examples of issue 14 through the HTTP service (in process), as a GP meets them: a named item comes first, places
//! with typos are understood and said to be corrected, locality ranks instead of hiding, a topic
//! the graph does not cover is said so, the "no local offer" message looks at every match, every
//! why is true of its result, counts are true and pages follow each other, and a result carries
//! what a GP needs to act on it. The demo map (fictional offers with phones and addresses) is
//! loaded with `--demo`.

use serde_json::Value;

mod common;
use common::App;

const ID: &str = "https://w3id.org/kansrijk/id/";

fn answer(server: &App, question: &str, extra: &[(&str, &str)]) -> Value {
    let mut query = vec![("q", question)];
    query.extend_from_slice(extra);
    let response = server.get("/api/search").query(&query).send();
    assert_eq!(response.status(), 200, "{question}");
    response.json()
}

fn results(answer: &Value) -> &Vec<Value> {
    answer["results"].as_array().expect("results")
}

fn first_label(answer: &Value) -> String {
    results(answer).first().map(|hit| hit["label"].as_str().unwrap_or_default().to_owned()).unwrap_or_default()
}

fn folded(text: &str) -> String {
    text.to_lowercase().replace(['é', 'ë'], "e").replace('â', "a")
}

#[test]
fn a_named_item_comes_first_with_or_without_a_place_and_with_a_typo_in_the_place() {
    let server = App::options().demo().start();
    for (question, expected) in [
        ("Prenataal huisbezoek JGZ", "programma/prenataal-huisbezoek-jgz"),
        ("Zorgpadentool", "instrument/zorgpadentool"),
        ("GGD Amsterdam", "organisatie/ggd-amsterdam"),
        ("GGD Amsterdm", "organisatie/ggd-amsterdam"),
    ] {
        let answer = answer(&server, question, &[]);
        assert_eq!(results(&answer)[0]["iri"], format!("{ID}{expected}"), "{question}: {:#}", answer["results"][0]);
    }
    let kraambuddy = answer(&server, "Kraambuddy", &[]);
    assert!(first_label(&kraambuddy).starts_with("Kraambuddy"), "a local offer asked for by name is found without a place");
    assert!(first_label(&answer(&server, "Zwangerschap", &[])) != "Roken");
}

#[test]
fn places_with_typos_are_understood_and_said_to_be_corrected_but_common_words_are_not_places() {
    let server = App::new();
    for (question, code) in [("geldzorgen Amsterdm", "GM0363"), ("roken Rotterdm", "GM0599"), ("stress Groningn", "GM0014")] {
        let answer = answer(&server, question, &[]);
        let region = &answer["understood"]["regions"][0];
        assert_eq!(region["code"], code, "{question}");
        assert_eq!(region["corrected"], true, "{question}");
    }
    for question in ["de beste zorg", "hulp van de buren", "goed voorbereid zwanger"] {
        let answer = answer(&server, question, &[]);
        assert!(answer["understood"]["regions"].as_array().is_some_and(Vec::is_empty), "{question}: {}", answer["understood"]);
    }
}

#[test]
fn a_question_that_is_only_a_place_lists_what_serves_it_and_locality_never_claims_elsewhere() {
    let server = App::new();
    let answer = answer(&server, "aanbod in 1431", &[]);
    let hits = results(&answer);
    assert!(!hits.is_empty(), "{answer}");
    for hit in hits {
        let why = hit["why"].to_string();
        assert!(why.contains("werkgebied") && !why.contains("elders"), "{hit}");
    }
    let answer = answer_with_place(&server);
    for hit in results(&answer) {
        let serves_aalsmeer_region = hit["why"].to_string().contains("Aalsmeer");
        let is_local_offer = hit["type"] == "Offer" && hit["contact"]["areas"].is_array();
        assert!(!is_local_offer || serves_aalsmeer_region || hit["why"].to_string().contains("landelijk"), "{hit}");
    }
}

fn answer_with_place(server: &App) -> Value {
    answer(server, "nu niet zwanger Aalsmeer", &[("limit", "20")])
}

#[test]
fn a_topic_the_graph_does_not_cover_is_said_so_and_every_why_is_true() {
    let server = App::new();
    let kraamzorg = answer(&server, "kraamzorg", &[]);
    assert!(
        kraamzorg["message"].as_str().is_some_and(|m| m.contains("kraamzorg") && m.contains("geen onderwerp")),
        "{kraamzorg}"
    );
    for question in ["kraamzorg", "huiselijk geweld zwangere", "e-learning geldzorgen", "zwangerschapsspreekuur"] {
        let answer = answer(&server, question, &[]);
        for hit in results(&answer) {
            for reason in hit["reasons"].as_array().expect("reasons") {
                if reason["rule"] == "words" && reason["attribute"] == "label" {
                    for word in reason["words"].as_array().expect("words") {
                        let word = folded(word.as_str().expect("a word"));
                        assert!(word.chars().count() > 1, "{question}: a single letter as a matched word: {hit}");
                        let stem: String = word.chars().take(4).collect();
                        assert!(folded(hit["label"].as_str().expect("label")).contains(&stem), "{question}: {hit}");
                    }
                }
            }
        }
    }
    let unrelated = answer(&server, "kraamzorg", &[]);
    assert!(results(&unrelated).iter().all(|hit| hit["label"] != "Goede mondzorg"), "{unrelated}");
}

#[test]
fn the_no_local_offer_message_and_the_counts_look_at_every_match() {
    let server = App::new();
    let three = answer(&server, "roken Aalsmeer", &[("limit", "3")]);
    let five = answer(&server, "roken Aalsmeer", &[("limit", "5")]);
    assert_eq!(three["message"], five["message"], "the message does not depend on the page size");
    assert_eq!(three["total"], five["total"]);
    let first = answer(&server, "zwanger", &[("limit", "5")]);
    let total = first["total"].as_u64().expect("total");
    assert!(total > 5, "{total}");
    let by_type: u64 = first["facets"]["type"].as_object().expect("type facet").values().filter_map(Value::as_u64).sum();
    assert_eq!(by_type, total, "the type facet counts every match once");
    let second = answer(&server, "zwanger", &[("limit", "5"), ("offset", "5")]);
    assert_eq!(second["offset"], 5);
    let page_one: Vec<&Value> = results(&first).iter().map(|hit| &hit["iri"]).collect();
    assert!(results(&second).iter().all(|hit| !page_one.contains(&&hit["iri"])), "pages do not repeat results");
    let tools = answer(&server, "zwanger", &[("type", "instrument")]);
    assert_eq!(tools["total"], first["facets"]["type"]["Tool"], "a type filter's total is its facet count");
}

#[test]
fn a_result_carries_what_a_gp_needs_to_act_on_it() {
    let server = App::options().demo().start();
    let answer = answer(&server, "Kraambuddy", &[]);
    let contact = &results(&answer)[0]["contact"];
    assert!(contact["providers"][0]["label"].is_string(), "{contact}");
    let reachable = ["phones", "emails", "urls"].iter().any(|field| contact[field].as_array().is_some_and(|v| !v.is_empty()));
    assert!(reachable, "a phone, e-mail or website: {contact}");
    let local = crate::answer(&server, "prenataal huisbezoek Aalsmeer", &[]);
    let offer = &results(&local)[0];
    assert_eq!(offer["iri"], format!("{ID}aanbod/prenataal-huisbezoek-gm0358"), "{offer}");
    assert_eq!(offer["contact"]["areas"][0]["label"], "Aalsmeer");
    let snippet = offer["snippet"].as_str().expect("snippet");
    let marks = offer["marks"].as_array().expect("marks");
    assert!(!marks.is_empty(), "{offer}");
    let chars: Vec<char> = snippet.chars().collect();
    for mark in marks {
        let (from, to) = (mark[0].as_u64().expect("from") as usize, mark[1].as_u64().expect("to") as usize);
        let word: String = chars[from..to].iter().collect();
        assert!(["prenataal", "huisbezoek"].iter().any(|w| folded(&word).starts_with(&w[..5])), "{word:?} in {snippet:?}");
        assert!(from == 0 || !chars[from - 1].is_alphanumeric(), "a mark starts a word");
    }
}
