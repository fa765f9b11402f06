//! Relevance as a test: the questions in `tests/relevance/questions.tsv` and
//! `tests/relevance/new-questions.tsv` (abbreviations, English, misspelt places, postcodes, names,
//! places alone), written as GPs, POHs and assistants type them, with the resources the seeds say
//! should answer them. Prints hit@1, hit@5, MRR and region recognition; fails below hit@1 0.85,
//! hit@5 0.95 or region recognition 1.0.

use kansrijk::search::SearchEngine;
use kansrijk::search::index::SearchIndex;
use kansrijk::store::KnowledgeStore;

mod common;

const ID: &str = "https://w3id.org/kansrijk/id/";

struct Case {
    question: String,
    answers: Vec<String>,
    region: Option<String>,
}

fn cases() -> Vec<Case> {
    let read = |file: &str| {
        std::fs::read_to_string(format!("{}/tests/relevance/{file}", env!("CARGO_MANIFEST_DIR"))).expect("questions are readable")
    };
    [read("questions.tsv"), read("new-questions.tsv")]
        .concat()
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
    let store = KnowledgeStore::open(data.path()).expect("store opens").view().expect("a view");
    let (index, _) = SearchIndex::open(data.path(), &store, &|_, _| {}).expect("index opens");
    let engine = SearchEngine::new(index, &store).expect("search engine");
    let cases = cases();
    assert!(cases.len() >= 140, "at least 140 questions, found {}", cases.len());
    let (mut firsts, mut hits, mut reciprocal_ranks, mut regions_right, mut regions_asked) = (0, 0, 0.0, 0, 0);
    let mut misses = Vec::new();
    let mut not_first = Vec::new();
    for case in &cases {
        let answer = engine.search(&case.question, 10, None).expect("search runs");
        let rank = answer.results.iter().position(|hit| case.answers.contains(&hit.iri));
        firsts += usize::from(rank == Some(0));
        if matches!(rank, Some(1..5)) {
            not_first.push(format!(
                "{:?}: rank {:?}; top: {:?}",
                case.question,
                rank.map(|r| r + 1),
                answer.results.iter().take(3).map(|hit| hit.iri.trim_start_matches(ID)).collect::<Vec<_>>()
            ));
        }
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
    let hit_at_1 = firsts as f64 / count;
    let hit_at_5 = f64::from(hits) / count;
    let mrr = reciprocal_ranks / count;
    let region_recognition = if regions_asked == 0 { 1.0 } else { f64::from(regions_right) / f64::from(regions_asked) };
    println!(
        "relevance: {} questions, hit@1 {hit_at_1:.3}, hit@5 {hit_at_5:.3}, MRR {mrr:.3}, region recognition {region_recognition:.3} ({regions_right}/{regions_asked})",
        cases.len()
    );
    for miss in &misses {
        println!("  miss {miss}");
    }
    for second in &not_first {
        println!("  not first {second}");
    }
    assert!(hit_at_5 >= 0.95, "hit@5 {hit_at_5:.3} < 0.95:\n{}", misses.join("\n"));
    assert!(hit_at_1 >= 0.85, "hit@1 {hit_at_1:.3} < 0.85:\n{}", misses.join("\n"));
    assert!(region_recognition >= 1.0, "region recognition {region_recognition:.3} < 1.0:\n{}", misses.join("\n"));
}
