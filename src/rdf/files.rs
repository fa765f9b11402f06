//! Reading RDF files: picking the format from the file name, turning parse errors into
//! `file:line:column: message`, the form editors and terminals understand, and refusing RDF/XML
//! whose entities would expand beyond a small bound before the parser expands them.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{GraphName, Quad};

/// A problem in an RDF file, located as precisely as the parser allows.
#[derive(Debug, thiserror::Error)]
pub enum RdfFileError {
    #[error(
        "{file}: cannot tell the RDF format from the file name (use .ttl, .trig, .nt, .nq, .rdf or .jsonld, or give --format)"
    )]
    UnknownFormat { file: String },
    #[error("{file}:{position}: {message}")]
    Syntax { file: String, position: Position, message: String },
    #[error("{file}: {message}")]
    SyntaxWithoutPosition { file: String, message: String },
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
    #[error(
        "{file}: de entiteiten (<!ENTITY>) van dit RDF/XML-document voegen uitgevouwen {added} bytes toe; \
         het maximum is {} bytes (16 MiB), dus het document is niet gelezen",
        MAX_ENTITY_EXPANSION_BYTES
    )]
    EntityExpansion { file: String, added: u64 },
    #[error("{file}: het document is {depth} niveaus diep genest; het maximum is {}", MAX_NESTING_DEPTH)]
    TooDeep { file: String, depth: usize },
    #[error("{file}: triple terms zijn {depth} niveaus diep in elkaar genest; het maximum is {}", MAX_TRIPLE_TERM_DEPTH)]
    TripleTermsTooDeep { file: String, depth: usize },
}

/// Text that the entity references of an RDF/XML document may add in all when they are expanded.
/// Exports that abbreviate namespaces with entities (`&xsd;`, `&ex;`) add a few tens of bytes per
/// use, so 16 MiB covers hundreds of thousands of uses; nested entities ("billion laughs") add
/// gigabytes from a few hundred bytes, and the RDF/XML parser expands them with no limit of its own.
pub const MAX_ENTITY_EXPANSION_BYTES: u64 = 16 * 1024 * 1024;

/// Objects and arrays nested in one another in a JSON-LD document, and elements in an RDF/XML
/// document. Real documents nest a few levels (an offer, its contact point, its address); the
/// JSON-LD parser needs memory that grows with the square of the depth (1,000 levels took 190 MB,
/// 5,000 more than 3 GB), 64 levels under a megabyte.
pub const MAX_NESTING_DEPTH: usize = 64;

/// Triple terms (RDF 1.2) nested in one another. A statement about a statement about a statement
/// is already rare. Deep nesting costs memory with the square of the depth when the data is
/// validated (3,000 levels: 1.4 GB), and from about 10,000 levels (half a megabyte of Turtle)
/// overflows the stack, which aborts the whole server.
pub const MAX_TRIPLE_TERM_DEPTH: usize = 8;

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
pub fn read_quads(file: &str, document: &[u8], format: RdfFormat, graph: &GraphName) -> Result<Vec<Quad>, RdfFileError> {
    quads(file, document, format, graph)?.collect()
}

/// The quads of an RDF document, one at a time, so that a caller can stop early; an RDF/XML
/// document whose entities would add more than [`MAX_ENTITY_EXPANSION_BYTES`], JSON-LD and RDF/XML
/// nested deeper than [`MAX_NESTING_DEPTH`] and Turtle, TriG, N-Triples and N-Quads with triple
/// terms nested deeper than [`MAX_TRIPLE_TERM_DEPTH`] are refused before the parser reads them.
pub fn quads<'a>(
    file: &'a str,
    document: &'a [u8],
    format: RdfFormat,
    graph: &GraphName,
) -> Result<impl Iterator<Item = Result<Quad, RdfFileError>> + 'a, RdfFileError> {
    let depth = match format {
        RdfFormat::RdfXml => {
            let added = entity_expansion(document);
            if added > MAX_ENTITY_EXPANSION_BYTES {
                return Err(RdfFileError::EntityExpansion { file: file.to_owned(), added });
            }
            xml_depth(document)
        }
        RdfFormat::JsonLd { .. } => json_depth(document),
        _ => {
            let depth = triple_term_depth(document);
            if depth > MAX_TRIPLE_TERM_DEPTH {
                return Err(RdfFileError::TripleTermsTooDeep { file: file.to_owned(), depth });
            }
            0
        }
    };
    if depth > MAX_NESTING_DEPTH {
        return Err(RdfFileError::TooDeep { file: file.to_owned(), depth });
    }
    let parsed = parser(format, graph).for_slice(document);
    Ok(parsed.map(move |quad| quad.map_err(|error| located(file, RdfParseError::Syntax(error)))))
}

