//! Writes to the store by integrators: graph replacement (imports, Graph Store PUT/POST),
//! graph removal and SPARQL updates. Every write is validated against the SHACL shapes
//! before it commits, together with what the rest of the store says about the resources it
//! touches, and records its provenance (who, when, from what) in the meta graph. The store
//! commits atomically; keeping the search index in step is the caller's job (`live`). A write
//! is held to the [`limits`] of size, and may add statements only about resources that no other
//! graph describes.

pub mod limits;
pub mod tokens;
mod validation;

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use spargebra::term::{GraphNamePattern, GroundQuadPattern, QuadPattern};
use spargebra::{GraphUpdateOperation, Update};

use crate::data::shacl::{ShaclError, Shapes, Violation};
use crate::import::hsds::{self, HsdsError, StoreResolver};
use crate::rdf::files::{self, RdfFileError};
use crate::rdf::vocab::{self, prov};
use crate::store::{CommitGate, KnowledgeStore, Phase, Replaced, StoreError};
use crate::write::tokens::{GraphTarget, Refusal};

use self::limits::{LimitError, Limits};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("{} SHACL-overtreding(en); er is niets geschreven", .0.len())]
    Invalid(Vec<Violation>),
    #[error(transparent)]
    Rdf(#[from] RdfFileError),
    #[error(transparent)]
    Limit(#[from] LimitError),
    #[error("{name}: {source}")]
    Hsds { name: String, source: HsdsError },
    #[error("de SPARQL-update is ongeldig: {0}")]
    UpdateSyntax(String),
    #[error(transparent)]
    UpdateOutOfBounds(#[from] crate::sparql::bounds::BoundsError),
    #[error("{0}")]
    UnsupportedUpdate(String),
    #[error("{name}: de gegevens noemen graaf <{found}>, maar worden naar <{target}> geschreven")]
    OtherGraph { name: String, found: String, target: String },
    #[error(
        "<{subject}> is een bron van kansrijk zelf (graaf <{graph}>); niemand mag er uitspraken over toevoegen, \
         ook niet in een andere graaf of met een token zonder graafbeperking. Ernaar verwijzen (als object) mag wel"
    )]
    BaseResource { subject: String, graph: String },
    #[error(
        "<{subject}> wordt beschreven in graaf <{graph}>; voeg daar uitspraken erover toe, niet in een andere graaf \
         (dat geldt ook voor een token zonder graafbeperking). Ernaar verwijzen (als object) mag wel"
    )]
    DescribedElsewhere { subject: String, graph: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Shacl(#[from] ShaclError),
}

/// Who writes, and from what: recorded as PROV in the meta graph.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The name of the write token (never the token itself), or the CLI user.
    pub agent: String,
    /// What was done, in Dutch, e.g. "import" or "SPARQL-update".
    pub action: String,
    /// The file or upload the data came from, when there is one.
    pub file: Option<String>,
}

/// What a committed write did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WriteReport {
    pub graphs: Vec<String>,
    pub triples: usize,
    /// Offers and organisations, for an HSDS import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub services: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organizations: Option<usize>,
    /// What an HSDS import accepted but could not map (see [`hsds::Mapped::warnings`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<hsds::Problem>,
    /// How long each phase took, in milliseconds, and what the store wrote.
    pub phases: Phases,
}

/// The phases of a write, in milliseconds: reading the upload, validating it, and the store's
/// comparison and commit (a graph replacement or addition also tells what it wrote).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Phases {
    pub parse_ms: u64,
    pub validate_ms: u64,
    #[serde(flatten)]
    pub store: Replaced,
    /// Catching up the search index and reconciler, and swapping the snapshot (set by `live`).
    pub index_ms: u64,
}

impl WriteReport {
    fn new(graphs: Vec<String>, triples: usize) -> Self {
        Self { graphs, triples, services: None, organizations: None, warnings: Vec::new(), phases: Phases::default() }
    }
}

/// Milliseconds since `started`.
fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The shapes and the store that writes are validated against and committed to.
pub struct Writes {
    store: KnowledgeStore,
    shapes: Shapes,
}

impl Writes {
    pub fn new(store: KnowledgeStore, shapes: Shapes) -> Self {
        Self { store, shapes }
    }

