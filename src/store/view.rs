//! One state of the store, read as a whole. A [`StoreView`] pins the store as it was when the
//! view was taken (a RocksDB snapshot held by a read-only Oxigraph transaction that never
//! commits): writes that commit later are invisible to it, and it blocks neither them nor other
//! readers. The live knowledge base keeps one view beside the search index and reconciler built
//! from it, so a request that reads the store and searches sees one state of both.

use std::collections::BTreeMap;
use std::io::Write;

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term};
use oxigraph::sparql::{BoundPreparedSparqlQuery, PreparedSparqlQuery, QueryResults};
use oxigraph::store::{Store, Transaction};

use super::{Row, StoreError};
use crate::rdf::vocab;

type Pinning<'store> = Transaction<'store>;

self_cell::self_cell! {
    struct Pinned {
        owner: Store,
        #[covariant]
        dependent: Pinning,
    }
}

/// The version of each graph of a store state: see [`StoreView::graph_versions`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GraphVersions(pub BTreeMap<String, String>);

impl GraphVersions {
    /// The key of `graph` in the versions: its IRI, the default graph's as
    /// [`vocab::DEFAULT_GRAPH_NODE`].
    pub fn key(graph: &GraphName) -> String {
        match graph {
            GraphName::NamedNode(node) => node.as_str().to_owned(),
            _ => vocab::DEFAULT_GRAPH_NODE.as_str().to_owned(),
        }
    }

    /// The graph a key of the versions names.
    pub fn graph(key: &str) -> GraphName {
        if key == vocab::DEFAULT_GRAPH_NODE.as_str() { GraphName::DefaultGraph } else { NamedNode::new_unchecked(key).into() }
    }

    /// The graphs whose version differs between `self` and `other`, those only one of them
    /// holds included.
    pub fn changed_since(&self, other: &GraphVersions) -> Vec<String> {
        let mut changed: Vec<String> = self
            .0
            .iter()
            .filter(|(graph, version)| other.0.get(*graph) != Some(version))
            .map(|(graph, _)| graph.clone())
            .collect();
        changed.extend(other.0.keys().filter(|graph| !self.0.contains_key(*graph)).cloned());
        changed
    }
}

/// The store as it was at one moment; see the module documentation.
pub struct StoreView {
    pinned: Pinned,
}

impl StoreView {
    pub(super) fn pin(store: Store) -> Result<Self, StoreError> {
        Ok(Self { pinned: Pinned::try_new(store, |store| store.start_transaction())? })
    }

