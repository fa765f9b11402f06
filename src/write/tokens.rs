//! Write tokens: who may change which named graph. The token file (`--write-token-file`)
//! has one token per line, `NAME TOKEN [GRAPH-IRI ...]`; a token without graphs may write
//! every graph except the base graphs, which no token may touch. `#` starts a comment.
//! Tokens are kept only as SHA-256 digests and compared in constant time; only their names
//! appear in provenance and logs.

use std::path::Path;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::data;

#[derive(Debug, thiserror::Error)]
pub enum TokenFileError {
    #[error("cannot read the token file {file}: {source}")]
    Read { file: String, source: std::io::Error },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax { file: String, line: usize, column: usize, message: String },
}

/// Why a write was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("schrijven staat op deze server uit: de store is alleen-lezen")]
    WritesDisabled,
    #[error("schrijven vraagt een token: stuur `Authorization: Bearer <token>`")]
    MissingToken,
    #[error("dit token is onbekend")]
    UnknownToken,
    #[error("graaf <{graph}> bevat gegevens van kansrijk zelf en is voor niemand schrijfbaar")]
    BaseGraph { graph: String },
    #[error("dit token mag graaf <{graph}> niet wijzigen")]
    GraphNotAllowed { graph: String },
    #[error("dit token mag de standaardgraaf niet wijzigen; geef een benoemde graaf op")]
    DefaultGraphNotAllowed,
}

impl Refusal {
    /// Whether the client failed to authenticate (401) rather than lacking permission (403).
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::MissingToken | Self::UnknownToken)
    }
}

/// A graph a write touches: a named graph or the default graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GraphTarget {
    Default,
    Named(String),
}

struct Token {
    name: String,
    digest: [u8; 32],
    /// `None`: every graph that is not a base graph.
    graphs: Option<Vec<String>>,
}

/// The tokens a server accepts. Empty means writes are disabled.
#[derive(Default)]
pub struct WriteTokens {
    tokens: Vec<Token>,
}

/// An authenticated writer.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub name: &'a str,
    graphs: Option<&'a [String]>,
}

impl Writer<'static> {
    /// Whoever runs `kansrijk import` on the server's machine: every graph but the base graphs.
    pub fn command_line() -> Self {
        Writer { name: "opdrachtregel", graphs: None }
    }
}

impl Writer<'_> {
    /// Whether this writer may change `target`.
    pub fn may_write(&self, target: &GraphTarget) -> Result<(), Refusal> {
        match target {
            GraphTarget::Named(graph) if data::is_read_only_graph(graph) => Err(Refusal::BaseGraph { graph: graph.clone() }),
            GraphTarget::Named(graph) => match self.graphs {
                Some(allowed) if !allowed.iter().any(|allowed| allowed == graph) => {
                    Err(Refusal::GraphNotAllowed { graph: graph.clone() })
                }
                _ => Ok(()),
            },
            GraphTarget::Default if self.graphs.is_some() => Err(Refusal::DefaultGraphNotAllowed),
            GraphTarget::Default => Ok(()),
        }
    }
}

impl WriteTokens {
    pub fn from_file(path: &Path) -> Result<Self, TokenFileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TokenFileError::Read { file: file.clone(), source })?;
        Self::parse(&file, &text)
    }

    pub fn parse(file: &str, text: &str) -> Result<Self, TokenFileError> {
        let mut tokens: Vec<Token> = Vec::new();
        for (index, raw_line) in text.lines().enumerate() {
            let line = raw_line.split('#').next().unwrap_or_default();
            let syntax = |column: usize, message: String| TokenFileError::Syntax {
                file: file.to_owned(),
                line: index + 1,
                column,
                message,
            };
            let mut words = line.split_whitespace().map(|word| (column_of(raw_line, word), word));
            let Some((_, name)) = words.next() else { continue };
            let Some((token_column, secret)) = words.next() else {
                return Err(syntax(column_of(raw_line, name) + name.len(), "expected `NAME TOKEN [GRAPH-IRI ...]`".into()));
            };
            if secret.len() < 16 {
                return Err(syntax(token_column, "a token must be at least 16 characters long".into()));
            }
            let digest: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
            if tokens.iter().any(|token| token.digest == digest) {
                return Err(syntax(token_column, "this token is already given on an earlier line".into()));
            }
            let mut graphs = Vec::new();
            for (column, graph) in words {
                if oxiri::Iri::parse(graph).is_err() {
                    return Err(syntax(column, format!("`{graph}` is not an absolute IRI")));
                }
                if data::is_read_only_graph(graph) {
                    return Err(syntax(column, format!("<{graph}> is a base graph, which no token may write")));
                }
                graphs.push(graph.to_owned());
            }
            tokens.push(Token { name: name.to_owned(), digest, graphs: (!graphs.is_empty()).then_some(graphs) });
        }
        Ok(Self { tokens })
    }

    pub fn enabled(&self) -> bool {
        !self.tokens.is_empty()
    }

    /// The writer an `Authorization` header value identifies. Every known token is compared,
    /// in constant time, so the time taken does not tell how much of a token was right.
    pub fn authenticate(&self, authorization: Option<&str>) -> Result<Writer<'_>, Refusal> {
        if !self.enabled() {
            return Err(Refusal::WritesDisabled);
        }
        let secret = authorization.and_then(bearer_token).ok_or(Refusal::MissingToken)?;
        let digest: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let mut found = None;
        for token in &self.tokens {
            if bool::from(token.digest.ct_eq(&digest)) {
                found = Some(token);
            }
        }
        let token = found.ok_or(Refusal::UnknownToken)?;
        Ok(Writer { name: &token.name, graphs: token.graphs.as_deref() })
    }
}