    /// Parses an RDF document for `graph`: triples go to `graph`, quads of a dataset format
    /// must name `graph` or the default graph too. Parsing stops at the first limit passed.
    pub fn parse(&self, name: &str, body: &[u8], format: RdfFormat, graph: &GraphName) -> Result<Vec<Quad>, WriteError> {
        let mut limits = Limits::default();
        let mut quads = Vec::new();
        let progress = self.store.progress();
        progress.start(Phase::Reading, 0);
        for quad in files::quads(name, body, format, graph)? {
            let quad = quad?;
            progress.advance(1);
            limits.check(&quad)?;
            if quad.graph_name != *graph && !quad.graph_name.is_default_graph() {
                return Err(WriteError::OtherGraph {
                    name: name.to_owned(),
                    found: quad.graph_name.to_string(),
                    target: graph_label(graph),
                });
            }
            quads.push(Quad { graph_name: graph.clone(), ..quad });
        }
        Ok(quads)
    }

    /// Maps an Open Referral HSDS 3.0 file onto offers, organisations and their source in
    /// `graph`, with its regions and themes resolved against the store.
    pub fn parse_hsds(&self, name: &str, body: &[u8], graph: &NamedNode) -> Result<hsds::Mapped, WriteError> {
        self.store.progress().start(Phase::Reading, 0);
        let resolver = StoreResolver::from_store(&self.store.view()?)?;
        hsds::map(body, graph, name, &resolver).map_err(|source| WriteError::Hsds { name: name.to_owned(), source })
    }

    /// Checks an HSDS file as [`Self::replace_with_hsds`] would, against the store, without
    /// writing anything.
    pub fn check_hsds(&self, name: &str, body: &[u8], graph: &NamedNode) -> Result<hsds::Mapped, WriteError> {
        let mapped = self.parse_hsds(name, body, graph)?;
        let graphs = [(graph.clone().into(), mapped.quads)];
        self.validate(&graphs)?;
        let [(_, quads)] = graphs;
        Ok(hsds::Mapped { quads, ..mapped })
    }

    /// Replaces `graph` with an HSDS import, after validation.
    pub fn replace_with_hsds(
        &self,
        name: &str,
        body: &[u8],
        graph: &NamedNode,
        provenance: &Provenance,
    ) -> Result<WriteReport, WriteError> {
        let started = Instant::now();
        let mapped = self.parse_hsds(name, body, graph)?;
        let parse_ms = elapsed_ms(started);
        let mut report = self.replace_graph(&graph.clone().into(), mapped.quads, provenance)?;
        report.phases.parse_ms = parse_ms;
        Ok(WriteReport {
            services: Some(mapped.services),
            organizations: Some(mapped.organizations),
            warnings: mapped.warnings,
            ..report
        })
    }

    /// Replaces `graph` with `quads` (which must all be in `graph`), after validation. The store
    /// writes only what changes.
    pub fn replace_graph(&self, graph: &GraphName, quads: Vec<Quad>, provenance: &Provenance) -> Result<WriteReport, WriteError> {
        let started = Instant::now();
        let graphs = [(graph.clone(), quads)];
        self.validate(&graphs)?;
        let validate_ms = elapsed_ms(started);
        let [(_, quads)] = graphs;
        let store = self.store.replace_graph(graph, &quads, &provenance.quads(graph))?;
        tracing::info!(
            graph = graph_label(graph),
            triples = quads.len(),
            added = store.added,
            removed = store.removed,
            "write: store committed"
        );
        let mut report = WriteReport::new(vec![graph_label(graph)], quads.len());
        report.phases = Phases { validate_ms, store, ..Phases::default() };
        Ok(report)
    }

    /// Adds `quads` to what `graph` holds (Graph Store POST): validates the resources they are
    /// about, with all the graph says about them, and writes only the statements it lacks.
    pub fn add_to_graph(&self, graph: &GraphName, quads: Vec<Quad>, provenance: &Provenance) -> Result<WriteReport, WriteError> {
        let started = Instant::now();
        let described = self.described_with(graph, &quads)?;
        let graphs = [(graph.clone(), described)];
        self.validate(&graphs)?;
        let validate_ms = elapsed_ms(started);
        let store = self.store.add_to_graph(graph, &quads, &provenance.quads(graph))?;
        tracing::info!(graph = graph_label(graph), added = store.added, "write: store committed");
        let mut report = WriteReport::new(vec![graph_label(graph)], store.added);
        report.phases = Phases { validate_ms, store, ..Phases::default() };
        Ok(report)
    }

