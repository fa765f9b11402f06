//! Graph replacements that write only what changes, and large ones at the bulk loader's speed,
//! all or nothing.
//!
//! A replacement compares the new content of a graph with what the graph holds: statements
//! held in both stay, and only those that go and those that come are written. Up to
//! [`STAGED_FROM`] statements to add, one transaction does it. A larger addition would spend most
//! of its time in the transaction's write batch, so it is staged instead:
//!
//! 1. the statements to add are written to `<data>/staging/<id>.nq` and synced to disk;
//! 2. one transaction removes what goes, replaces the graph's provenance and records a journal
//!    entry (a `kr:StagedWrite` in the meta graph naming the graph and the file): from here on
//!    the write happens, whatever stops the process;
//! 3. Oxigraph's bulk loader adds the staged statements and the journal's `kr:bulkLoaded` mark
//!    in one atomic ingestion of sorted files;
//! 4. a last transaction removes the journal entry, and the file goes.
//!
//! [`KnowledgeStore::open`](super::KnowledgeStore::open) finishes what a stopped process left: a
//! journal entry without its mark is loaded again from its file (adding a statement twice
//! changes nothing), and staged files that no journal names are removed. Readers of a
//! [`StoreView`](super::StoreView) pinned before the write see none of it until the caller pins
//! a new one after the write returned.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term};
use oxigraph::store::Store;

use super::{KnowledgeStore, Phase, Progress, StoreError, replace_provenance};
use crate::rdf::vocab::{self, kr};

/// From this many statements to add on, a replacement is staged and bulk loaded.
pub const STAGED_FROM: usize = 20_000;

/// The folder under the data folder that holds staged statements.
pub(super) const STAGING_DIR: &str = "staging";

/// What a graph replacement wrote, and how long each of its phases took.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Replaced {
    /// Statements the graph did not hold and now does.
    pub added: usize,
    /// Statements the graph held and no longer does.
    pub removed: usize,
    /// Statements held before and after.
    pub kept: usize,
    /// Whether the addition was staged and bulk loaded.
    pub staged: bool,
    /// Milliseconds spent comparing with what the graph held.
    pub compare_ms: u64,
    /// Milliseconds spent staging (file and journal), zero when not staged.
    pub stage_ms: u64,
    /// Milliseconds spent committing (the transaction, or the bulk load and journal cleanup).
    pub commit_ms: u64,
}

