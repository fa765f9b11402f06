//! How much one write may hold: the length of a literal and of a name (IRI, blank node, language
//! tag), the nesting of triple terms (as the RDF parsers allow it), the items of RDF lists and the
//! statements in all. Every write
//! path (RDF of every format, HSDS, SPARQL Update) is held to the same limits, so that no write can
//! take the server's memory or run into an internal limit of a parser (which would answer 500).

use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term};

use crate::rdf::files::MAX_TRIPLE_TERM_DEPTH;

/// Longest literal, in bytes. The longest texts in kansrijk's data (descriptions of offers) are a
/// few kilobytes; 1 MiB leaves room for any real text and stays far below the 16 MiB that one term
/// may have in the N-Triples parser the SHACL validation reads the data with.
pub const MAX_LITERAL_BYTES: usize = 1024 * 1024;

/// Longest IRI, blank node label or language tag, in bytes. Names of resources are at most a few
/// hundred bytes; 64 KiB is more than any web address (browsers and servers stop far below it).
pub const MAX_NAME_BYTES: usize = 64 * 1024;

/// Items in RDF lists (`rdf:first` statements) in one write. kansrijk's shapes use no lists, and
/// every item costs two statements however short the text: a 500,000-item Turtle collection of
/// under 3 MB is a million statements (64 s and 2 GB). 10,000 items cost well under a second.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// Statements in one write (the new content of the graphs it writes). A write costs memory and
/// time per statement (about 3 KB and 70 µs while it is validated and committed); the largest real
/// social maps (100,000 services) are about 900,000 statements, so two million leave room for twice
/// that, while a 64 MB body of the shortest statements (three million) is refused.
pub const MAX_STATEMENTS: usize = 2_000_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LimitError {
    #[error(
        "de waarde van {subject} <{predicate}> is {bytes} bytes lang; een letterlijke waarde mag hoogstens \
         {} bytes (1 MiB) zijn",
        MAX_LITERAL_BYTES
    )]
    Literal { subject: String, predicate: String, bytes: usize },
    #[error(
        "een naam van {bytes} bytes (`{start}…`) is te lang; een IRI, blanke knoop of taallabel mag hoogstens \
         {} bytes (64 KiB) zijn",
        MAX_NAME_BYTES
    )]
    Name { start: String, bytes: usize },
    #[error(
        "de gegevens hebben meer dan {} elementen in RDF-lijsten (rdf:first); dat is het maximum voor één \
         schrijfactie",
        MAX_LIST_ITEMS
    )]
    ListItems,
    #[error(
        "de gegevens hebben meer dan {} uitspraken; dat is het maximum voor één schrijfactie, verdeel ze over \
         meer grafen",
        MAX_STATEMENTS
    )]
    Statements,
    #[error("een triple term is dieper dan {} niveaus in andere genest", MAX_TRIPLE_TERM_DEPTH)]
    TripleTermDepth,
}

impl LimitError {
    /// Whether the write is refused for its size (413) rather than for its shape (400).
    pub fn is_size(&self) -> bool {
        !matches!(self, Self::TripleTermDepth)
    }
}

/// Counts what a write holds, one statement at a time, and refuses it at the first limit it passes.
#[derive(Debug, Default)]
pub struct Limits {
    statements: usize,
    list_items: usize,
}

impl Limits {
    /// Checks every statement of a write.
    pub fn check_all<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Result<(), LimitError> {
        let mut limits = Self::default();
        quads.into_iter().try_for_each(|quad| limits.check(quad))
    }

