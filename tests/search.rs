//! Search behaviour on the national graph: typos are forgiven, exact and stemmed matches rank
//! above fuzzy ones, English questions use the English labels, and a named place without local
//! offers is said so.

use kansrijk::search::Ask;

mod common;
use common::{search_engine as engine, top};

#[test]
fn typos_are_forgiven_by_word_length() {
    let (_data, engine) = engine();
    for (typo, expected) in [
        ("mondzrog", "thema/mondzorg"),
        ("geldzorgn", "thema/geldzorgen"),
        ("taalbariere", "thema/taalbarriere"),
        ("postpartumdepresie", "thema/postpartumdepressie"),
    ] {
        let found = top(&engine, typo, 3);
        assert!(found.iter().any(|iri| iri == expected), "{typo}: {found:?}");
    }
    assert!(top(&engine, "xqzvw", 5).is_empty(), "short nonsense is not matched fuzzily");
}

#[test]
fn exact_and_stemmed_matches_rank_above_fuzzy_ones() {
    let (_data, engine) = engine();
    let answer = engine.search("roken", 5, None).expect("search runs");
    let first = &answer.results[0];
    assert!(first.label.to_lowercase().contains("roken"), "exact match first: {:?}", first.label);
    let stemmed = top(&engine, "schuld", 3);
    assert!(stemmed.iter().any(|iri| iri == "risicofactor/schulden"), "{stemmed:?}");
}

#[test]
fn english_questions_use_the_english_labels() {
    let (_data, engine) = engine();
    assert!(top(&engine, "crying baby", 3).iter().any(|iri| iri == "thema/huilbaby"));
    assert!(top(&engine, "teenage pregnancy", 3).iter().any(|iri| iri == "thema/tienerzwangerschap"));
}

#[test]
fn a_place_without_local_offers_is_said_so() {
    let (_data, engine) = engine();
    let answer = engine.search("mondzorg in Aalsmeer", 10, None).expect("search runs");
    let message = answer.message.expect("a message about the missing local offer");
    assert!(message.contains("Aalsmeer") && message.contains("landelijk"), "{message}");
    assert!(!answer.results.is_empty(), "national options and knowledge are shown");
}

#[test]
fn a_repeated_question_is_answered_the_same_from_the_cache() {
    let (_data, engine) = engine();
    let iris = |answer: &kansrijk::search::SearchResponse| answer.results.iter().map(|hit| hit.iri.clone()).collect::<Vec<_>>();
    assert!(engine.recall("geldzorgen Aalsmeer", 5, None).is_none(), "nothing is cached before the first answer");
    let first = engine.search("geldzorgen Aalsmeer", 5, None).expect("search runs");
    let recalled = engine.recall("geldzorgen Aalsmeer", 5, None).expect("the answer is cached");
    assert_eq!(iris(&first), iris(&recalled));
    let whys = |answer: &kansrijk::search::SearchResponse| answer.results.iter().map(|hit| hit.why.clone()).collect::<Vec<_>>();
    assert_eq!(whys(&first), whys(&recalled));
    let wider = engine.search("geldzorgen Aalsmeer", 10, None).expect("search runs");
    assert!(wider.results.len() > first.results.len(), "another limit is another answer");
    let tools = engine.search("geldzorgen Aalsmeer", 5, Some("instrument")).expect("search runs");
    assert!(!tools.results.is_empty(), "geldfit is a tool for money worries");
    assert!(tools.results.iter().all(|hit| hit.kind == "Tool"), "another type is another answer: {:?}", iris(&tools));
}

#[test]
fn a_cached_answer_as_json_is_the_answer_with_a_fresh_time() {
    let (_data, engine) = engine();
    let fresh = engine.search("somber na de bevalling", 5, None).expect("search runs");
    let ask = Ask { question: "somber na de bevalling", limit: 5, offset: 0, kind: None };
    let json = engine.recall_json(&ask).expect("the answer is cached");
    let mut recalled: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let fresh_json = serde_json::to_string(&fresh).expect("serializes");
    let mut expected: serde_json::Value = serde_json::from_str(&fresh_json).expect("valid JSON");
    assert!(recalled["took_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{json}");
    recalled["took_ms"] = 0.into();
    expected["took_ms"] = 0.into();
    assert_eq!(recalled, expected);
}