    /// `quads` with what `graph` says about their subjects and the blank nodes those statements
    /// reach: the part of the graph after an addition that the addition can change the validity of.
    fn described_with(&self, graph: &GraphName, quads: &[Quad]) -> Result<Vec<Quad>, WriteError> {
        let view = self.store.view()?;
        let mut described: HashSet<Quad> = quads.iter().cloned().collect();
        let mut pending: Vec<NamedOrBlankNode> = quads.iter().map(|quad| quad.subject.clone()).collect();
        let mut seen: HashSet<NamedOrBlankNode> = HashSet::new();
        while let Some(subject) = pending.pop() {
            if !seen.insert(subject.clone()) {
                continue;
            }
            for quad in view.quads_for_pattern(Some(subject.as_ref()), None, None, Some(graph.as_ref())) {
                let quad = quad?;
                if let Term::BlankNode(node) = &quad.object {
                    pending.push(node.clone().into());
                }
                described.insert(quad);
            }
        }
        Ok(described.into_iter().collect())
    }

    /// Whether the store holds the named graph `graph`.
    pub fn holds_graph(&self, graph: &NamedNode) -> Result<bool, WriteError> {
        Ok(self.store.view()?.contains_named_graph(graph)?)
    }

    /// Removes `graph`. Returns whether it existed.
    pub fn delete_graph(&self, graph: &GraphName) -> Result<bool, WriteError> {
        let existed = self.store.remove_graph(graph)?;
        tracing::info!(graph = graph_label(graph), removed = existed, "write: store committed");
        Ok(existed)
    }

    /// Runs a SPARQL update after `authorize` accepted every graph it may write, and commits it
    /// only when what the graphs it wrote hold passes validation (the shapes, with what the store says about what it links to).
    /// `gate` stops the update, uncommitted, when it is cancelled first (deadline, client gone).
    pub fn update(
        &self,
        text: &str,
        gate: &CommitGate,
        authorize: impl Fn(&GraphTarget) -> Result<(), Refusal>,
        provenance: &Provenance,
    ) -> Result<WriteReport, WriteError> {
        crate::sparql::bounds::check(text)?;
        let update = vocab::sparql_parser().parse_update(text).map_err(|error| WriteError::UpdateSyntax(error.to_string()))?;
        let targets = written_graphs(&update)?;
        for target in &targets {
            authorize(target)?;
        }
        let graphs: Vec<GraphName> = targets.iter().map(graph_name).collect();
        let mut triples = 0;
        self.store.update_checked(
            update,
            &graphs,
            gate,
            |contents| {
                triples = contents.iter().map(|(_, quads)| quads.len()).sum();
                self.validate(contents)
            },
            |graph| provenance.quads(graph),
        )?;
        let written: Vec<String> = graphs.iter().map(graph_label).collect();
        tracing::info!(graph = written.join(" "), triples, "write: store committed");
        Ok(WriteReport::new(written, triples))
    }
}