    /// Checks one more statement.
    pub fn check(&mut self, quad: &Quad) -> Result<(), LimitError> {
        self.statements += 1;
        if self.statements > MAX_STATEMENTS {
            return Err(LimitError::Statements);
        }
        if quad.predicate == rdf::FIRST {
            self.list_items += 1;
            if self.list_items > MAX_LIST_ITEMS {
                return Err(LimitError::ListItems);
            }
        }
        if let GraphName::NamedNode(graph) = &quad.graph_name {
            name(graph.as_str())?;
        }
        let (mut subject, mut predicate, mut object) = (&quad.subject, &quad.predicate, &quad.object);
        let mut depth = 0;
        loop {
            name(subject_name(subject))?;
            name(predicate.as_str())?;
            match object {
                Term::NamedNode(node) => return name(node.as_str()),
                Term::BlankNode(node) => return name(node.as_str()),
                Term::Literal(literal) => return checked_literal(literal, subject, predicate.as_str()),
                Term::Triple(triple) => {
                    depth += 1;
                    if depth > MAX_TRIPLE_TERM_DEPTH {
                        return Err(LimitError::TripleTermDepth);
                    }
                    (subject, predicate, object) = (&triple.subject, &triple.predicate, &triple.object);
                }
            }
        }
    }
}

fn subject_name(subject: &NamedOrBlankNode) -> &str {
    match subject {
        NamedOrBlankNode::NamedNode(node) => node.as_str(),
        NamedOrBlankNode::BlankNode(node) => node.as_str(),
    }
}

fn checked_literal(literal: &Literal, subject: &NamedOrBlankNode, predicate: &str) -> Result<(), LimitError> {
    name(literal.datatype().as_str())?;
    if let Some(language) = literal.language() {
        name(language)?;
    }
    let bytes = literal.value().len();
    if bytes > MAX_LITERAL_BYTES {
        return Err(LimitError::Literal { subject: subject.to_string(), predicate: predicate.to_owned(), bytes });
    }
    Ok(())
}

fn name(text: &str) -> Result<(), LimitError> {
    if text.len() <= MAX_NAME_BYTES {
        return Ok(());
    }
    let start: String = text.chars().take(60).collect();
    Err(LimitError::Name { start, bytes: text.len() })
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{BlankNode, NamedNode, Triple};

    use super::*;

    fn quad(object: impl Into<Term>) -> Quad {
        Quad::new(NamedNode::new_unchecked("https://example.org/s"), rdf::VALUE, object, GraphName::DefaultGraph)
    }

    #[test]
    fn literals_names_and_triple_terms_are_bounded() {
        assert!(Limits::check_all(&[quad(Literal::new_simple_literal("a".repeat(MAX_LITERAL_BYTES)))]).is_ok());
        let long = Literal::new_simple_literal("a".repeat(MAX_LITERAL_BYTES + 1));
        assert!(matches!(Limits::check_all(&[quad(long)]), Err(LimitError::Literal { bytes, .. })
                if bytes == MAX_LITERAL_BYTES + 1));
        let iri = NamedNode::new_unchecked(format!("https://example.org/{}", "a".repeat(MAX_NAME_BYTES)));
        assert!(matches!(Limits::check_all(&[quad(iri)]), Err(LimitError::Name { .. })));
        let mut term = Term::from(BlankNode::default());
        for _ in 0..MAX_TRIPLE_TERM_DEPTH {
            term = Triple::new(NamedNode::new_unchecked("https://example.org/a"), rdf::VALUE, term).into();
        }
        assert!(Limits::check_all(&[quad(term.clone())]).is_ok());
        let deeper = Triple::new(NamedNode::new_unchecked("https://example.org/a"), rdf::VALUE, term);
        assert_eq!(Limits::check_all(&[quad(deeper)]), Err(LimitError::TripleTermDepth));
    }

    #[test]
    fn list_items_are_counted_over_the_whole_write() {
        let item = Quad::new(BlankNode::default(), rdf::FIRST, Literal::from(1), GraphName::DefaultGraph);
        let items = vec![item; MAX_LIST_ITEMS + 1];
        assert!(Limits::check_all(&items[1..]).is_ok());
        assert_eq!(Limits::check_all(&items), Err(LimitError::ListItems));
    }
}
