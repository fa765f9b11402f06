//! Bounds on the shape of a SPARQL query or update, checked on its text before any recursive
//! parser, optimiser or evaluator sees it.
//!
//! Oxigraph's parser and evaluator recurse once per level of brackets and once per link of a
//! left-nested chain (`a UNION b UNION c`, `x + y + z`, a list of `OPTIONAL`s), so a query of a
//! few kilobytes can overflow any stack; and its optimiser takes time that grows faster than
//! linearly with the length of such chains (a sequence path of 500 steps takes 10 s, 3000
//! `OPTIONAL`s 8 s) without ever checking the query's cancellation. The scan below skips
//! strings, IRIs and comments and measures three things: the deepest bracket nesting, the
//! number of tokens that can add a level (operators, separators and the keywords that combine
//! patterns), and among them the property-path operators. Each is capped above what real
//! queries use and low enough that a query at the caps is planned in about a second, and
//! [`EVALUATION_STACK_BYTES`] is sized so that such a query is parsed and evaluated safely.
//!
//! ```
//! use kansrijk::sparql::bounds::{Shape, check};
//!
//! let shape = Shape::of("SELECT * WHERE { ?s ?p \"(((\" FILTER(?p = <http://e/(x)>) }");
//! assert_eq!(shape.depth, 2);
//! assert!(check("SELECT * WHERE { ?s ?p ?o }").is_ok());
//! let deep = format!("ASK {{ ?s ?p {}1{} }}", "(".repeat(1000), ")".repeat(1000));
//! assert!(check(&deep).is_err());
//! ```

/// Deepest nesting of `(`, `{` and `[` a query may have.
pub const MAX_DEPTH: usize = 64;
/// Most tokens that may each add a level of nesting to the parsed query. (An `IN` list or a
/// `VALUES` block of many values is better written as `VALUES`, which adds no operators.)
pub const MAX_OPERATORS: usize = 1_000;
/// Most property-path operators (`/`, `|`, `^`) in a query; the optimiser's time grows with the
/// cube of a sequence path's length.
pub const MAX_PATH_OPERATORS: usize = 64;
/// Longest query or update text, in bytes.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// Stack for threads that parse and evaluate queries; a query at [`MAX_DEPTH`] and
/// [`MAX_OPERATORS`] of any shape fits in it (see `tests/hostile_sparql.rs`).
pub const EVALUATION_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Why a query was refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundsError {
    #[error("de query is te diep genest ({depth} niveaus haakjes; de grens is {MAX_DEPTH})")]
    TooDeep { depth: usize },
    #[error("de query heeft te veel operatoren en scheidingstekens ({operators}; de grens is {MAX_OPERATORS}); splits hem op")]
    TooManyOperators { operators: usize },
    #[error(
        "de query heeft te veel padoperatoren ({operators} keer /, | of ^; de grens is {MAX_PATH_OPERATORS}); splits het pad op"
    )]
    TooManyPathOperators { operators: usize },
    #[error("de query is te lang ({bytes} bytes; de grens is {MAX_TEXT_BYTES})")]
    TooLong { bytes: usize },
}

/// The measured shape of a query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// Deepest bracket nesting outside strings, IRIs and comments.
    pub depth: usize,
    /// Operators, separators and pattern keywords outside strings, IRIs and comments.
    pub operators: usize,
    /// Of those, the operators that build property paths (or divide): `/`, `|` and `^`.
    pub path_operators: usize,
}

/// Refuses a query or update whose text could exhaust the parser's or evaluator's stack.
pub fn check(text: &str) -> Result<Shape, BoundsError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(BoundsError::TooLong { bytes: text.len() });
    }
    let shape = Shape::of(text);
    if shape.depth > MAX_DEPTH {
        return Err(BoundsError::TooDeep { depth: shape.depth });
    }
    if shape.operators > MAX_OPERATORS {
        return Err(BoundsError::TooManyOperators { operators: shape.operators });
    }
    if shape.path_operators > MAX_PATH_OPERATORS {
        return Err(BoundsError::TooManyPathOperators { operators: shape.path_operators });
    }
    Ok(shape)
}

/// Keywords that combine the patterns or expressions around them into a new level.
const NESTING_KEYWORDS: [&str; 11] =
    ["UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "SERVICE", "GRAPH", "EXISTS", "IN", "VALUES", "SELECT"];

impl Shape {
    pub fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut shape = Self::default();
        let mut depth = 0usize;
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            at += match byte {
                b'#' => line_end(bytes, at),
                b'"' | b'\'' => string_end(bytes, at),
                b'<' => match iri_end(bytes, at) {
                    Some(length) => length,
                    None => {
                        shape.operators += 1;
                        operator_length(bytes, at)
                    }
                },
                b'(' | b'{' | b'[' => {
                    depth += 1;
                    shape.depth = shape.depth.max(depth);
                    1
                }
                b')' | b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    1
                }
                b'?' | b'$' => 1 + name_end(bytes, at + 1),
                byte if is_name_byte(byte) => {
                    let length = name_end(bytes, at);
                    let word = &text[at..at + length];
                    if NESTING_KEYWORDS.iter().any(|keyword| keyword.eq_ignore_ascii_case(word)) {
                        shape.operators += 1;
                    }
                    length
                }
                b'|' | b'&' | b'=' | b'!' | b'>' | b'+' | b'-' | b'*' | b'/' | b'^' | b',' | b';' | b'.' => {
                    let length = operator_length(bytes, at);
                    shape.operators += 1;
                    if length == 1 && matches!(byte, b'/' | b'|' | b'^') {
                        shape.path_operators += 1;
                    }
                    length
                }
                _ => 1,
            };
        }
        shape
    }
}