/// How many bytes expanding the entities of an RDF/XML document would add, counted without
/// expanding them: every declaration with the references in its value expanded (as the parser
/// stores it), and every reference in the document. Declarations and references are read as the
/// parser (oxrdfxml with quick-xml) reads them: `<!ENTITY [%] name "value">` after any `<`, and
/// `&name;`. References in comments and CDATA count too, so this never counts less than the parser
/// expands.
fn entity_expansion(document: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(document);
    let mut lengths: HashMap<&str, u64> = HashMap::new();
    let (mut declared, mut expanded_in_declarations) = (0_u64, 0_u64);
    for (name, value) in entity_declarations(&text) {
        let (expansion, replaced) = references(value, &lengths);
        let length = (value.len() as u64 - replaced).saturating_add(expansion);
        declared = declared.saturating_add(length);
        expanded_in_declarations = expanded_in_declarations.saturating_add(expansion);
        let known = lengths.entry(name).or_default();
        *known = (*known).max(length);
    }
    // The references in the declarations were counted with the lengths known when each was read,
    // which are at most the final ones, so what remains are at least the references elsewhere.
    let elsewhere = references(&text, &lengths).0.saturating_sub(expanded_in_declarations);
    declared.saturating_add(elsewhere)
}

/// The `(name, value)` of every `<!ENTITY name "value">` in `text`.
fn entity_declarations(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split('<').skip(1).filter_map(|segment| {
        let rest = segment.strip_prefix("!ENTITY")?;
        let rest = rest.trim_start().strip_prefix('%').unwrap_or(rest);
        let (name, rest) = rest.trim_start().split_once(|c: char| c.is_ascii_whitespace())?;
        let (value, _) = rest.trim_start().strip_prefix('"')?.split_once('"')?;
        Some((name, value))
    })
}

/// What the references `&name;` in `text` to the entities in `lengths` expand to, and how many
/// bytes of `text` they replace. A reference ends at the first `;`; one that meets `&` or `<`
/// first is none.
fn references(text: &str, lengths: &HashMap<&str, u64>) -> (u64, u64) {
    let (mut expansion, mut replaced) = (0_u64, 0_u64);
    let mut name_start = None;
    for (at, byte) in text.bytes().enumerate() {
        match (byte, name_start) {
            (b'&', _) => name_start = Some(at + 1),
            (b'<', _) => name_start = None,
            (b';', Some(start)) => {
                if let Some(length) = text.get(start..at).and_then(|name| lengths.get(name)) {
                    expansion = expansion.saturating_add(*length);
                    replaced += (at - start + 2) as u64;
                }
                name_start = None;
            }
            _ => {}
        }
    }
    (expansion, replaced)
}

/// The deepest nesting of objects and arrays in a JSON document (brackets in strings not counted).
fn json_depth(document: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0_usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in document {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (true, _) => {}
            (false, b'"') => in_string = true,
            (false, b'{' | b'[') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, b'}' | b']') => depth = depth.saturating_sub(1),
            (false, _) => {}
        }
    }
    deepest
}

/// The deepest nesting of elements in an XML document, read lexically: comments, CDATA,
/// processing instructions, the document type and quoted attribute values are skipped.
fn xml_depth(document: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0_usize);
    let mut at = 0;
    while let Some(offset) = document[at..].iter().position(|byte| *byte == b'<') {
        let rest = &document[at + offset..];
        let past =
            |end: &[u8]| rest.windows(end.len()).position(|window| window == end).map_or(rest.len(), |found| found + end.len());
        let length = if rest.starts_with(b"<!--") {
            past(b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            past(b"]]>")
        } else if rest.starts_with(b"<?") {
            past(b"?>")
        } else if rest.starts_with(b"<!") {
            // The document type: its internal subset `[ ... ]` holds declarations that end in `>`.
            match rest.iter().find(|byte| matches!(byte, b'>' | b'[')) {
                Some(b'[') => past(b"]"),
                _ => past(b">"),
            }
        } else {
            let (length, closes_itself) = tag_length(rest);
            if rest.starts_with(b"</") {
                depth = depth.saturating_sub(1);
            } else if !closes_itself {
                depth += 1;
                deepest = deepest.max(depth);
            }
            length
        };
        at += offset + length;
    }
    deepest
}

/// The length of the tag at the start of `text`, to its `>` outside quoted attribute values, and
/// whether it closes itself (`/>`).
fn tag_length(text: &[u8]) -> (usize, bool) {
    let mut quote = None;
    for (at, byte) in text.iter().enumerate() {
        match (quote, byte) {
            (Some(open), _) if open == *byte => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*byte),
            (None, b'>') => return (at + 1, at > 0 && text[at - 1] == b'/'),
            (None, _) => {}
        }
    }
    (text.len(), false)
}

