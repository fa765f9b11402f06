//! Validation of what a write would leave in the graphs it writes: its [`limits`](super::limits),
//! that it adds nothing about resources other graphs describe, and the SHACL shapes, checked for
//! each resource it describes together with what the other graphs say about it and the types of
//! what it links to. Resources are validated in chunks on every core: each chunk's graph is
//! small (SHACL lookups stay cheap), and only a few chunks are held at a time.

use std::collections::{HashMap, HashSet};
use std::num::NonZero;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, sync_channel};

use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};

use super::limits::Limits;
use super::{WriteError, Writes, graph_label};
use crate::data;
use crate::data::shacl::{ShaclError, Shapes, Violation};
use crate::rdf::vocab;
use crate::store::{Phase, Progress, StoreView};

/// How many described resources (with their blank nodes) one SHACL validation takes.
const RESOURCES_PER_CHUNK: usize = 1_000;

/// The quads of the resources one validation takes, and those resources as violations name them.
struct Chunk {
    data: Vec<Quad>,
    focus: HashSet<String>,
    /// How many of the written quads it holds.
    written: usize,
}

/// The written quads by subject, and the resources validation starts from: every named subject,
/// and the blank nodes no named subject reaches.
struct Written<'g> {
    by_subject: HashMap<&'g NamedOrBlankNode, Vec<&'g Quad>>,
    roots: Vec<&'g NamedOrBlankNode>,
}

impl<'g> Written<'g> {
    fn new(graphs: &'g [(GraphName, Vec<Quad>)]) -> Self {
        let mut by_subject: HashMap<&NamedOrBlankNode, Vec<&Quad>> = HashMap::new();
        let mut subjects = Vec::new();
        for quad in graphs.iter().flat_map(|(_, quads)| quads) {
            let statements = by_subject.entry(&quad.subject).or_default();
            if statements.is_empty() {
                subjects.push(&quad.subject);
            }
            statements.push(quad);
        }
        let (mut roots, blank): (Vec<&NamedOrBlankNode>, Vec<&NamedOrBlankNode>) =
            subjects.into_iter().partition(|subject| matches!(subject, NamedOrBlankNode::NamedNode(_)));
        let mut reached = HashSet::new();
        for root in &roots {
            Self::closure(&by_subject, root, &mut reached, |_| {});
        }
        roots.extend(blank.into_iter().filter(|subject| !reached.contains(subject)));
        Self { by_subject, roots }
    }

    /// Visits the quads of `root` and of the blank nodes they reach, each subject once.
    fn closure(
        by_subject: &HashMap<&'g NamedOrBlankNode, Vec<&'g Quad>>,
        root: &'g NamedOrBlankNode,
        reached: &mut HashSet<&'g NamedOrBlankNode>,
        mut visit: impl FnMut(&'g Quad),
    ) {
        let mut pending = vec![root];
        while let Some(subject) = pending.pop() {
            if !reached.insert(subject) {
                continue;
            }
            for quad in by_subject.get(subject).into_iter().flatten() {
                visit(quad);
                if let Term::BlankNode(node) = &quad.object
                    && let Some((key, _)) = by_subject.get_key_value(&NamedOrBlankNode::BlankNode(node.clone()))
                {
                    pending.push(key);
                }
            }
        }
    }

    /// The type statements the write makes about `node`.
    fn types_of(&self, node: &NamedNode) -> impl Iterator<Item = &'g Quad> {
        self.by_subject
            .get(&NamedOrBlankNode::NamedNode(node.clone()))
            .into_iter()
            .flatten()
            .copied()
            .filter(|quad| quad.predicate == rdf::TYPE)
    }
}

impl Writes {
    /// Checks the new content of `graphs` (see the module documentation); reports the
    /// violations of the resources it describes.
    pub(super) fn validate(&self, graphs: &[(GraphName, Vec<Quad>)]) -> Result<(), WriteError> {
        Limits::check_all(graphs.iter().flat_map(|(_, quads)| quads))?;
        let view = self.store.view()?;
        let written = Written::new(graphs);
        let progress = self.store.progress();
        progress.start(Phase::Validating, graphs.iter().map(|(_, quads)| quads.len() as u64).sum());
        let workers = std::thread::available_parallelism().map_or(1, NonZero::get);
        let (sender, receiver) = sync_channel::<Chunk>(workers);
        let receiver = Mutex::new(receiver);
        let (produced, validated) = std::thread::scope(|scope| {
            let validators: Vec<_> =
                (0..workers).map(|_| scope.spawn(|| validate_chunks(&self.shapes, &receiver, progress))).collect();
            let mut chunks = Chunks { view: &view, written: &written, graphs, outside_types: HashMap::new() };
            let produced = written.roots.chunks(RESOURCES_PER_CHUNK).try_for_each(|roots| {
                let chunk = chunks.take(roots)?;
                // The validators stop receiving only once this sender is gone.
                sender.send(chunk).ok();
                Ok::<_, WriteError>(())
            });
            drop(sender);
            let validated: Vec<Result<Vec<Violation>, ShaclError>> = validators
                .into_iter()
                .map(|validator| validator.join().unwrap_or_else(|_| Err(ShaclError::Validation("a validator stopped".into()))))
                .collect();
            (produced, validated)
        });
        produced?;
        let mut violations = Vec::new();
        for found in validated {
            violations.extend(found?);
        }
        violations.sort_by(|a, b| (&a.focus_node, &a.path, &a.message).cmp(&(&b.focus_node, &b.path, &b.message)));
        violations.dedup();
        if violations.is_empty() { Ok(()) } else { Err(WriteError::Invalid(violations)) }
    }

