//! The Tantivy full-text index, built from the store: one document per searchable resource
//! (themes, factors, tools, documents, offers, organisations, figures, practice examples) with
//! its labels, description, the labels of what it links to, and the IRIs of its concepts, roles,
//! phases and served regions (with every place those lie in). Beside the indexed text each
//! document keeps, as columns (fast fields), what ranking compares without reading the stored
//! document or analysing text at query time: the analysed terms of its label, other names,
//! linked labels and description, the folded words and keys of its names, and its tags and
//! areas; the stored document holds only what a result shows, the snippet's analysed
//! description included. The index lives under `<data>/index/generation-N`, each generation
//! records the store state it was built from, and `CURRENT` names the one in use, so that it is
//! rebuilt exactly when the store changed and a live index is never written to.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, TantivyDocument, doc};

use crate::analysis::{self, Lexicon};
use crate::catalog::contact::Contacts;
use crate::places::{Places, name_key};
use crate::rdf::{kinds, vocab};
use crate::store::{Row, StoreError, StoreView};

/// The `area` value of documents that are not bound to a place (themes, guidelines, ...).
pub const NOT_PLACE_BOUND: &str = "-";
const DUTCH: &str = "kansrijk_nl";
const EXACT: &str = "kansrijk_exact";
const STATE_FILE: &str = "built-from";
/// The file in `<data>/index` that names the generation in use.
const CURRENT_FILE: &str = "CURRENT";
const GENERATION_PREFIX: &str = "generation-";
const WRITER_MEMORY: usize = 50_000_000;
/// Changes with the fields of a document, so that an index of an older layout is rebuilt.
const SCHEMA_VERSION: u32 = 6;

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
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        iri: builder.add_text_field("iri", STRING | STORED | FAST),
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
    };
    (builder.build(), fields)
}

/// One searchable resource as read from the store.
#[derive(Debug, Default)]
struct Resource {
    kind: String,
    label: Option<String>,
    names: Vec<String>,
    description: Vec<String>,
    links: BTreeMap<&'static str, BTreeSet<String>>,
}

/// The opened index with its reader.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub lexicon: Arc<Lexicon>,
    /// The folder name of the generation under `<data>/index`.
    generation: String,
}

impl SearchIndex {
    /// Opens the current index generation under `data_dir`, building a new one first when
    /// there is none or it was built from another store state (a crash between a store
    /// commit and the index build leaves exactly that). `progress(done, total)` follows a
    /// build. Returns the index and whether it was built.
    pub fn open(data_dir: &Path, store: &StoreView, progress: &dyn Fn(usize, usize)) -> Result<(Self, bool), IndexError> {
        let root = data_dir.join("index");
        let state = store_state(store)?;
        let current = current_generation(&root);
        if let Some(current) = &current {
            let dir = root.join(current);
            let built_from = fs::read_to_string(dir.join(STATE_FILE)).ok();
            if built_from.as_deref() == Some(state.as_str())
                && let Ok(index) = Index::open_in_dir(&dir)
            {
                return Ok((Self::with_index(index, store, current.clone())?, false));
            }
            tracing::warn!(generation = %current, "index: generation does not match the store; building a new one");
        } else {
            tracing::info!("index: no generation yet; building one");
        }
        let index = Self::build(&root, store, &state, progress)?;
        tracing::info!(generation = %index.generation, documents = index.num_docs(), "index: generation built from the store");
        Ok((index, true))
    }

    /// Builds a new index generation under `data_dir` from the store and makes it current.
    pub fn rebuild(data_dir: &Path, store: &StoreView, progress: &dyn Fn(usize, usize)) -> Result<Self, IndexError> {
        Self::build(&data_dir.join("index"), store, &store_state(store)?, progress)
    }