/// The deepest nesting of triple terms (`<<( ... )>>`, `<< ... >>`) in a Turtle, TriG, N-Triples
/// or N-Quads document, read lexically: IRIs, strings and comments are skipped.
fn triple_term_depth(document: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0_usize);
    let mut at = 0;
    while let Some(&byte) = document.get(at) {
        let rest = &document[at..];
        let up_to = |end: u8| rest.iter().position(|byte| *byte == end).unwrap_or(rest.len());
        at += match (byte, rest.get(1)) {
            (b'<', Some(b'<')) => {
                depth += 1;
                deepest = deepest.max(depth);
                2
            }
            (b'>', Some(b'>')) => {
                depth = depth.saturating_sub(1);
                2
            }
            (b'<', _) => up_to(b'>') + 1,
            (b'#', _) => up_to(b'\n'),
            (b'"' | b'\'', _) => string_length(rest),
            _ => 1,
        };
    }
    deepest
}

/// The length of the Turtle string (`"..."`, `'...'` or their long forms with three quotes) at the
/// start of `text`.
fn string_length(text: &[u8]) -> usize {
    let long = [text[0]; 3];
    let delimiter: &[u8] = if text.starts_with(&long) { &long } else { &long[..1] };
    let mut at = delimiter.len();
    while at < text.len() {
        if text[at] == b'\\' {
            at += 2;
        } else if text[at..].starts_with(delimiter) {
            return at + delimiter.len();
        } else {
            at += 1;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laughs(levels: usize) -> String {
        let mut declarations = vec![r#"<!ENTITY lol0 "lol">"#.to_owned()];
        declarations
            .extend((1..=levels).map(|level| format!(r#"<!ENTITY lol{level} "{}">"#, format!("&lol{};", level - 1).repeat(10))));
        format!(
            "<?xml version=\"1.0\"?><!DOCTYPE rdf:RDF [{}]>\
             <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:s=\"http://schema.org/\">\
             <rdf:Description rdf:about=\"https://example.org/x\"><s:name>&lol{levels};</s:name>\
             </rdf:Description></rdf:RDF>",
            declarations.join("")
        )
    }

    #[test]
    fn entity_expansion_is_counted_as_the_parser_would_expand() {
        let three = laughs(3);
        let read = |document: &str, format| read_quads("x", document.as_bytes(), format, &GraphName::DefaultGraph);
        let quads = read(&three, RdfFormat::RdfXml).expect("small enough");
        let oxigraph::model::Term::Literal(name) = &quads[0].object else { panic!("{quads:?}") };
        assert_eq!(name.value().len(), 3000);
        // lol0 to lol3 hold 3 + 30 + 300 + 3000 bytes, and the one reference adds lol3 again.
        assert_eq!(entity_expansion(three.as_bytes()), 3 + 30 + 300 + 3000 + 3000);
        let namespaces = r#"<!DOCTYPE rdf:RDF [<!ENTITY % xsd "http://www.w3.org/2001/XMLSchema#">]> &xsd;a &xsd;b &amp; &xsd"#;
        assert_eq!(entity_expansion(namespaces.as_bytes()), 33 * 3);
        let nine = laughs(9);
        let error = read(&nine, RdfFormat::RdfXml).expect_err("a bomb");
        assert!(matches!(error, RdfFileError::EntityExpansion { added, .. } if added > 3_000_000_000), "{error}");
    }

    #[test]
    fn xml_depth_counts_elements_only() {
        let document = br#"<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY a "<b>">]><!-- <c> --><rdf:RDF a='>'>
            <rdf:Description rdf:about="x"><s:p><![CDATA[<d>]]></s:p><s:q/></rdf:Description></rdf:RDF>"#;
        assert_eq!(xml_depth(document), 3);
    }

    #[test]
    fn triple_term_depth_skips_iris_strings_and_comments() {
        let document = br#"# <<<<
            <s> <p> <<( <a> <b> <<( <c> <d> "<<\"" )>> )>> . <s> <p> '''a<<''' , """<<""" .
            << <e> <f> <g> >> <h> <i> ."#;
        assert_eq!(triple_term_depth(document), 2);
        let deep = format!("<s> <p> {}1{} .", "<<( <a> <b> ".repeat(100), " )>>".repeat(100));
        let error = read_quads("x", deep.as_bytes(), RdfFormat::Turtle, &GraphName::DefaultGraph).expect_err("deep");
        assert!(matches!(error, RdfFileError::TripleTermsTooDeep { depth: 100, .. }), "{error}");
    }

    #[test]
    fn json_depth_ignores_brackets_in_strings() {
        assert_eq!(json_depth(br#"{"a": [1, {"b": "[[[{\"]]"}]}"#), 3);
        assert_eq!(json_depth(b"[[[]]] []"), 3);
    }
}