/// The token of an `Authorization: Bearer <token>` value. The scheme is case-insensitive (RFC 9110
/// §11.1), and spaces or tabs around the token are allowed.
fn bearer_token(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.trim().split_once([' ', '\t'])?;
    let token = token.trim_matches([' ', '\t']);
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn column_of(line: &str, word: &str) -> usize {
    // `word` is a sub-slice of `line`, so its byte offset is the pointer difference.
    word.as_ptr() as usize - line.as_ptr() as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "https://w3id.org/kansrijk/graph/sociale-kaart-aalsmeer";

    fn tokens() -> WriteTokens {
        WriteTokens::parse(
            "tokens",
            &format!(
                "# integrators\nbeheer  0123456789abcdef-beheer\naalsmeer 0123456789abcdef-aalsmeer {OWN}  # alleen Aalsmeer\n"
            ),
        )
        .expect("valid token file")
    }

    #[test]
    fn tokens_are_checked_and_limited_to_their_graphs() {
        let tokens = tokens();
        assert_eq!(tokens.authenticate(None).unwrap_err(), Refusal::MissingToken);
        assert_eq!(tokens.authenticate(Some("Bearer nope-nope-nope-nope")).unwrap_err(), Refusal::UnknownToken);
        let aalsmeer = tokens.authenticate(Some("Bearer 0123456789abcdef-aalsmeer")).expect("known token");
        assert_eq!(aalsmeer.name, "aalsmeer");
        assert!(aalsmeer.may_write(&GraphTarget::Named(OWN.into())).is_ok());
        assert!(matches!(
            aalsmeer.may_write(&GraphTarget::Named("https://example.org/other".into())),
            Err(Refusal::GraphNotAllowed { .. })
        ));
        assert_eq!(aalsmeer.may_write(&GraphTarget::Default).unwrap_err(), Refusal::DefaultGraphNotAllowed);
        let admin = tokens.authenticate(Some("Bearer 0123456789abcdef-beheer")).expect("known token");
        assert!(admin.may_write(&GraphTarget::Named("https://example.org/other".into())).is_ok());
        let base = vocab_graph("factsheet");
        assert!(matches!(admin.may_write(&GraphTarget::Named(base)), Err(Refusal::BaseGraph { .. })));
    }

    fn vocab_graph(name: &str) -> String {
        crate::rdf::vocab::graph_iri(name).into_string()
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive_and_spaces_are_allowed() {
        for value in ["Bearer tok", "bearer tok", "BEARER tok", "BeArEr  \t tok  ", "  Bearer tok"] {
            assert_eq!(bearer_token(value), Some("tok"), "{value:?}");
        }
        for value in ["Bearer", "Bearer   ", "Basic tok", "Bearertok", "tok"] {
            assert_eq!(bearer_token(value), None, "{value:?}");
        }
    }

    #[test]
    fn no_tokens_means_no_writes() {
        let tokens = WriteTokens::parse("tokens", "# nobody\n").expect("valid");
        assert_eq!(tokens.authenticate(Some("Bearer 0123456789abcdef")).unwrap_err(), Refusal::WritesDisabled);
    }

    #[test]
    fn token_file_errors_name_line_and_column() {
        let error = WriteTokens::parse("t.txt", "a 0123456789abcdef-a\nb short\n").err().expect("short token");
        assert_eq!(error.to_string(), "t.txt:2:3: a token must be at least 16 characters long");
        let error = WriteTokens::parse("t.txt", "a 0123456789abcdef-a not-an-iri\n").err().expect("bad IRI");
        assert!(error.to_string().starts_with("t.txt:1:22: `not-an-iri`"), "{error}");
        let error = WriteTokens::parse("t.txt", &format!("a 0123456789abcdef-a {}\n", vocab_graph("cbs-regio")))
            .err()
            .expect("base graph");
        assert!(error.to_string().contains("base graph"), "{error}");
        let error = WriteTokens::parse("t.txt", "lonely\n").err().expect("no token");
        assert_eq!(error.to_string(), "t.txt:1:7: expected `NAME TOKEN [GRAPH-IRI ...]`");
    }
}
