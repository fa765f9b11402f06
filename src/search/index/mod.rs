//! The Tantivy full-text index, built from the store: one document per searchable resource
//! (themes, factors, tools, documents, offers, organisations, figures, practice examples) with
//! its labels, description, the labels of what it links to, and the IRIs of its concepts, roles,
//! phases and served regions (with every place those lie in). Beside the indexed text each
//! document keeps, as columns (fast fields), what ranking compares without reading the stored
//! document or analysing text at query time: the analysed terms of its label, other names,
//! linked labels and description, the folded words and keys of its names, and its tags and
//! areas; the stored document holds only what a result shows, the snippet's analysed
//! description included.
//!
//! The index lives under `<data>/index/generation-N`, and `CURRENT` names the one in use. A
//! full build ([`SearchIndex::rebuild`]) writes a fresh generation and then points `CURRENT` at
//! it. After a write, [`SearchIndex::catch_up`] changes only the documents the write changed, in
//! the generation in use: the resources of the graphs whose version ([`GraphVersions`]) differs
//! from the one the index reflects, and the resources whose documents hold their labels. Each
//! commit records in its payload the graph versions it reflects, in the same atomic step as
//! its documents, so that a crash between a store commit and the index's is repaired at start
//! by catching up on the graphs it missed. Searchers already open keep reading the segments
//! they were opened on.

mod document;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::{DocSet, Index, IndexReader, IndexWriter, TantivyDocument, Term};

use crate::analysis::{self, Lexicon};
use crate::catalog::contact::{Contact, Contacts};
use crate::data;
use crate::places::Places;
use crate::rdf::kinds;
use crate::rdf::vocab::skos;
use crate::search::statistics::SegmentTokens;
use crate::store::{GraphVersions, StoreError, StoreView};
use document::{PlaceClosure, Resource};

pub use document::{PART_MARK, name_keys};