/// The graphs an update may write. Refuses what cannot be checked up front: `LOAD` (the
/// server fetches nothing on a client's behalf), `CLEAR/DROP ALL|NAMED`, and templates with
/// a variable graph.
fn written_graphs(update: &Update) -> Result<BTreeSet<GraphTarget>, WriteError> {
    let unsupported = |message: &str| WriteError::UnsupportedUpdate(message.to_owned());
    let mut targets = BTreeSet::new();
    let from_pattern = |graph: &GraphNamePattern| match graph {
        GraphNamePattern::NamedNode(node) => Ok(GraphTarget::Named(node.as_str().to_owned())),
        GraphNamePattern::DefaultGraph => Ok(GraphTarget::Default),
        GraphNamePattern::Variable(_) => {
            Err(unsupported("een update met GRAPH ?variabele in DELETE of INSERT kan elke graaf raken; noem de graaf"))
        }
    };
    for operation in &update.operations {
        match operation {
            GraphUpdateOperation::InsertData { data } => {
                targets.extend(data.iter().map(|quad| target_of(&quad.graph_name)));
            }
            GraphUpdateOperation::DeleteData { data } => {
                targets.extend(data.iter().map(|quad| target_of(&quad.graph_name)));
            }
            GraphUpdateOperation::DeleteInsert { delete, insert, .. } => {
                for GroundQuadPattern { graph_name, .. } in delete {
                    targets.insert(from_pattern(graph_name)?);
                }
                for QuadPattern { graph_name, .. } in insert {
                    targets.insert(from_pattern(graph_name)?);
                }
            }
            GraphUpdateOperation::Load { .. } => {
                return Err(unsupported("LOAD is op deze server niet toegestaan; stuur de gegevens mee met PUT /store"));
            }
            GraphUpdateOperation::Clear { graph, .. } | GraphUpdateOperation::Drop { graph, .. } => match graph {
                spargebra::algebra::GraphTarget::NamedNode(node) => {
                    targets.insert(GraphTarget::Named(node.as_str().to_owned()));
                }
                spargebra::algebra::GraphTarget::DefaultGraph => {
                    targets.insert(GraphTarget::Default);
                }
                _ => return Err(unsupported("CLEAR/DROP ALL of NAMED raakt ook de basisgrafen; noem de graaf")),
            },
            GraphUpdateOperation::Create { graph, .. } => {
                targets.insert(GraphTarget::Named(graph.as_str().to_owned()));
            }
        }
    }
    Ok(targets)
}

fn target_of(graph: &spargebra::term::GraphName) -> GraphTarget {
    match graph {
        spargebra::term::GraphName::NamedNode(node) => GraphTarget::Named(node.as_str().to_owned()),
        spargebra::term::GraphName::DefaultGraph => GraphTarget::Default,
    }
}

fn graph_name(target: &GraphTarget) -> GraphName {
    match target {
        GraphTarget::Named(iri) => GraphName::NamedNode(NamedNode::new_unchecked(iri)),
        GraphTarget::Default => GraphName::DefaultGraph,
    }
}

fn graph_label(graph: &GraphName) -> String {
    match graph {
        GraphName::NamedNode(node) => node.as_str().to_owned(),
        _ => "default".to_owned(),
    }
}

impl Provenance {
    /// `<graph> prov:wasGeneratedBy <activity>` and the activity: who, when, what, from what
    /// file, in the meta graph.
    pub fn quads(&self, graph: &GraphName) -> Vec<Quad> {
        let meta = GraphName::from(vocab::META_GRAPH);
        let subject = match graph {
            GraphName::NamedNode(node) => node.clone(),
            _ => vocab::DEFAULT_GRAPH_NODE.into_owned(),
        };
        let now = oxsdatatypes::DateTime::now();
        let activity = BlankNode::default();
        let agent = NamedNode::new_unchecked(format!("{}schrijver/{}", vocab::ID, slug(&self.agent)));
        let mut quads = vec![
            Quad::new(subject, prov::WAS_GENERATED_BY, activity.clone(), meta.clone()),
            Quad::new(activity.clone(), rdf::TYPE, prov::ACTIVITY, meta.clone()),
            Quad::new(activity.clone(), prov::ENDED_AT_TIME, Literal::from(now), meta.clone()),
            Quad::new(activity.clone(), prov::WAS_ASSOCIATED_WITH, agent.clone(), meta.clone()),
            Quad::new(
                activity.clone(),
                oxigraph::model::vocab::rdfs::LABEL,
                Literal::new_language_tagged_literal_unchecked(&self.action, "nl"),
                meta.clone(),
            ),
            Quad::new(agent.clone(), rdf::TYPE, prov::AGENT, meta.clone()),
            Quad::new(agent, oxigraph::model::vocab::rdfs::LABEL, Literal::new_simple_literal(&self.agent), meta.clone()),
        ];
        if let Some(file) = &self.file {
            let entity = BlankNode::default();
            quads.push(Quad::new(activity, prov::USED, entity.clone(), meta.clone()));
            quads.push(Quad::new(entity.clone(), rdf::TYPE, prov::ENTITY, meta.clone()));
            quads.push(Quad::new(entity, oxigraph::model::vocab::rdfs::LABEL, Literal::new_simple_literal(file), meta));
        }
        quads
    }
}

/// A name as a path segment: lower case, `[a-z0-9-]` only.
fn slug(name: &str) -> String {
    name.chars().map(|character| if character.is_ascii_alphanumeric() { character.to_ascii_lowercase() } else { '-' }).collect()
}