/// Milliseconds since `started`.
fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl KnowledgeStore {
    /// Replaces the content of `graph` with `quads` and its provenance in the meta graph with
    /// `provenance`, all or nothing (see the module documentation).
    pub fn replace_graph(&self, graph: &GraphName, quads: &[Quad], provenance: &[Quad]) -> Result<Replaced, StoreError> {
        let started = Instant::now();
        self.progress.start(Phase::Comparing, 0);
        let mut added: HashSet<&Quad> = quads.iter().collect();
        let unique = added.len();
        let mut removed = Vec::new();
        for quad in self.view()?.quads_for_pattern(None, None, None, Some(graph.as_ref())) {
            let quad = quad?;
            if !added.remove(&quad) {
                removed.push(quad);
            }
        }
        let kept = unique - added.len();
        self.write_difference(
            graph,
            &added,
            &removed,
            provenance,
            Replaced { kept, compare_ms: elapsed_ms(started), ..Replaced::default() },
        )
    }

    /// Adds `quads` to `graph` (writing only those it does not hold) and replaces its provenance
    /// in the meta graph with `provenance`, all or nothing.
    pub fn add_to_graph(&self, graph: &GraphName, quads: &[Quad], provenance: &[Quad]) -> Result<Replaced, StoreError> {
        let started = Instant::now();
        let view = self.view()?;
        let mut added = HashSet::with_capacity(quads.len());
        let mut kept = 0;
        for quad in quads {
            if view.contains(quad)? {
                kept += 1;
            } else {
                added.insert(quad);
            }
        }
        drop(view);
        self.write_difference(
            graph,
            &added,
            &[],
            provenance,
            Replaced { kept, compare_ms: elapsed_ms(started), ..Replaced::default() },
        )
    }

    /// Writes what `graph` gains and loses: in one transaction, or staged when it gains many.
    fn write_difference(
        &self,
        graph: &GraphName,
        added: &HashSet<&Quad>,
        removed: &[Quad],
        provenance: &[Quad],
        compared: Replaced,
    ) -> Result<Replaced, StoreError> {
        let mut replaced = Replaced { added: added.len(), removed: removed.len(), ..compared };
        let started = Instant::now();
        if added.len() < STAGED_FROM {
            let mut transaction = self.store.start_transaction()?;
            for quad in removed {
                transaction.remove(quad);
            }
            if let GraphName::NamedNode(named) = graph {
                transaction.insert_named_graph(named);
            }
            transaction.extend(added.iter().copied());
            replace_provenance(&mut transaction, graph, provenance)?;
            transaction.commit()?;
            replaced.commit_ms = elapsed_ms(started);
        } else {
            let journal = self.stage(graph, added, removed, provenance)?;
            replaced.stage_ms = elapsed_ms(started);
            replaced.staged = true;
            let started = Instant::now();
            self.bulk_load_staged(&journal, added.len())?;
            replaced.commit_ms = elapsed_ms(started);
        }
        Ok(replaced)
    }

    /// Steps 1 and 2: the staged file and the transaction that commits to the write.
    fn stage(
        &self,
        graph: &GraphName,
        added: &HashSet<&Quad>,
        removed: &[Quad],
        provenance: &[Quad],
    ) -> Result<Journal, StoreError> {
        let journal = Journal::new(&self.staging);
        self.progress.start(Phase::Staging, added.len() as u64);
        write_synced(&journal.path, added.iter().map(|quad| quad.as_ref()), &self.progress)?;
        let mut transaction = self.store.start_transaction()?;
        for quad in removed {
            transaction.remove(quad);
        }
        if let GraphName::NamedNode(named) = graph {
            transaction.insert_named_graph(named);
        }
        replace_provenance(&mut transaction, graph, provenance)?;
        transaction.extend(&journal.entry(graph));
        transaction.commit()?;
        tracing::info!(graph = %graph, statements = added.len(), "write: staged");
        Ok(journal)
    }

    /// Steps 3 and 4: the bulk load of what `journal` staged, with its mark, and the cleanup.
    /// `statements` is how many it holds, when known (0 otherwise).
    fn bulk_load_staged(&self, journal: &Journal, statements: usize) -> Result<(), StoreError> {
        let file = journal.path.display().to_string();
        let reader =
            BufReader::new(File::open(&journal.path).map_err(|source| StoreError::Write { path: file.clone(), source })?);
        let staged = RdfParser::from_format(RdfFormat::NQuads)
            .for_reader(reader)
            .map(|quad| quad.map_err(|error| StoreError::Staging { file: file.clone(), message: error.to_string() }));
        self.progress.start(Phase::Loading, statements as u64);
        let staged = staged.inspect(|_| self.progress.advance(1));
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let mut loader = self.store.bulk_loader().with_num_threads(threads);
        if statements > 0 {
            // Oxigraph's loader sorts and writes a batch of a million quads per thread: a smaller
            // write would be loaded by one thread alone.
            let batch = statements.div_ceil(threads).clamp(MIN_BULK_BATCH, MAX_BULK_BATCH);
            loader = loader.with_max_memory_size_in_megabytes(batch * threads / 1000);
        }
        loader.load_ok_quads::<StoreError, StoreError>(staged.chain([Ok(journal.mark())]))?;
        loader.commit()?;
        tracing::info!(file = %file, "write: bulk loaded");
        self.forget(journal)
    }

    /// Removes the journal entry, then its file.
    fn forget(&self, journal: &Journal) -> Result<(), StoreError> {
        let mut transaction = self.store.start_transaction()?;
        let entry: Vec<Quad> = transaction
            .quads_for_pattern(Some(journal.node.as_ref().into()), None, None, Some(vocab::META_GRAPH.into()))
            .collect::<Result<_, _>>()?;
        for quad in &entry {
            transaction.remove(quad);
        }
        transaction.commit()?;
        remove_if_there(&journal.path)
    }

    /// Finishes the staged writes a stopped process left (see the module documentation).
    /// Returns how many were finished.
    pub(super) fn finish_staged_writes(&self) -> Result<usize, StoreError> {
        let mut journals = Vec::new();
        for quad in
            self.store.quads_for_pattern(None, Some(rdf::TYPE), Some(kr::STAGED_WRITE.into()), Some(vocab::META_GRAPH.into()))
        {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                journals.push(Journal::of(&self.store, &self.staging, node)?);
            }
        }
        for journal in &journals {
            if self.store.contains(journal.mark().as_ref())? {
                self.forget(journal)?;
            } else {
                self.bulk_load_staged(journal, 0)?;
            }
            tracing::warn!(file = %journal.path.display(), "store: finished a staged write that a stopped process left");
        }
        if let Ok(entries) = fs::read_dir(&self.staging) {
            for entry in entries.flatten() {
                remove_if_there(&entry.path())?;
            }
        }
        Ok(journals.len())
    }
}