/// The `area` value of documents that are not bound to a place (themes, guidelines, ...).
pub const NOT_PLACE_BOUND: &str = "-";
/// The field of a document's IRI.
pub(super) const IRI_FIELD: &str = "iri";
const DUTCH: &str = "kansrijk_nl";
const EXACT: &str = "kansrijk_exact";
/// The file in `<data>/index` that names the generation in use.
const CURRENT_FILE: &str = "CURRENT";
const GENERATION_PREFIX: &str = "generation-";
const WRITER_MEMORY: usize = 50_000_000;
const NO_GENERATION: &str = "no generation yet";
/// Documents a catch-up re-indexes at least before a full build (which reads the store in bulk)
/// is cheaper; beyond it, when more than a quarter of the index changed.
const MOST_DOCUMENTS: usize = 2_000;
/// Why a catch-up gives way to a full build when it would re-index many documents.
const MANY_CHANGED: &str = "a large share of the documents changed";
/// Documents a catch-up writes beyond which it uses the memory and threads of a full build and
/// merges what it wrote into one segment.
const LARGE_CATCH_UP: usize = 20_000;
/// The memory of the writer that catches up after writes: one thread, Tantivy's least.
const CATCH_UP_MEMORY: usize = 15_000_000;
/// Changes with the fields of a document, so that an index of an older layout is rebuilt.
const SCHEMA_VERSION: u32 = 7;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index: reading the store: {0}")]
    Store(#[from] StoreError),
    #[error("search index: writing a contact: {0}")]
    Contact(#[source] serde_json::Error),
    #[error("search index: {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("search index: the commit payload: {0}")]
    Payload(#[source] serde_json::Error),
    #[error("search index: the writer of an earlier catch-up failed")]
    WriterPoisoned,
}

/// The fields of an index document.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub iri: Field,
    pub kind: Field,
    pub label: Field,
    pub names: Field,
    pub names_exact: Field,
    /// The folded word sequence of each name (`places::name_key`, the one normalisation of names):
    /// a question equal to a name finds it.
    pub name_keys: Field,
    pub description: Field,
    pub context: Field,
    pub concept: Field,
    pub role: Field,
    pub phase: Field,
    pub area: Field,
    /// The areas served and every place they lie in: a question about a place finds what
    /// serves it or a place inside it by one term.
    pub area_within: Field,
    /// Columns only (fast fields, one value per term), read by ranking without the stored
    /// document: the analysed terms of the label, the other names, the linked labels and the
    /// description (compound parts marked with [`PART_MARK`]), the folded words of the label and
    /// of the other names (for typos), and the keys of the label.
    pub label_terms: Field,
    pub name_terms: Field,
    pub context_terms: Field,
    pub description_terms: Field,
    pub label_words: Field,
    pub name_words: Field,
    pub label_keys: Field,
    /// Stored only: the terms of the first description with their byte ranges
    /// ([`analysis::encoded_terms`]), for snippets without analysing text at query time.
    pub description_analysed: Field,
    /// Stored only: what the graph knows to act on the resource ([`crate::catalog::contact::Contact`]), as JSON.
    pub contact: Field,
    /// The graphs its type is stated in: a change to one of them re-indexes it.
    pub graph: Field,
    /// Every folded word of its label, names, description and linked labels, as the compound
    /// splitter sees them: when the lexicon gains or loses a part, the documents with a word
    /// that holds it are re-indexed.
    pub words: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        iri: builder.add_text_field(IRI_FIELD, STRING | STORED | FAST),
        kind: builder.add_text_field("kind", STRING | STORED | FAST),
        label: builder.add_text_field("label", text(DUTCH) | STORED),
        names: builder.add_text_field("names", text(DUTCH)),
        names_exact: builder.add_text_field("names_exact", text(EXACT)),
        name_keys: builder.add_text_field("name_keys", STRING | FAST),
        description: builder.add_text_field("description", text(DUTCH) | STORED),
        context: builder.add_text_field("context", text(DUTCH)),
        concept: builder.add_text_field("concept", STRING | FAST),
        role: builder.add_text_field("role", STRING | FAST),
        phase: builder.add_text_field("phase", STRING | FAST),
        area: builder.add_text_field("area", STRING | FAST),
        area_within: builder.add_text_field("area_within", STRING),
        label_terms: builder.add_text_field("label_terms", FAST),
        name_terms: builder.add_text_field("name_terms", FAST),
        context_terms: builder.add_text_field("context_terms", FAST),
        description_terms: builder.add_text_field("description_terms", FAST),
        label_words: builder.add_text_field("label_words", FAST),
        name_words: builder.add_text_field("name_words", FAST),
        label_keys: builder.add_text_field("label_keys", FAST),
        description_analysed: builder.add_text_field("description_analysed", STORED),
        contact: builder.add_text_field("contact", STORED),
        graph: builder.add_text_field("graph", STRING),
        words: builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(EXACT).set_index_option(IndexRecordOption::Basic),
            ),
        ),
    };
    (builder.build(), fields)
}

/// What an index reflects, recorded in the payload of each of its commits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Reflects {
    /// The document layout and the searchable kinds: when they differ, only a full build will do.
    layout: String,
    /// The version of every graph of the store state the documents were read from.
    graphs: GraphVersions,
}

impl Reflects {
    fn of(store: &StoreView) -> Result<Self, IndexError> {
        Ok(Self { layout: layout(), graphs: store.graph_versions()? })
    }

    fn payload(&self) -> Result<String, IndexError> {
        serde_json::to_string(self).map_err(IndexError::Payload)
    }

    fn read(index: &Index) -> Option<Self> {
        let payload = index.load_metas().ok()?.payload?;
        serde_json::from_str(&payload).ok()
    }
}

fn layout() -> String {
    let kinds: Vec<&str> = kinds::searchable().map(|kind| kind.class).collect();
    format!("{SCHEMA_VERSION} {}", kinds.join(","))
}

/// What [`SearchIndex::catch_up`] did.
pub enum CatchUp {
    /// The index already reflected the store.
    Current,
    /// The documents of the changed graphs were re-indexed: here is the index that holds them.
    Caught { index: Box<SearchIndex>, documents: usize },
    /// Only a full build can reflect the store (the layout, a base graph or the words the
    /// compound splitter knows changed).
    NeedsRebuild(&'static str),
}

/// The opened index with its reader.
#[derive(Clone)]
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub lexicon: Arc<Lexicon>,
    /// The words of each graph's labels that the lexicon was made with.
    label_words: Arc<LabelWords>,
    /// The folder name of the generation under `<data>/index`.
    generation: String,
    /// The store state the index reflects.
    reflects: Arc<Reflects>,
    /// The writer that catches up after writes, made at the first, kept for its merges.
    writer: Arc<Mutex<Option<IndexWriter>>>,
    /// The token totals of this generation's segments, kept across catch-ups.
    pub(in crate::search) segment_tokens: Arc<SegmentTokens>,
}

