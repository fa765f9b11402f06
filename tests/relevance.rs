//! Relevance as a test: the questions in `tests/relevance/questions.tsv`, written as GPs, POHs
//! and assistants type them, with the resources the factsheet says should answer them. Prints
//! hit@5, MRR and region recognition; fails below hit@5 0.95 or region recognition 1.0.

use kansrijk::index::SearchIndex;
use kansrijk::search::SearchEngine;
use kansrijk::store::KnowledgeStore;

mod common;

const ID: &str = "https://w3id.org/kansrijk/id/";

struct Case {
    question: String,
    answers: Vec<String>,
    region: Option<String>,
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/relevance/questions.tsv");
    std::fs::read_to_string(path)
        .expect("questions.tsv is readable")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut columns = line.split('\t');
            let question = columns.next().expect("a question").to_owned();
            let answers = columns.next().unwrap_or_default().split_whitespace().map(|id| format!("{ID}{id}")).collect();
            let region = columns.next().map(str::trim).filter(|code| !code.is_empty()).map(str::to_owned);
            Case { question, answers, region }
        })
        .collect()
}

#[test]
fn relevance_on_gp_questions() {
    let data = common::loaded_data_dir();
    let store = KnowledgeStore::open(data.path()).expect("store opens");
    let (index, _) = SearchIndex::open(data.path(), &store, &|_, _| {}).expect("index opens");
    let engine = SearchEngine::new(index, &store).expect("search engine");
    let cases = cases();
    assert!(cases.len() >= 80, "at least 80 questions, found {}", cases.len());
    let (mut hits, mut reciprocal_ranks, mut regions_right, mut regions_asked) = (0, 0.0, 0, 0);
    let mut misses = Vec::new();
    for case in &cases {
        let answer = engine.search(&case.question, 10, None).expect("search runs");
        let rank = answer.results.iter().position(|hit| case.answers.contains(&hit.iri));
        match rank {
            Some(rank) if rank < 5 => hits += 1,
            _ => misses.push(format!(
                "{:?}: rank {:?}; top: {:?}",
                case.question,
                rank.map(|r| r + 1),
                answer.results.iter().take(5).map(|hit| hit.iri.trim_start_matches(ID)).collect::<Vec<_>>()
            )),
        }
        reciprocal_ranks += rank.map_or(0.0, |rank| 1.0 / (rank as f64 + 1.0));
        let found = answer.understood.regions.first().map(|region| region.code.clone());
        if case.region.is_some() || found.is_some() {
            regions_asked += 1;
            if found == case.region {
                regions_right += 1;
            } else {
                misses.push(format!("{:?}: region {found:?}, expected {:?}", case.question, case.region));
            }
        }
    }
    let count = cases.len() as f64;
    let hit_at_5 = f64::from(hits) / count;
    let mrr = reciprocal_ranks / count;
    let region_recognition = if regions_asked == 0 { 1.0 } else { f64::from(regions_right) / f64::from(regions_asked) };
    println!("relevance: {} questions, hit@5 {hit_at_5:.3}, MRR {mrr:.3}, region recognition {region_recognition:.3} ({regions_right}/{regions_asked})", cases.len());
    for miss in &misses {
        println!("  miss {miss}");
    }
    assert!(hit_at_5 >= 0.95, "hit@5 {hit_at_5:.3} < 0.95:\n{}", misses.join("\n"));
    assert!(region_recognition >= 1.0, "region recognition {region_recognition:.3} < 1.0:\n{}", misses.join("\n"));
}
