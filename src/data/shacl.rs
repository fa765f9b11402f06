//! SHACL validation of graph data with rudof's native `shacl_validation` engine. Turns its
//! report into violations that name the focus node, the path and a message for people.

use std::collections::HashMap;
use std::io::Cursor;

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, Quad, Term};
use rudof_rdf::rdf_core::RDFFormat;
use rudof_rdf::rdf_impl::InMemoryGraph;
use shacl_validation::shacl_processor::{GraphValidation, ShaclProcessor, ShaclValidationMode};
use shacl_validation::store::{Graph, ShaclDataManager};

use crate::rdf::files;
use crate::rdf::vocab::sh;

#[derive(Debug, thiserror::Error)]
pub enum ShaclError {
    #[error("the SHACL shapes cannot be read: {0}")]
    Shapes(String),
    #[error("the data cannot be prepared for validation: {0}")]
    Data(String),
    #[error("validation failed: {0}")]
    Validation(String),
}

/// One result of a SHACL validation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    pub focus_node: String,
    pub path: Option<String>,
    pub value: Option<String>,
    pub message: String,
    pub severity: String,
}

/// The shapes graph, compiled once and reused for any number of validations.
pub struct Shapes {
    compiled: shacl_ir::compiled::schema_ir::SchemaIR,
    messages: HashMap<String, String>,
}

impl Shapes {
    pub fn from_turtle(turtle: &[u8]) -> Result<Self, ShaclError> {
        let compiled = ShaclDataManager::load(&mut Cursor::new(turtle), "shapes", RDFFormat::Turtle, None)
            .map_err(|error| ShaclError::Shapes(error.to_string()))?;
        let messages = dutch_messages(turtle)?;
        Ok(Self { compiled, messages })
    }

    /// Validates the union of `quads` (graph names are ignored, as SHACL validates one graph).
    pub fn validate<'q>(&self, quads: impl IntoIterator<Item = &'q Quad>) -> Result<Vec<Violation>, ShaclError> {
        let mut data = InMemoryGraph::new();
        for quad in quads {
            data.add_triple_ref(quad.subject.as_ref(), quad.predicate.as_ref(), quad.object.as_ref())
                .map_err(|error| ShaclError::Data(error.to_string()))?;
        }
        let graph = Graph::from_graph(data).map_err(|error| ShaclError::Data(error.to_string()))?;
        let report = GraphValidation::from_graph(graph, ShaclValidationMode::Native)
            .validate(&self.compiled)
            .map_err(|error| ShaclError::Validation(error.to_string()))?;
        let mut violations: Vec<Violation> = report
            .results()
            .iter()
            .map(|result| {
                let reported_focus = bare(&result.focus_node().to_string());
                // rudof 0.2 reports a failed qualified value shape with the shape as focus node
                // and names the real focus node only inside its English message.
                let (focus_node, shape) = match (result.source(), result.message()) {
                    (Some(shape), _) => (reported_focus, Some(bare(&shape.to_string()))),
                    (None, Some(message)) if message.contains("Focus node: ") => {
                        (bare(message.rsplit("Focus node: ").next().unwrap_or_default()), Some(reported_focus))
                    }
                    (None, _) => (reported_focus, None),
                };
                let component = bare(&result.component().to_string());
                let component = component.rsplit(['#', '/']).next().unwrap_or_default().to_owned();
                let message = match shape.as_ref().and_then(|shape| self.messages.get(shape)) {
                    Some(message) => format!("{message} ({component})"),
                    None => result.message().map_or(component, ToOwned::to_owned),
                };
                Violation {
                    focus_node: if focus_node.starts_with("_:") { focus_node } else { format!("<{focus_node}>") },
                    path: result.path().map(ToString::to_string),
                    value: result.value().map(ToString::to_string),
                    message,
                    severity: format!("{:?}", result.severity()),
                }
            })
            .collect();
        violations.sort_by(|a, b| (&a.focus_node, &a.path, &a.message).cmp(&(&b.focus_node, &b.path, &b.message)));
        violations.dedup();
        Ok(violations)
    }
}

/// An IRI without the angle brackets some of rudof's terms print with.
fn bare(term: &str) -> String {
    term.trim().trim_start_matches('<').trim_end_matches('>').to_owned()
}

/// `sh:message` of each named shape, preferring Dutch.
fn dutch_messages(turtle: &[u8]) -> Result<HashMap<String, String>, ShaclError> {
    let quads = files::read_quads("shapes", turtle, RdfFormat::Turtle, &GraphName::DefaultGraph)
        .map_err(|error| ShaclError::Shapes(error.to_string()))?;
    let mut messages = HashMap::new();
    for quad in quads.into_iter().filter(|quad| quad.predicate == sh::MESSAGE) {
        let (oxigraph::model::NamedOrBlankNode::NamedNode(shape), Term::Literal(message)) = (&quad.subject, &quad.object) else {
            continue;
        };
        let is_dutch = message.language() == Some("nl");
        let key = shape.as_str().to_owned();
        if is_dutch || !messages.contains_key(&key) {
            messages.insert(key, message.value().to_owned());
        }
    }
    Ok(messages)
}