impl SearchIndex {
    /// Opens the current index generation under `data_dir` and catches it up on the store
    /// (a crash between a store commit and the index's leaves it behind), or builds a new
    /// generation when there is none or only a full build can reflect the store.
    /// `progress(done, total)` follows a build. Returns the index and whether it was built.
    pub fn open(data_dir: &Path, store: &StoreView, progress: &dyn Fn(usize, usize)) -> Result<(Self, bool), IndexError> {
        let root = data_dir.join("index");
        let why = match current_generation(&root) {
            None => NO_GENERATION,
            Some(current) => match Index::open_in_dir(root.join(&current)) {
                Err(_) => "the generation in use does not open",
                Ok(index) => match Reflects::read(&index) {
                    None => "the generation in use records no store state",
                    Some(reflects) => {
                        let opened = Self::with_index(index, store, current.clone(), reflects)?;
                        match opened.catch_up(store, None)? {
                            CatchUp::Current => return Ok((opened, false)),
                            CatchUp::Caught { index, documents } => {
                                tracing::warn!(generation = %current, documents, "index: generation does not match the store; caught up");
                                return Ok((*index, false));
                            }
                            CatchUp::NeedsRebuild(why) => why,
                        }
                    }
                },
            },
        };
        if why == NO_GENERATION {
            tracing::info!("index: no generation yet; building one");
        } else {
            tracing::warn!(why, "index: generation does not match the store; building a new one");
        }
        let index = Self::rebuild(data_dir, store, progress)?;
        tracing::info!(generation = %index.generation, documents = index.num_docs(), "index: generation built from the store");
        Ok((index, true))
    }

