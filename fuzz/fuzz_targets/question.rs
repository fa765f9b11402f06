//! Any text given to question understanding is understood somehow, never a panic. The
//! gazetteer is built once from a store holding the embedded base data.
#![no_main]

use std::sync::{Arc, LazyLock};

use kansrijk::analysis::Lexicon;
use kansrijk::data;
use kansrijk::search::question::Gazetteer;
use kansrijk::store::KnowledgeStore;
use libfuzzer_sys::fuzz_target;

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir for the fuzz store");
    let store = KnowledgeStore::open(dir.path()).expect("store opens");
    store.sync_base_data(&data::embedded_graphs()).expect("base data loads");
    let gazetteer = Gazetteer::from_store(&store, &Arc::new(Lexicon::embedded())).expect("gazetteer builds");
    // The store's files are no longer needed; keep the folder until the process ends.
    std::mem::forget(dir);
    gazetteer
});

fuzz_target!(|data: &[u8]| {
    if let Ok(question) = std::str::from_utf8(data) {
        let _ = GAZETTEER.understand(question);
    }
});