/// One staged write: its journal entry in the meta graph and its file.
struct Journal {
    node: NamedNode,
    path: PathBuf,
}

impl Journal {
    fn new(staging: &Path) -> Self {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_nanos());
        let id = format!("{nanos}-{}", std::process::id());
        Self { node: NamedNode::new_unchecked(format!("{JOURNAL_BASE}{id}")), path: staging.join(format!("{id}.nq")) }
    }

    /// The journal entry `node` in the store, with its file.
    fn of(store: &Store, staging: &Path, node: NamedNode) -> Result<Self, StoreError> {
        let file = store
            .quads_for_pattern(Some(node.as_ref().into()), Some(kr::STAGING_FILE), None, Some(vocab::META_GRAPH.into()))
            .next()
            .transpose()?
            .and_then(|quad| match quad.object {
                Term::Literal(name) => Some(name.value().to_owned()),
                _ => None,
            })
            .filter(|name| !name.contains(['/', '\\']) && name.ends_with(".nq"))
            .ok_or_else(|| StoreError::Staging {
                file: node.as_str().to_owned(),
                message: "the journal entry names no staged file".to_owned(),
            })?;
        Ok(Self { path: staging.join(file), node })
    }

    fn entry(&self, graph: &GraphName) -> Vec<Quad> {
        let meta = GraphName::from(vocab::META_GRAPH);
        let file_name = self.path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let target: Term = match graph {
            GraphName::NamedNode(named) => named.clone().into(),
            _ => vocab::DEFAULT_GRAPH_NODE.into_owned().into(),
        };
        vec![
            Quad::new(self.node.clone(), rdf::TYPE, kr::STAGED_WRITE, meta.clone()),
            Quad::new(self.node.clone(), kr::STAGED_INTO, target, meta.clone()),
            Quad::new(self.node.clone(), kr::STAGING_FILE, Literal::new_simple_literal(file_name), meta),
        ]
    }

    /// The statement the bulk load adds with the staged ones: that they are in.
    fn mark(&self) -> Quad {
        Quad::new(self.node.clone(), kr::BULK_LOADED, Literal::new_typed_literal("true", xsd::BOOLEAN), vocab::META_GRAPH)
    }
}

/// The least and most quads a thread of the bulk loader sorts and writes at a time.
const MIN_BULK_BATCH: usize = 100_000;
const MAX_BULK_BATCH: usize = 1_000_000;

/// Where the journal entries of staged writes are named.
const JOURNAL_BASE: &str = "https://w3id.org/kansrijk/id/staging/";

