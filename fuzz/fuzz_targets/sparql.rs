//! Any text sent to the SPARQL endpoint is bounded, parsed and evaluated as the server does it
//! (on a thread with the evaluation stack, cancelled at a deadline), never a crash: no stack
//! overflow, no panic, no runaway. The store holds the embedded base data.
#![no_main]

use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use kansrijk::data;
use kansrijk::sparql::{DatasetSelection, Query, ResultFormat, bounds};
use kansrijk::store::KnowledgeStore;
use libfuzzer_sys::fuzz_target;
use oxigraph::sparql::CancellationToken;
use oxigraph::sparql::results::QueryResultsFormat;

/// Longest one input may evaluate before it is cancelled.
const DEADLINE: Duration = Duration::from_millis(200);

static STORE: LazyLock<KnowledgeStore> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir for the fuzz store");
    let store = KnowledgeStore::open(dir.path()).expect("store opens");
    store.sync_base_data(&data::embedded_graphs()).expect("base data loads");
    std::mem::forget(dir);
    store
});

/// The running input's deadline, watched by one thread that cancels it when it passes.
static RUNNING: LazyLock<Mutex<Option<(Instant, CancellationToken)>>> = LazyLock::new(|| {
    std::thread::spawn(|| loop {
        std::thread::sleep(Duration::from_millis(10));
        if let Ok(running) = RUNNING.lock()
            && let Some((deadline, token)) = running.as_ref()
            && Instant::now() > *deadline
        {
            token.cancel();
        }
    });
    Mutex::new(None)
});

fn evaluate(text: String) {
    let token = CancellationToken::new();
    *RUNNING.lock().expect("deadline lock") = Some((Instant::now() + DEADLINE, token.clone()));
    if let Ok(query) = Query::parse(&text, &DatasetSelection::default(), token, None) {
        let format = if query.form().returns_graph() {
            ResultFormat::Graph(oxigraph::io::RdfFormat::NTriples)
        } else {
            ResultFormat::Solutions(QueryResultsFormat::Json)
        };
        let _ = query.evaluate(&STORE, format);
    }
    *RUNNING.lock().expect("deadline lock") = None;
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if bounds::check(text).is_err() {
        return;
    }
    let text = text.to_owned();
    LazyLock::force(&STORE);
    std::thread::Builder::new()
        .stack_size(bounds::EVALUATION_STACK_BYTES)
        .spawn(move || evaluate(text))
        .expect("evaluation thread starts")
        .join()
        .expect("evaluation does not panic");
});
