//! Reading RDF files: picking the format from the file name and turning parse errors into
//! `file:line:column: message`, the form editors and terminals understand.

use std::fmt;
use std::io::Read;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, Quad};

/// A problem in an RDF file, located as precisely as the parser allows.
#[derive(Debug, thiserror::Error)]
pub enum RdfFileError {
    #[error("{file}: cannot tell the RDF format from the file name (use .ttl, .trig, .nt, .nq, .rdf or .jsonld, or give --format)")]
    UnknownFormat { file: String },
    #[error("{file}:{position}: {message}")]
    Syntax { file: String, position: Position, message: String },
    #[error("{file}: {message}")]
    SyntaxWithoutPosition { file: String, message: String },
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
}

/// A 1-based line and column in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The RDF format of `path`, from its extension.
pub fn format_of(path: &Path) -> Result<RdfFormat, RdfFileError> {
    path.extension()
        .and_then(|extension| extension.to_str())
        .and_then(RdfFormat::from_extension)
        .ok_or_else(|| RdfFileError::UnknownFormat { file: path.display().to_string() })
}

/// A parser for `format` that puts triples into `graph` and keeps blank nodes of
/// different files apart.
pub fn parser(format: RdfFormat, graph: &GraphName) -> RdfParser {
    let parser = RdfParser::from_format(format).rename_blank_nodes();
    match graph {
        GraphName::DefaultGraph => parser,
        GraphName::NamedNode(node) => parser.with_default_graph(node.clone()),
        GraphName::BlankNode(node) => parser.with_default_graph(node.clone()),
    }
}

/// Turns a parser error into an error that names the file and position.
pub fn located(file: &str, error: RdfParseError) -> RdfFileError {
    match error {
        RdfParseError::Io(source) => RdfFileError::Io { file: file.to_owned(), source },
        RdfParseError::Syntax(syntax) => {
            let text = syntax.to_string();
            match syntax.location() {
                Some(range) => RdfFileError::Syntax {
                    file: file.to_owned(),
                    position: Position { line: range.start.line + 1, column: range.start.column + 1 },
                    // The parser repeats the position in its own words before the first ": ".
                    message: match text.split_once(": ") {
                        Some((prefix, message)) if prefix.starts_with("Parser error") => message.to_owned(),
                        _ => text,
                    },
                },
                None => RdfFileError::SyntaxWithoutPosition { file: file.to_owned(), message: text },
            }
        }
    }
}

/// Parses a whole RDF document into quads; the first error stops parsing.
pub fn read_quads(
    file: &str,
    reader: impl Read,
    format: RdfFormat,
    graph: &GraphName,
) -> Result<Vec<Quad>, RdfFileError> {
    parser(format, graph)
        .for_reader(reader)
        .map(|quad| quad.map_err(|error| located(file, error)))
        .collect()
}