    /// Refuses a write that adds statements about `subject` when another graph describes it
    /// (`described`: what the graphs outside the write say about it). Every resource is described
    /// by one graph, and the others link to it: so no one adds to what kansrijk's base graphs say
    /// about their themes, municipalities and sources, and no token adds to another token's
    /// resources. A token without graph limits may write the graph that describes a resource, and
    /// adds to it there. Statements the written graph already held stay allowed, and the meta
    /// graph's provenance of a written graph does not make that graph's own IRI another's resource.
    pub(super) fn refuse_additions_to_others(
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

/// Validates chunks until the channel closes; after a failure it only drains the channel.
fn validate_chunks(
    shapes: &Shapes,
    receiver: &Mutex<Receiver<Chunk>>,
    progress: &Progress,
) -> Result<Vec<Violation>, ShaclError> {
    let mut found = Vec::new();
    let mut failure = None;
    loop {
        let next = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => break,
        };
        let Ok(chunk) = next else { break };
        if failure.is_some() {
            continue;
        }
        match catch_unwind(AssertUnwindSafe(|| shapes.validate(&chunk.data))) {
            Ok(Ok(violations)) => found.extend(
                violations
                    .into_iter()
                    .filter(|violation| violation.focus_node.starts_with("_:") || chunk.focus.contains(&violation.focus_node)),
            ),
            Ok(Err(error)) => failure = Some(error),
            Err(_) => failure = Some(ShaclError::Validation("the validator stopped on this data".into())),
        }
        progress.advance(chunk.written as u64);
    }
    failure.map_or(Ok(found), Err)
}

/// Assembles the chunks of a validation from the written quads and the store.
struct Chunks<'a, 'g> {
    view: &'a StoreView,
    written: &'a Written<'g>,
    graphs: &'g [(GraphName, Vec<Quad>)],
    /// What the other graphs type each linked resource as, read once.
    outside_types: HashMap<NamedNode, Vec<Quad>>,
}

impl Chunks<'_, '_> {
    /// The chunk of `roots`: their quads and their blank nodes', what the other graphs say about
    /// them, and the types of every resource they link to that the chunk does not describe.
    fn take(&mut self, roots: &[&NamedOrBlankNode]) -> Result<Chunk, WriteError> {
        let excluded: Vec<GraphName> = self.graphs.iter().map(|(graph, _)| graph.clone()).collect();
        let mut data: Vec<Quad> = Vec::new();
        let mut described = HashSet::new();
        let mut focus = HashSet::new();
        let mut written = 0;
        for root in roots {
            Written::closure(&self.written.by_subject, root, &mut described, |quad| {
                data.push(quad.clone());
                written += 1;
            });
            if let NamedOrBlankNode::NamedNode(node) = root {
                let outside = self.view.quads_outside(Some(node.into()), None, &excluded)?;
                Writes::refuse_additions_to_others(self.view, node, &outside, self.graphs)?;
                data.extend(outside);
                focus.insert(format!("<{}>", node.as_str()));
            }
        }
        let linked: HashSet<NamedNode> = data
            .iter()
            .filter_map(|quad| match &quad.object {
                Term::NamedNode(node) if !described.contains(&NamedOrBlankNode::NamedNode(node.clone())) => Some(node.clone()),
                _ => None,
            })
            .collect();
        for node in linked {
            data.extend(self.written.types_of(&node).cloned());
            if !self.outside_types.contains_key(&node) {
                let types = self.view.quads_outside(Some((&node).into()), Some(rdf::TYPE), &excluded)?;
                self.outside_types.insert(node.clone(), types);
            }
            data.extend(self.outside_types.get(&node).into_iter().flatten().cloned());
        }
        Ok(Chunk { data, focus, written })
    }
}