    /// Builds a new index generation under `data_dir` from the store and makes it current:
    /// in a fresh folder, then `CURRENT` is pointed at it (an atomic rename), so that the
    /// generation in use is never rebuilt under its readers. Generations older than the one in
    /// use are removed first.
    pub fn rebuild(data_dir: &Path, store: &StoreView, progress: &dyn Fn(usize, usize)) -> Result<Self, IndexError> {
        let root = data_dir.join("index");
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| IndexError::Io { path, source }
        };
        fs::create_dir_all(&root).map_err(io(&root))?;
        let current = current_generation(&root);
        let mut newest = 0;
        for entry in fs::read_dir(&root).map_err(io(&root))? {
            let path = entry.map_err(io(&root))?.path();
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_owned();
            if let Some(number) = generation_number(&name) {
                newest = newest.max(number);
                if current.as_deref() != Some(name.as_str()) {
                    fs::remove_dir_all(&path).map_err(io(&path))?;
                }
            } else if name != CURRENT_FILE {
                // An index from before generations, or a stray file.
                let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
                removed.map_err(io(&path))?;
            }
        }
        let name = format!("{GENERATION_PREFIX}{:010}", newest + 1);
        let dir = root.join(&name);
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let (schema, _) = schema();
        let index = Index::create_in_dir(&dir, schema)?;
        let reflects = Reflects::of(store)?;
        let mut lap = Lap::start();
        let search_index = Self::with_index(index, store, name.clone(), reflects.clone())?;
        lap.done("lexicon");
        let resources = document::read_resources(store)?;
        lap.done("resources");
        let labels = document::preferred_labels(store)?;
        lap.done("labels");
        let contacts = Contacts::from_store(store)?;
        lap.done("contacts");
        let places = Places::from_store(store, Arc::clone(&search_index.lexicon))?;
        lap.done("places");
        let mut closure = PlaceClosure::new(&places);
        let mut writer = search_index.index.writer::<TantivyDocument>(WRITER_MEMORY)?;
        // The segments are merged into one at the end (below), not in the background meanwhile.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut analyzer = analysis::dutch_analyzer(Arc::clone(&search_index.lexicon));
        for (done, (iri, resource)) in resources.iter().enumerate() {
            let contact = contacts.get(iri);
            writer.add_document(search_index.document(&mut analyzer, iri, resource, &labels, &mut closure, contact)?)?;
            progress(done + 1, resources.len());
        }
        lap.done("documents");
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&reflects.payload()?);
        commit.commit()?;
        lap.done("commit");
        // Each indexing thread writes a segment of its own; one segment is searched fastest.
        let segments = search_index.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        lap.done("merge");
        search_index.reader.reload()?;
        let pointer = root.join(CURRENT_FILE);
        let partial = root.join(format!("{CURRENT_FILE}.partial"));
        let mut file = fs::File::create(&partial).map_err(io(&partial))?;
        std::io::Write::write_all(&mut file, name.as_bytes()).map_err(io(&partial))?;
        file.sync_all().map_err(io(&partial))?;
        fs::rename(&partial, &pointer).map_err(io(&pointer))?;
        Ok(search_index)
    }

    /// Re-indexes what changed in `store` since the state this index reflects, in the
    /// generation in use: every resource the index holds from a changed graph or the store now
    /// types in one, and every resource that links to one of those (its document holds their
    /// labels). `places` is the gazetteer of the areas documents are found by (read from the
    /// store when not given); a change to a base graph, which holds the places, needs a full
    /// build. Readers of this index keep what they read; the index returned reads the new state.
    pub fn catch_up(&self, store: &StoreView, places: Option<&Places>) -> Result<CatchUp, IndexError> {
        let reflects = Reflects::of(store)?;
        if reflects.layout != self.reflects.layout {
            return Ok(CatchUp::NeedsRebuild("the document layout changed"));
        }
        let changed = reflects.graphs.changed_since(&self.reflects.graphs);
        if changed.is_empty() {
            return Ok(CatchUp::Current);
        }
        if changed.iter().any(|graph| data::is_read_only_graph(graph)) {
            return Ok(CatchUp::NeedsRebuild("a base graph changed"));
        }
        let most = (self.num_docs() as usize / 4).max(MOST_DOCUMENTS);
        let mut touched = self.iris_in_graphs(&changed)?;
        touched.extend(store_resources_in(store, &changed)?);
        if touched.len() > most {
            // Reading resources one by one costs more than reading them all at once.
            return Ok(CatchUp::NeedsRebuild(MANY_CHANGED));
        }
        let label_words = self.label_words.with_graphs_read_again(store, &changed)?;
        let lexicon = if label_words.all() == self.label_words.all() {
            Arc::clone(&self.lexicon)
        } else {
            let lexicon = Arc::new(label_words.lexicon());
            let changed_parts: Vec<&str> = self.lexicon.differences(&lexicon).collect();
            touched.extend(self.iris_with_words_holding(&changed_parts)?);
            if touched.len() > most {
                return Ok(CatchUp::NeedsRebuild(MANY_CHANGED));
            }
            self.index.tokenizers().register(DUTCH, analysis::dutch_analyzer(Arc::clone(&lexicon)));
            lexicon
        };
        let linking = document::linking_to(store, touched.iter().map(String::as_str))?;
        touched.extend(linking);
        let resources = document::read_resources_of(store, touched.iter().map(String::as_str))?;
        let targets: BTreeSet<&str> = resources.values().flat_map(Resource::targets).collect();
        let labels = document::preferred_labels_of(store, targets)?;
        let read_places;
        let places = match places {
            Some(places) => places,
            None => {
                read_places = Places::from_store(store, Arc::clone(&self.lexicon))?;
                &read_places
            }
        };
        let mut closure = PlaceClosure::new(places);
        let mut analyzer = analysis::dutch_analyzer(Arc::clone(&lexicon));
        let mut documents = Vec::with_capacity(resources.len());
        for (iri, resource) in &resources {
            let contact = Contact::of(store, iri)?;
            documents.push(self.document(&mut analyzer, iri, resource, &labels, &mut closure, Some(&contact))?);
        }
        let mut writer = self.writer.lock().map_err(|_| IndexError::WriterPoisoned)?;
        let large = documents.len() > LARGE_CATCH_UP;
        if large {
            // Tantivy allows one writer per index: the small one goes first.
            drop(writer.take());
            let large_writer = self.index.writer(WRITER_MEMORY)?;
            // Its segments are merged below, not by the merge policy meanwhile.
            large_writer.set_merge_policy(Box::new(NoMergePolicy));
            *writer = Some(large_writer);
        } else if writer.is_none() {
            *writer = Some(self.index.writer_with_num_threads(1, CATCH_UP_MEMORY)?);
        }
        let Some(writer) = writer.as_mut() else { return Err(IndexError::WriterPoisoned) };
        let before: BTreeSet<_> = self.index.searchable_segment_ids()?.into_iter().collect();
        for iri in &touched {
            writer.delete_term(Term::from_field_text(self.fields.iri, iri));
        }
        for document in documents {
            writer.add_document(document)?;
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&reflects.payload()?);
        commit.commit()?;
        if large {
            // The segments the writer flushed as its memory filled are merged into one, so that
            // searches and later writes do not visit dozens of them.
            let new: Vec<_> = self.index.searchable_segment_ids()?.into_iter().filter(|id| !before.contains(id)).collect();
            if new.len() > 1 {
                writer.merge(&new).wait()?;
            }
            writer.set_merge_policy(Box::<LogMergePolicy>::default());
        }
        self.reader.reload()?;
        let index = Self { reflects: Arc::new(reflects), lexicon, label_words: Arc::new(label_words), ..self.clone() };
        Ok(CatchUp::Caught { index: Box::new(index), documents: touched.len() })
    }

    /// The IRIs of the documents with a word that holds one of `parts` (whose compound
    /// splitting a change of the lexicon may change).
    fn iris_with_words_holding(&self, parts: &[&str]) -> Result<BTreeSet<String>, IndexError> {
        let searcher = self.reader.searcher();
        let mut iris = BTreeSet::new();
        if parts.is_empty() {
            return Ok(iris);
        }
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.words)?;
            let Some(column) = segment.fast_fields().str(IRI_FIELD)? else { continue };
            let alive = segment.alive_bitset();
            let mut terms = inverted.terms().stream().map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let Ok(word) = std::str::from_utf8(terms.key()) else { continue };
                if !Lexicon::may_split(word) || !parts.iter().any(|part| word.contains(part)) {
                    continue;
                }
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                collect_iris(&mut postings, alive, &column, &mut iris)?;
            }
        }
        Ok(iris)
    }

    /// The IRIs of the documents the index holds from one of `graphs`.
    fn iris_in_graphs(&self, graphs: &[String]) -> Result<BTreeSet<String>, IndexError> {
        let searcher = self.reader.searcher();
        let mut iris = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.graph)?;
            let Some(column) = segment.fast_fields().str(IRI_FIELD)? else { continue };
            let alive = segment.alive_bitset();
            for graph in graphs {
                let term = Term::from_field_text(self.fields.graph, graph);
                let postings = inverted.read_postings(&term, IndexRecordOption::Basic).map_err(tantivy::TantivyError::from)?;
                let Some(mut postings) = postings else { continue };
                collect_iris(&mut postings, alive, &column, &mut iris)?;
            }
        }
        Ok(iris)
    }

    fn with_index(index: Index, store: &StoreView, generation: String, reflects: Reflects) -> Result<Self, IndexError> {
        let label_words = LabelWords::read(store)?;
        let lexicon = Arc::new(label_words.lexicon());
        index.tokenizers().register(DUTCH, analysis::dutch_analyzer(Arc::clone(&lexicon)));
        index.tokenizers().register(EXACT, analysis::exact_analyzer());
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;
        let (_, fields) = schema();
        Ok(Self {
            index,
            reader,
            fields,
            lexicon,
            label_words: Arc::new(label_words),
            generation,
            reflects: Arc::new(reflects),
            writer: Arc::default(),
            segment_tokens: Arc::default(),
        })
    }

    /// The document of `resource`, with its contact when the graph knows one.
    fn document(
        &self,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
        iri: &str,
        resource: &Resource,
        labels: &std::collections::BTreeMap<String, String>,
        places: &mut PlaceClosure<'_>,
        contact: Option<&Contact>,
    ) -> Result<TantivyDocument, IndexError> {
        let mut document = document::document(&self.fields, analyzer, iri, resource, labels, places);
        if let Some(contact) = contact.filter(|contact| !contact.is_empty()) {
            document.add_text(self.fields.contact, serde_json::to_string(contact).map_err(IndexError::Contact)?);
        }
        Ok(document)
    }

    /// The generation this index is, e.g. `generation-0000000007`.
    pub fn generation(&self) -> &str {
        &self.generation
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// The searchable resources `store` types in one of `graphs`.
fn store_resources_in(store: &StoreView, graphs: &[String]) -> Result<BTreeSet<String>, IndexError> {
    let mut iris = BTreeSet::new();
    for graph in graphs {
        let name = GraphVersions::graph(graph);
        for quad in store.quads_for_pattern(None, Some(crate::rdf::vocab::rdf::TYPE), None, Some(name.as_ref())) {
            let quad = quad?;
            if let (oxigraph::model::NamedOrBlankNode::NamedNode(subject), oxigraph::model::Term::NamedNode(class)) =
                (&quad.subject, &quad.object)
                && kinds::searchable().any(|kind| kind.iri() == class.as_str())
            {
                iris.insert(subject.as_str().to_owned());
            }
        }
    }
    Ok(iris)
}

/// Adds the IRIs of the documents alive in `postings` to `iris`.
fn collect_iris(
    postings: &mut tantivy::postings::SegmentPostings,
    alive: Option<&tantivy::fastfield::AliveBitSet>,
    column: &tantivy::columnar::StrColumn,
    iris: &mut BTreeSet<String>,
) -> Result<(), IndexError> {
    let mut doc = postings.doc();
    while doc != tantivy::TERMINATED {
        if alive.is_none_or(|alive| alive.is_alive(doc)) {
            iris.extend(iri_of(column, doc)?);
        }
        doc = postings.advance();
    }
    Ok(())
}

/// The IRI of a document, by its ordinal in the segment's IRI column.
fn iri_of(column: &tantivy::columnar::StrColumn, doc: tantivy::DocId) -> Result<Option<String>, IndexError> {
    let Some(ordinal) = column.ords().first(doc) else { return Ok(None) };
    let mut iri = String::new();
    let found = column.ord_to_str(ordinal, &mut iri).map_err(tantivy::TantivyError::from)?;
    Ok(found.then_some(iri))
}

/// The words of the labels (`skos:prefLabel`, `altLabel`, `hiddenLabel`) of each graph that
/// may become parts of the compound lexicon, folded ([`analysis::part_candidate`]); kept per
/// graph so that a write reads again only the labels of the graphs it wrote.
#[derive(Debug, Clone, Default)]
struct LabelWords(BTreeMap<String, BTreeSet<String>>);

const LABELS: [oxigraph::model::NamedNodeRef<'static>; 3] = [skos::PREF_LABEL, skos::ALT_LABEL, skos::HIDDEN_LABEL];

impl LabelWords {
    fn read(store: &StoreView) -> Result<Self, IndexError> {
        let mut words = Self::default();
        for predicate in LABELS {
            for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
                let quad = quad?;
                words.take(GraphVersions::key(&quad.graph_name), &quad.object);
            }
        }
        Ok(words)
    }

    /// These words with those of `graphs` read again from `store`.
    fn with_graphs_read_again(&self, store: &StoreView, graphs: &[String]) -> Result<Self, IndexError> {
        let mut words = self.clone();
        for graph in graphs {
            words.0.remove(graph);
            let name = GraphVersions::graph(graph);
            for predicate in LABELS {
                for quad in store.quads_for_pattern(None, Some(predicate), None, Some(name.as_ref())) {
                    words.take(graph.clone(), &quad?.object);
                }
            }
        }
        Ok(words)
    }

    fn take(&mut self, graph: String, label: &oxigraph::model::Term) {
        let oxigraph::model::Term::Literal(label) = label else { return };
        let words = label.value().split(|c: char| !c.is_alphanumeric()).filter_map(analysis::part_candidate);
        self.0.entry(graph).or_default().extend(words);
    }

    fn all(&self) -> BTreeSet<&str> {
        self.0.values().flatten().map(String::as_str).collect()
    }

    /// The embedded word parts with these words.
    fn lexicon(&self) -> Lexicon {
        Lexicon::embedded().with_words(self.all())
    }
}

/// Logs, at `debug`, how long each phase of a build took.
struct Lap(std::time::Instant);

impl Lap {
    fn start() -> Self {
        Self(std::time::Instant::now())
    }

    fn done(&mut self, phase: &'static str) {
        tracing::debug!(phase, ms = self.0.elapsed().as_millis() as u64, "index: build phase done");
        self.0 = std::time::Instant::now();
    }
}

/// The generation `CURRENT` names.
fn current_generation(root: &Path) -> Option<String> {
    let name = fs::read_to_string(root.join(CURRENT_FILE)).ok()?;
    generation_number(name.trim()).map(|_| name.trim().to_owned())
}

fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix(GENERATION_PREFIX)?.parse().ok()
}