    /// Builds a generation in a fresh folder of `root` and then points `root/CURRENT` at it
    /// (an atomic rename), so that the index in use is never written to. Generations older
    /// than the one in use are removed first.
    fn build(root: &Path, store: &StoreView, state: &str, progress: &dyn Fn(usize, usize)) -> Result<Self, IndexError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| IndexError::Io { path, source }
        };
        fs::create_dir_all(root).map_err(io(root))?;
        let current = current_generation(root);
        let mut newest = 0;
        for entry in fs::read_dir(root).map_err(io(root))? {
            let path = entry.map_err(io(root))?.path();
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
        let search_index = Self::with_index(index, store, name.clone())?;
        let resources = read_resources(store)?;
        let labels = preferred_labels(store)?;
        let contacts = Contacts::from_store(store)?;
        let places = Places::from_store(store, Arc::clone(&search_index.lexicon))?;
        let mut closure = PlaceClosure { places: &places, known: HashMap::new() };
        let fields = search_index.fields;
        let mut writer = search_index.index.writer::<TantivyDocument>(WRITER_MEMORY)?;
        // The segments are merged into one at the end (below), not in the background meanwhile.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut analyzer = analysis::dutch_analyzer(Arc::clone(&search_index.lexicon));
        for (done, (iri, resource)) in resources.iter().enumerate() {
            let mut document = document(&fields, &mut analyzer, iri, resource, &labels, &mut closure);
            if let Some(contact) = contacts.get(iri).filter(|contact| !contact.is_empty()) {
                document.add_text(fields.contact, serde_json::to_string(contact).map_err(IndexError::Contact)?);
            }
            writer.add_document(document)?;
            progress(done + 1, resources.len());
        }
        writer.commit()?;
        // Each indexing thread writes a segment of its own; one segment is searched fastest, and
        // equal results then compare by IRI ordinal without reading IRIs.
        let segments = search_index.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        search_index.reader.reload()?;
        let state_file = dir.join(STATE_FILE);
        fs::write(&state_file, state).map_err(io(&state_file))?;
        let pointer = root.join(CURRENT_FILE);
        let partial = root.join(format!("{CURRENT_FILE}.partial"));
        let mut file = fs::File::create(&partial).map_err(io(&partial))?;
        std::io::Write::write_all(&mut file, name.as_bytes()).map_err(io(&partial))?;
        file.sync_all().map_err(io(&partial))?;
        fs::rename(&partial, &pointer).map_err(io(&pointer))?;
        Ok(search_index)
    }

    fn with_index(index: Index, store: &StoreView, generation: String) -> Result<Self, IndexError> {
        let lexicon = Arc::new(Lexicon::embedded().with_words(label_words(store)?.iter().map(String::as_str)));
        index.tokenizers().register(DUTCH, analysis::dutch_analyzer(Arc::clone(&lexicon)));
        index.tokenizers().register(EXACT, analysis::exact_analyzer());
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;
        let (_, fields) = schema();
        Ok(Self { index, reader, fields, lexicon, generation })
    }

    /// The generation this index is, e.g. `generation-0000000007`.
    pub fn generation(&self) -> &str {
        &self.generation
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

fn document(
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    iri: &str,
    resource: &Resource,
    labels: &BTreeMap<String, String>,
    places: &mut PlaceClosure<'_>,
) -> TantivyDocument {
    let mut document = doc!(fields.iri => iri, fields.kind => resource.kind.as_str());
    let label = resource.label.as_deref().unwrap_or(iri);
    document.add_text(fields.label, label);
    add_terms(&mut document, fields.label_terms, analyzer, label);
    add_words(&mut document, fields.label_words, label);
    let mut keys = BTreeSet::new();
    let mut other_names = Vec::new();
    for name in &resource.names {
        if name != label {
            document.add_text(fields.names, name);
            other_names.push(name.as_str());
        }
        document.add_text(fields.names_exact, name);
        keys.extend(name_keys(name));
    }
    let label_keys: BTreeSet<String> = name_keys(label).into_iter().filter(|key| !key.is_empty()).collect();
    for key in &label_keys {
        document.add_text(fields.label_keys, key);
    }
    keys.extend(label_keys);
    for key in keys.into_iter().filter(|key| !key.is_empty()) {
        document.add_text(fields.name_keys, key);
    }
    let other_names = other_names.join(" ");
    add_terms(&mut document, fields.name_terms, analyzer, &other_names);
    add_words(&mut document, fields.name_words, &other_names);
    for text in &resource.description {
        document.add_text(fields.description, text);
    }
    if let Some(first) = resource.description.first() {
        document.add_text(fields.description_analysed, analysis::encoded_terms(analyzer, first));
    }
    add_terms(&mut document, fields.description_terms, analyzer, &resource.description.join(" "));
    let mut context_labels = Vec::new();
    let mut within = BTreeSet::new();
    for (link, targets) in &resource.links {
        let field = match *link {
            "concept" => fields.concept,
            "role" => fields.role,
            "phase" => fields.phase,
            "area" => fields.area,
            _ => fields.context,
        };
        for target in targets {
            if field != fields.context {
                document.add_text(field, target);
            }
            if field == fields.area {
                within.extend(places.covering(target));
            }
            if let Some(label) = labels.get(target) {
                document.add_text(fields.context, label);
                context_labels.push(label.as_str());
            }
        }
    }
    for area in within {
        document.add_text(fields.area_within, area);
    }
    add_terms(&mut document, fields.context_terms, analyzer, &context_labels.join(" "));
    if !resource.links.contains_key("area") {
        document.add_text(fields.area, NOT_PLACE_BOUND);
    }
    if resource.kind == "Theme" || resource.kind == "RiskFactor" || resource.kind == "ProtectiveFactor" {
        document.add_text(fields.concept, iri);
    }
    document
}

/// The places an area lies in, itself included, each looked up once per build.
struct PlaceClosure<'p> {
    places: &'p Places,
    known: HashMap<String, Vec<String>>,
}