/// Length of the operator at `from`: two for `&&`, `||`, `^^`, `!=`, `<=` and `>=`.
fn operator_length(bytes: &[u8], from: usize) -> usize {
    match (bytes[from], bytes.get(from + 1)) {
        (b'&', Some(b'&')) | (b'|', Some(b'|')) | (b'^', Some(b'^')) => 2,
        (b'!' | b'<' | b'>', Some(b'=')) => 2,
        _ => 1,
    }
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b':' | b'%' | b'\\') || byte >= 0x80
}

/// Length of a prefixed name, keyword, number or variable name starting at `from`.
fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut length = 0;
    while let Some(&byte) = bytes.get(from + length) {
        let inner_dot_or_dash =
            matches!(byte, b'.' | b'-') && length > 0 && bytes.get(from + length + 1).is_some_and(|&next| is_name_byte(next));
        if byte == b'\\' {
            length += 2;
        } else if is_name_byte(byte) || inner_dot_or_dash {
            length += 1;
        } else {
            break;
        }
    }
    length.min(bytes.len() - from)
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&byte| byte == b'\n').map_or(bytes.len() - from, |end| end + 1)
}

/// Length of a string literal in any of SPARQL's four quotings, escapes included.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let quote = bytes[from];
    let long = bytes.get(from + 1) == Some(&quote) && bytes.get(from + 2) == Some(&quote);
    let triple = [quote; 3];
    let close = if long { &triple[..] } else { &triple[..1] };
    let mut at = from + close.len();
    while at < bytes.len() {
        if bytes[at] == b'\\' {
            at += 2;
        } else if bytes[at..].starts_with(close) {
            return at + close.len() - from;
        } else if !long && matches!(bytes[at], b'\n' | b'\r') {
            return at - from;
        } else {
            at += 1;
        }
    }
    bytes.len() - from
}

/// Length of an IRI reference at `from`, or `None` when the `<` is an operator.
fn iri_end(bytes: &[u8], from: usize) -> Option<usize> {
    for (offset, &byte) in bytes[from + 1..].iter().enumerate() {
        match byte {
            b'>' => return Some(offset + 2),
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' | 0..=b' ' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_in_strings_iris_and_comments_do_not_count() {
        let text = "SELECT * WHERE { # ((((\n ?s <http://e/((([[[> '''{{{\n'''; ?p \"(\\\"(\" }";
        assert_eq!(Shape::of(text).depth, 1);
    }

    #[test]
    fn a_less_than_operator_is_not_an_iri() {
        let shape = Shape::of("{ ?s ?p ?o FILTER(?o <= 3 && ?o > 1) }");
        assert_eq!(shape.depth, 2);
        assert_eq!(shape.operators, 4, "FILTER, <=, && and >: {shape:?}");
    }

    #[test]
    fn chains_count_as_operators() {
        let union = format!("ASK {{ {} }}", vec!["{ ?s ?p ?o }"; 2_000].join(" UNION "));
        assert_eq!(check(&union), Err(BoundsError::TooManyOperators { operators: 1_999 }));
        let path = format!("ASK {{ ?s {} ?o }}", vec!["<http://e/p>"; 100].join("/"));
        assert_eq!(check(&path), Err(BoundsError::TooManyPathOperators { operators: 99 }));
        assert_eq!(Shape::of("FILTER(?a || ?b && ?c)").path_operators, 0);
        let sum = format!("SELECT ({} AS ?n) {{}}", vec!["1"; 2_000].join("+"));
        assert!(matches!(check(&sum), Err(BoundsError::TooManyOperators { .. })));
    }

    #[test]
    fn prefixed_names_with_dashes_and_dots_are_one_token() {
        assert_eq!(Shape::of("kr:kansrijke-start.v2 ex:a.b").operators, 0);
        assert_eq!(Shape::of("?a - ?b").operators, 1);
    }

    #[test]
    fn ordinary_queries_pass() {
        let query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?c ?label WHERE { ?c skos:prefLabel ?label . FILTER(lang(?label) = 'nl') OPTIONAL { ?c skos:broader ?b } } ORDER BY ?label LIMIT 10";
        assert!(check(query).is_ok());
    }
}