/// Writes `quads` as N-Quads to `path` and syncs the file and its folder to disk.
fn write_synced<'a>(path: &Path, quads: impl Iterator<Item = QuadRef<'a>>, progress: &Progress) -> Result<(), StoreError> {
    let file_error = |source| StoreError::Write { path: path.display().to_string(), source };
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder).map_err(file_error)?;
    }
    let file = File::create(path).map_err(file_error)?;
    let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(BufWriter::new(file));
    for quad in quads {
        serializer.serialize_quad(quad).map_err(file_error)?;
        progress.advance(1);
    }
    let file = serializer.finish().map_err(file_error)?.into_inner().map_err(|error| file_error(error.into_error()))?;
    file.sync_all().map_err(file_error)?;
    if let Some(folder) = path.parent() {
        File::open(folder).and_then(|folder| folder.sync_all()).map_err(file_error)?;
    }
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(StoreError::Write { path: path.display().to_string(), source: error })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::vocab::skos;

    fn graph() -> GraphName {
        NamedNode::new_unchecked("https://w3id.org/kansrijk/graph/test-staging").into()
    }

    fn quads(range: std::ops::Range<usize>) -> Vec<Quad> {
        range
            .map(|n| {
                let subject = NamedNode::new_unchecked(format!("https://w3id.org/kansrijk/id/aanbod/test-{n}"));
                Quad::new(
                    subject,
                    skos::PREF_LABEL,
                    Literal::new_language_tagged_literal_unchecked(format!("aanbod {n}"), "nl"),
                    graph(),
                )
            })
            .collect()
    }

    fn held(store: &KnowledgeStore) -> HashSet<Quad> {
        store.view().expect("a view").quads_in(&graph()).expect("the graph").into_iter().collect()
    }

    fn journal_entries(store: &KnowledgeStore) -> usize {
        store
            .view()
            .expect("a view")
            .quads_for_pattern(None, Some(rdf::TYPE), Some(kr::STAGED_WRITE.into()), Some(vocab::META_GRAPH.into()))
            .count()
    }

    fn staged_files(data: &Path) -> usize {
        fs::read_dir(data.join(STAGING_DIR)).map_or(0, Iterator::count)
    }

    #[test]
    fn a_replacement_writes_only_what_changes() {
        let data = tempfile::tempdir().expect("a folder");
        let store = KnowledgeStore::open(data.path()).expect("the store");
        store.replace_graph(&graph(), &quads(0..10), &[]).expect("the first replacement");
        let replaced = store.replace_graph(&graph(), &quads(5..12), &[]).expect("the second replacement");
        assert_eq!((replaced.added, replaced.removed, replaced.kept, replaced.staged), (2, 5, 5, false));
        assert_eq!(held(&store), quads(5..12).into_iter().collect());
        let added = store.add_to_graph(&graph(), &quads(10..14), &[]).expect("the addition");
        assert_eq!((added.added, added.removed, added.kept), (2, 0, 2));
        assert_eq!(held(&store), quads(5..14).into_iter().collect());
    }

    #[test]
    fn a_large_replacement_is_staged_bulk_loaded_and_cleaned_up() {
        let data = tempfile::tempdir().expect("a folder");
        let store = KnowledgeStore::open(data.path()).expect("the store");
        store.replace_graph(&graph(), &quads(0..10), &[]).expect("the first replacement");
        let before = store.view().expect("a view pinned before the large write");
        let replaced = store.replace_graph(&graph(), &quads(5..STAGED_FROM + 10), &[]).expect("the staged replacement");
        assert!(replaced.staged, "{replaced:?}");
        assert_eq!((replaced.added, replaced.removed, replaced.kept), (STAGED_FROM, 5, 5));
        assert_eq!(held(&store), quads(5..STAGED_FROM + 10).into_iter().collect());
        assert_eq!(before.quads_in(&graph()).expect("the old graph").len(), 10, "a view pinned before sees none of it");
        assert_eq!((journal_entries(&store), staged_files(data.path())), (0, 0), "journal and file are gone");
    }

    #[test]
    fn a_staged_write_a_stopped_process_left_is_finished_when_the_store_opens() {
        let data = tempfile::tempdir().expect("a folder");
        {
            let store = KnowledgeStore::open(data.path()).expect("the store");
            store.replace_graph(&graph(), &quads(0..10), &[]).expect("the first replacement");
            let (added, removed) = (quads(10..50), quads(0..5));
            store.stage(&graph(), &added.iter().collect(), &removed, &[]).expect("staged, then the process stops");
            assert_eq!(journal_entries(&store), 1);
        }
        let store = KnowledgeStore::open(data.path()).expect("the store opened again");
        assert_eq!(held(&store), quads(5..50).into_iter().collect(), "the staged write is all there");
        assert_eq!((journal_entries(&store), staged_files(data.path())), (0, 0), "journal and file are gone");
    }

    #[test]
    fn a_staged_file_without_its_journal_entry_changes_nothing() {
        let data = tempfile::tempdir().expect("a folder");
        {
            let store = KnowledgeStore::open(data.path()).expect("the store");
            store.replace_graph(&graph(), &quads(0..10), &[]).expect("the first replacement");
            let journal = Journal::new(&store.staging);
            let staged = quads(10..20);
            write_synced(&journal.path, staged.iter().map(Quad::as_ref), &Progress::default())
                .expect("the file, then the process stops");
        }
        assert_eq!(staged_files(data.path()), 1);
        let store = KnowledgeStore::open(data.path()).expect("the store opened again");
        assert_eq!(held(&store), quads(0..10).into_iter().collect(), "nothing of the write");
        assert_eq!(staged_files(data.path()), 0, "the file is gone");
    }
}