impl PlaceClosure<'_> {
    fn covering(&mut self, area: &str) -> Vec<String> {
        if let Some(known) = self.known.get(area) {
            return known.clone();
        }
        let covering: Vec<String> = match self.places.place_by_iri(area) {
            Some(place) => self.places.covering(place).into_iter().map(|p| self.places[p].iri.clone()).collect(),
            None => vec![area.to_owned()],
        };
        self.known.insert(area.to_owned(), covering.clone());
        covering
    }
}

/// Marks a ranking term as a compound part of a word of the text rather than a word.
pub const PART_MARK: char = '~';

/// Adds the terms of `text` as ranking reads them to the column `field`: each once, compound
/// parts marked with [`PART_MARK`] ("tienerzwangerschap", "~tiener", "~zwangerschap").
fn add_terms(document: &mut TantivyDocument, field: Field, analyzer: &mut TextAnalyzer, text: &str) {
    let mut terms = BTreeSet::new();
    for word in analysis::word_terms(analyzer, text) {
        terms.extend(word.parts.into_iter().map(|part| format!("{PART_MARK}{part}")));
        terms.insert(word.whole);
    }
    for term in terms {
        document.add_text(field, term);
    }
}

/// Adds the folded words of `names` (neither stemmed nor split) to the column `field`, for
/// typo matching.
fn add_words(document: &mut TantivyDocument, field: Field, names: &str) {
    let key = name_key(names);
    let words: BTreeSet<&str> = key.split(' ').filter(|word| !word.is_empty()).collect();
    for word in words {
        document.add_text(field, word);
    }
}

/// The keys of a name: its own, and without a qualifier in brackets ("Kraambuddy (fictief)" is
/// also "kraambuddy", "Bergen (NH.)" also "bergen").
pub fn name_keys(name: &str) -> Vec<String> {
    let mut keys = vec![name_key(name)];
    if let Some((base, _)) = name.split_once(" (") {
        keys.push(name_key(base));
    }
    keys
}

/// Which index field a predicate's value goes to.
fn link_kind(predicate: &str) -> Option<&'static str> {
    let local = predicate.rsplit(['#', '/']).next()?;
    Some(match local {
        "theme" | "riskFactor" | "protectiveFactor" | "broader" | "narrower" | "related" => "concept",
        "forRole" => "role",
        "forPhase" => "phase",
        "areaServed" | "spatialCoverage" => "area",
        "provider" | "publisher" | "implements" | "partOfProgramme" | "describes" | "referTo" | "figure" => "context",
        _ => return None,
    })
}