    fn state(&self) -> &Transaction<'_> {
        self.pinned.borrow_dependent()
    }

    /// Binds a prepared SPARQL query to this state, for the query evaluation in `sparql`.
    pub(crate) fn bind(&self, query: PreparedSparqlQuery) -> BoundPreparedSparqlQuery<'_> {
        query.on_transaction(self.state())
    }

    /// Runs one of kansrijk's own SELECT queries (prefixes predeclared, default graph = union).
    /// IRIs and literals come back as their text; blank nodes and unbound values as `None`.
    pub fn select(&self, query: &str) -> Result<Vec<Row>, StoreError> {
        let failed = |error: &dyn std::fmt::Display| StoreError::Query(error.to_string());
        let mut prepared = vocab::sparql_evaluator().parse_query(query).map_err(|e| failed(&e))?;
        prepared.dataset_mut().set_default_graph_as_union();
        let QueryResults::Solutions(solutions) = self.bind(prepared).execute().map_err(|e| failed(&e))? else {
            return Err(StoreError::Query("not a SELECT query".to_owned()));
        };
        let variables = solutions.variables().to_vec();
        solutions
            .map(|solution| {
                let solution = solution.map_err(|e| failed(&e))?;
                Ok(variables
                    .iter()
                    .map(|variable| match solution.get(variable) {
                        Some(Term::NamedNode(node)) => Some(node.as_str().to_owned()),
                        Some(Term::Literal(literal)) => Some(literal.value().to_owned()),
                        _ => None,
                    })
                    .collect())
            })
            .collect()
    }

    /// The quads that match a pattern, in any graph unless `graph` is given.
    pub fn quads_for_pattern<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<oxigraph::model::TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> impl Iterator<Item = Result<Quad, StoreError>> + 'a {
        self.state().quads_for_pattern(subject, predicate, object, graph).map(|quad| quad.map_err(StoreError::from))
    }

    /// Whether the store holds `quad`.
    pub fn contains(&self, quad: &Quad) -> Result<bool, StoreError> {
        Ok(self.state().contains(quad)?)
    }

    /// Every quad of one graph.
    pub fn quads_in(&self, graph: &GraphName) -> Result<Vec<Quad>, StoreError> {
        self.quads_for_pattern(None, None, None, Some(graph.as_ref())).collect()
    }

    /// Quads of every graph except `excluded` that match the pattern.
    pub fn quads_outside(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        excluded: &[GraphName],
    ) -> Result<Vec<Quad>, StoreError> {
        let mut quads = Vec::new();
        for quad in self.quads_for_pattern(subject, predicate, None, None) {
            let quad = quad?;
            if !excluded.contains(&quad.graph_name) {
                quads.push(quad);
            }
        }
        Ok(quads)
    }

    /// Whether the store has a named graph `graph` (possibly empty).
    pub fn contains_named_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.state().contains_named_graph(graph)?)
    }

    /// Number of triples in one named graph.
    pub fn graph_len(&self, graph: &NamedNode) -> Result<usize, StoreError> {
        let mut count = 0;
        for quad in self.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref()))) {
            quad?;
            count += 1;
        }
        Ok(count)
    }

    /// The named graphs of the store.
    pub fn named_graphs(&self) -> Result<Vec<String>, StoreError> {
        self.state().named_graphs().map(|graph| Ok(graph?.to_string())).collect()
    }

    /// What the meta graph records of each graph's state, by graph IRI (the default graph as
    /// [`vocab::DEFAULT_GRAPH_NODE`]): for a base graph its content hash, for a written one the
    /// provenance activity of the write that made it so. Every way into the store records one of
    /// them (base data sync, writes, `kansrijk load`), and each write a new activity, so a graph
    /// whose version is the same in two views holds the same in both: what is built from the
    /// store (the search index) compares versions to know what it must catch up on.
    pub fn graph_versions(&self) -> Result<GraphVersions, StoreError> {
        let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for quad in self.quads_for_pattern(None, None, None, Some(vocab::META_GRAPH.into())) {
            let quad = quad?;
            let NamedOrBlankNode::NamedNode(graph) = &quad.subject else { continue };
            let mark = if quad.predicate == vocab::CONTENT_HASH {
                "content"
            } else if quad.predicate == vocab::WAS_GENERATED_BY {
                "activity"
            } else {
                continue;
            };
            versions.entry(graph.as_str().to_owned()).or_default().push(format!("{mark} {}", quad.object));
        }
        Ok(GraphVersions(
            versions
                .into_iter()
                .map(|(graph, mut marks)| {
                    marks.sort();
                    (graph, marks.join(" "))
                })
                .collect(),
        ))
    }

    /// Number of quads in all graphs.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.state().len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.state().is_empty()?)
    }

    /// Writes every quad in a dataset format (N-Quads or TriG), or every triple of every graph
    /// in a graph format (Turtle, N-Triples).
    pub fn dump(&self, format: RdfFormat, writer: impl Write) -> Result<(), StoreError> {
        let mut writer = vocab::rdf_serializer(format).for_writer(writer);
        let keep_graphs = format.supports_datasets();
        for quad in self.quads_for_pattern(None, None, None, None) {
            let quad = quad?;
            let written = if keep_graphs { writer.serialize_quad(&quad) } else { writer.serialize_triple(quad.as_ref()) };
            written.map_err(|source| StoreError::Write { path: "-".into(), source })?;
        }
        writer.finish().map_err(|source| StoreError::Write { path: "-".into(), source })?;
        Ok(())
    }
}
