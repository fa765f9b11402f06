//! Writes to the store by integrators: graph replacement (imports, Graph Store PUT/POST),
//! graph removal and SPARQL updates. Every write is validated against the SHACL shapes
//! before it commits, together with what the rest of the store says about the resources it
//! touches, and records its provenance (who, when, from what) in the meta graph. The store
//! commits atomically; keeping the search index in step is the caller's job (`live`). A write
//! is held to the [`limits`] of size, and may add statements only about resources that no other
//! graph describes.

pub mod limits;
pub mod tokens;

use std::collections::{BTreeSet, HashSet};

use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use spargebra::term::{GraphNamePattern, GroundQuadPattern, QuadPattern};
use spargebra::{GraphUpdateOperation, Update};

use crate::data;
use crate::data::shacl::{ShaclError, Shapes, Violation};
use crate::import::hsds::{self, HsdsError, StoreResolver};
use crate::rdf::files::{self, RdfFileError};
use crate::rdf::vocab::{self, prov};
use crate::store::{CommitGate, KnowledgeStore, StoreError, StoreView};
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
}

impl WriteReport {
    fn new(graphs: Vec<String>, triples: usize) -> Self {
        Self { graphs, triples, services: None, organizations: None, warnings: Vec::new() }
    }
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
        for quad in files::quads(name, body, format, graph)? {
            let quad = quad?;
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
        let mapped = self.parse_hsds(name, body, graph)?;
        let report = self.replace_graph(&graph.clone().into(), mapped.quads, provenance)?;
        Ok(WriteReport {
            services: Some(mapped.services),
            organizations: Some(mapped.organizations),
            warnings: mapped.warnings,
            ..report
        })
    }

    /// Replaces `graph` with `quads` (which must all be in `graph`), after validation.
    pub fn replace_graph(&self, graph: &GraphName, quads: Vec<Quad>, provenance: &Provenance) -> Result<WriteReport, WriteError> {
        let graphs = [(graph.clone(), quads)];
        self.validate(&graphs)?;
        let [(_, quads)] = graphs;
        self.store.replace_graph(graph, &quads, &provenance.quads(graph))?;
        tracing::info!(graph = graph_label(graph), triples = quads.len(), "write: store committed");
        Ok(WriteReport::new(vec![graph_label(graph)], quads.len()))
    }

    /// Adds `quads` to what `graph` holds (Graph Store POST), after validation of the result.
    pub fn add_to_graph(&self, graph: &GraphName, quads: Vec<Quad>, provenance: &Provenance) -> Result<WriteReport, WriteError> {
        let mut merged = self.store.view()?.quads_in(graph)?;
        let added = quads.len();
        let mut seen: HashSet<Quad> = merged.iter().cloned().collect();
        merged.extend(quads.into_iter().filter(|quad| seen.insert(quad.clone())));
        let graphs = [(graph.clone(), merged)];
        self.validate(&graphs)?;
        let [(_, merged)] = graphs;
        self.store.replace_graph(graph, &merged, &provenance.quads(graph))?;
        tracing::info!(graph = graph_label(graph), triples = merged.len(), added, "write: store committed");
        Ok(WriteReport::new(vec![graph_label(graph)], added))
    }

    /// Removes `graph`. Returns whether it existed.
    /// Whether the store holds the named graph `graph`.
    pub fn holds_graph(&self, graph: &NamedNode) -> Result<bool, WriteError> {
        Ok(self.store.view()?.contains_named_graph(graph)?)
    }

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

    /// Checks the new content of `graphs`: its [`limits`], that it adds nothing about resources
    /// that other graphs describe, and its validity together with what the other graphs say about
    /// the resources it describes and the types of what it links to; reports the violations of
    /// the resources it describes.
    fn validate(&self, graphs: &[(GraphName, Vec<Quad>)]) -> Result<(), WriteError> {
        Limits::check_all(graphs.iter().flat_map(|(_, quads)| quads))?;
        let view = self.store.view()?;
        let excluded: Vec<GraphName> = graphs.iter().map(|(graph, _)| graph.clone()).collect();
        let mut data: Vec<Quad> = graphs.iter().flat_map(|(_, quads)| quads.iter().cloned()).collect();
        let subjects: HashSet<NamedOrBlankNode> = data.iter().map(|quad| quad.subject.clone()).collect();
        for subject in &subjects {
            if let NamedOrBlankNode::NamedNode(node) = subject {
                let described = view.quads_outside(Some(node.into()), None, &excluded)?;
                Self::refuse_additions_to_others(&view, node, &described, graphs)?;
                data.extend(described);
            }
        }
        let linked: BTreeSet<NamedNode> = data
            .iter()
            .filter_map(|quad| match &quad.object {
                Term::NamedNode(node) if !subjects.contains(&NamedOrBlankNode::NamedNode(node.clone())) => Some(node.clone()),
                _ => None,
            })
            .collect();
        for node in &linked {
            data.extend(view.quads_outside(Some(node.into()), Some(rdf::TYPE), &excluded)?);
        }
        let written: BTreeSet<String> = subjects
            .iter()
            .filter_map(|subject| match subject {
                NamedOrBlankNode::NamedNode(node) => Some(format!("<{}>", node.as_str())),
                _ => None,
            })
            .collect();
        let violations: Vec<Violation> = self
            .shapes
            .validate(&data)?
            .into_iter()
            .filter(|violation| violation.focus_node.starts_with("_:") || written.contains(&violation.focus_node))
            .collect();
        if violations.is_empty() { Ok(()) } else { Err(WriteError::Invalid(violations)) }
    }

    /// Refuses a write that adds statements about `subject` when another graph describes it
    /// (`described`: what the graphs outside the write say about it). Every resource is described
    /// by one graph, and the others link to it: so no one adds to what kansrijk's base graphs say
    /// about their themes, municipalities and sources, and no token adds to another token's
    /// resources. A token without graph limits may write the graph that describes a resource, and
    /// adds to it there. Statements the written graph already held stay allowed, and the meta
    /// graph's provenance of a written graph does not make that graph's own IRI another's resource.
    fn refuse_additions_to_others(
        view: &StoreView,
        subject: &NamedNode,
        described: &[Quad],
        graphs: &[(GraphName, Vec<Quad>)],
    ) -> Result<(), WriteError> {
        let is_own_provenance = |graph: &GraphName| {
            *graph == GraphName::from(vocab::META_GRAPH)
                && graphs.iter().any(|(written, _)| matches!(written, GraphName::NamedNode(node) if node == subject))
        };
        let Some(owner) = described.iter().map(|quad| &quad.graph_name).find(|graph| !is_own_provenance(graph)) else {
            return Ok(());
        };
        for (graph, quads) in graphs {
            let held: HashSet<Quad> =
                view.quads_for_pattern(Some(subject.into()), None, None, Some(graph.as_ref())).collect::<Result<_, _>>()?;
            let about_subject = |quad: &&Quad| matches!(&quad.subject, NamedOrBlankNode::NamedNode(node) if node == subject);
            if quads.iter().filter(about_subject).any(|quad| !held.contains(quad)) {
                let (subject, graph) = (subject.as_str().to_owned(), graph_label(owner));
                return Err(if data::is_read_only_graph(&graph) {
                    WriteError::BaseResource { subject, graph }
                } else {
                    WriteError::DescribedElsewhere { subject, graph }
                });
            }
        }
        Ok(())
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
