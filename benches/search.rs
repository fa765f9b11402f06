//! Search latency, index build time and index size on the national graph and on a synthetic
//! graph of many offers (default 1,000,000; `KANSRIJK_BENCH_OFFERS` changes it). Prints p50 and
//! p99 of in-process search latency over a mix of GP questions (without the answer cache), then
//! runs criterion on three.
//!
//! `cargo bench --bench search` (targets: p99 ≤ 5 ms national, ≤ 25 ms with 1M offers).
//! `KANSRIJK_BENCH_DATA=DIR` keeps the synthetic graph's store and index in `DIR` and reuses them
//! on the next run (for profiling at scale without generating and indexing again).

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use kansrijk::data;
use kansrijk::search::SearchEngine;
use kansrijk::search::index::SearchIndex;
use kansrijk::store::{KnowledgeStore, LoadSource};

const QUESTIONS: [&str; 16] = [
    "aanbod voor tienerzwangerschap in Aalsmeer",
    "schulden zwangere vrouw Utrecht",
    "somber na de bevalling",
    "tolk regelen voor zwangere",
    "huisbezoek jgz zwangerschap 3511 AB",
    "nu niet zwanger Groningen",
    "hulp bij kinderwens provincie Friesland",
    "tienerzwangershap",
    "roken zwangerschap stoppen",
    "statushouder zwanger Amersfoort",
    "baby huilt veel ouders radeloos",
    "mondzorg folders andere talen",
    "geldzorgen",
    "postpartum depression",
    "prenataal huisbezoek aanvragen Zwolle",
    "GGD in den bosch nu niet zwanger",
];

fn directory_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => directory_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * fraction).round() as usize]
}

/// Where a graph's store and index live: a temporary folder, or a kept one.
enum Data {
    Temporary(tempfile::TempDir),
    Kept(std::path::PathBuf),
}

impl Data {
    fn path(&self) -> &Path {
        match self {
            Data::Temporary(dir) => dir.path(),
            Data::Kept(path) => path,
        }
    }
}

fn setup(name: &str, offers: usize) -> (Data, SearchEngine) {
    let kept = std::env::var_os("KANSRIJK_BENCH_DATA").filter(|_| offers > 0).map(std::path::PathBuf::from);
    let reused = kept.as_ref().is_some_and(|path| path.exists());
    let dir = match kept {
        Some(path) => {
            std::fs::create_dir_all(&path).expect("data folder");
            Data::Kept(path)
        }
        None => Data::Temporary(tempfile::tempdir().expect("temp dir")),
    };
    let store = KnowledgeStore::open(dir.path()).expect("store");
    store.sync_base_data(&data::embedded_graphs()).expect("graph-data loads");
    if offers > 0 && !reused {
        let started = Instant::now();
        let file = dir.path().join("synthetic.nq");
        let writer = std::io::BufWriter::new(std::fs::File::create(&file).expect("synthetic file"));
        kansrijk::import::synthetic::write_offers(&store, offers, writer).expect("synthetic offers");
        let provenance = kansrijk::write::Provenance { agent: "bench".into(), action: "load".into(), file: None };
        store
            .load(&[LoadSource { path: file.clone(), format: None }], None, |_| {}, |graph| provenance.quads(graph))
            .expect("synthetic load");
        std::fs::remove_file(&file).expect("remove synthetic file");
        println!("{name}: generated and loaded {offers} synthetic offers in {:.1} s", started.elapsed().as_secs_f64());
    }
    let started = Instant::now();
    let store = store.view().expect("a view");
    let (index, _) = SearchIndex::open(dir.path(), &store, &|_, _| {}).expect("index builds");
    let build = started.elapsed();
    let size = directory_size(&dir.path().join("index"));
    println!(
        "{name}: {} quads, index of {} documents built in {:.2} s, {:.1} MB on disk",
        store.len().expect("count"),
        index.num_docs(),
        build.as_secs_f64(),
        size as f64 / 1e6
    );
    let engine = SearchEngine::new(index, &store).expect("engine");
    (dir, engine)
}

fn latency(name: &str, engine: &SearchEngine) {
    for question in QUESTIONS {
        engine.search_uncached(question, 10, None).expect("warm-up");
    }
    let mut timings = Vec::new();
    let mut per_question = vec![Vec::new(); QUESTIONS.len()];
    for round in 0..200 {
        for (position, question) in QUESTIONS.iter().enumerate() {
            let started = Instant::now();
            let answer = engine.search_uncached(question, 10, None).expect("search");
            let took = started.elapsed();
            timings.push(took);
            per_question[position].push(took);
            assert!(round > 0 || !answer.results.is_empty() || answer.message.is_some());
        }
    }
    let mut slowest: Vec<(Duration, &str)> = per_question
        .iter_mut()
        .zip(QUESTIONS)
        .map(|(took, question)| {
            took.sort();
            (percentile(took, 0.5), question)
        })
        .collect();
    slowest.sort_by(|a, b| b.cmp(a));
    let slowest: Vec<String> =
        slowest.iter().take(4).map(|(took, question)| format!("{question:?} {:.2} ms", took.as_secs_f64() * 1e3)).collect();
    println!("{name}: slowest questions (p50): {}", slowest.join(", "));
    timings.sort();
    println!(
        "{name}: search latency over {} questions: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        timings.len(),
        percentile(&timings, 0.50).as_secs_f64() * 1e3,
        percentile(&timings, 0.99).as_secs_f64() * 1e3,
        timings.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
}

fn main() {
    let offers = std::env::var("KANSRIJK_BENCH_OFFERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let mut criterion = Criterion::default().configure_from_args().sample_size(50);
    for (name, count) in [("national", 0), ("synthetic", offers)] {
        let (_dir, engine) = setup(name, count);
        latency(name, &engine);
        for question in &QUESTIONS[..3] {
            criterion.bench_function(&format!("{name}: {question}"), |b| b.iter(|| engine.search_uncached(question, 10, None)));
        }
    }
    criterion.final_summary();
}