/// The first two values of a row, when both are bound.
fn pair(row: &Row) -> Option<(String, String)> {
    Some((row.first()?.clone()?, row.get(1)?.clone()?))
}

fn read_resources(store: &StoreView) -> Result<BTreeMap<String, Resource>, IndexError> {
    let rows = store.select(&format!(
        "SELECT ?r ?type ?p ?o (LANG(?o) AS ?lang) WHERE {{ VALUES ?type {{ {} }} ?r a ?type ; ?p ?o }}",
        kinds::searchable_values()
    ))?;
    let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
    for row in rows {
        let [resource, class, predicate, object, lang] = &row[..] else { continue };
        let (Some(iri), Some(class), Some(predicate), Some(value)) =
            (resource.clone(), class.as_deref(), predicate.clone(), object.clone())
        else {
            continue;
        };
        let lang = lang.as_deref().unwrap_or_default();
        let entry = resources.entry(iri).or_default();
        let kind = class.rsplit('#').next().unwrap_or_default().to_owned();
        if entry.kind.is_empty() || kind == "PracticeExample" {
            entry.kind = kind;
        }
        let local = predicate.rsplit(['#', '/']).next().unwrap_or_default();
        match local {
            "prefLabel" => {
                if lang == "nl" {
                    entry.label = Some(value.clone());
                }
                entry.names.push(value);
            }
            "altLabel" | "hiddenLabel" | "everydayName" => entry.names.push(value),
            "description" => entry.description.push(value),
            _ => {
                if let Some(link) = link_kind(&predicate) {
                    entry.links.entry(link).or_default().insert(value);
                }
            }
        }
    }
    for row in store
        .select("SELECT ?r ?concept WHERE { ?r kr:implements ?p . ?p kr:theme|kr:riskFactor|kr:protectiveFactor ?concept }")?
    {
        let Some((iri, concept)) = pair(&row) else { continue };
        if let Some(resource) = resources.get_mut(&iri) {
            resource.links.entry("concept").or_default().insert(concept);
        }
    }
    Ok(resources)
}

/// Dutch preferred labels of every resource, to index the labels of linked resources.
fn preferred_labels(store: &StoreView) -> Result<BTreeMap<String, String>, IndexError> {
    Ok(store
        .select("SELECT ?s ?l WHERE { ?s skos:prefLabel ?l FILTER(LANG(?l) = 'nl') }")?
        .into_iter()
        .filter_map(|row| pair(&row))
        .collect())
}

/// Every word of every label in the graph, for the compound lexicon.
fn label_words(store: &StoreView) -> Result<BTreeSet<String>, IndexError> {
    Ok(store
        .select("SELECT DISTINCT ?l WHERE { ?s skos:prefLabel|skos:altLabel|skos:hiddenLabel ?l }")?
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .flat_map(|label| label.split(|c: char| !c.is_alphanumeric()).map(str::to_owned).collect::<Vec<_>>())
        .collect())
}

/// A fingerprint of the store's content: the base graphs' hashes and the number of quads.
fn current_generation(root: &Path) -> Option<String> {
    let name = fs::read_to_string(root.join(CURRENT_FILE)).ok()?;
    generation_number(name.trim()).map(|_| name.trim().to_owned())
}

fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix(GENERATION_PREFIX)?.parse().ok()
}

/// A digest of the store state: the meta graph (content hashes of the base graphs, and the
/// provenance every write replaces) and the number of quads.
fn store_state(store: &StoreView) -> Result<String, IndexError> {
    let mut meta: Vec<String> = store.quads_in(&vocab::META_GRAPH.into())?.iter().map(ToString::to_string).collect();
    meta.sort();
    let mut hasher = Sha256::new();
    for quad in &meta {
        hasher.update(quad.as_bytes());
        hasher.update([0]);
    }
    hasher.update(store.len()?.to_le_bytes());
    hasher.update(kinds::searchable().map(|kind| kind.class).collect::<Vec<_>>().join(",").as_bytes());
    hasher.update(SCHEMA_VERSION.to_le_bytes());
    Ok(format!("{:x}", hasher.finalize()))
}
