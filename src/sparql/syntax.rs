//! Readable messages for query text that does not parse as a SPARQL 1.1 query. The parser
//! reports the position and every token it could have accepted there, character classes
//! included; a person needs the cause: an update sent as a query, an undeclared prefix, or the
//! text at the position.

use crate::rdf::vocab;

/// Update operations, which a query endpoint does not run.
const UPDATE_KEYWORDS: [&str; 10] = ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"];

/// Longer lists of expected tokens say nothing a person can act on.
const MAX_EXPECTED: usize = 120;

/// The message for `text`, which failed with the parser's `raw` message (`error at 1:20: expected ...`).
pub fn message(text: &str, raw: &str) -> String {
    if let Some(operation) = update_operation(text) {
        return format!(
            "this is a SPARQL Update ({operation}), not a query: queries only read; updates go to /update with a write token"
        );
    }
    let (position, expected) = raw.split_once(": expected ").unwrap_or((raw, ""));
    if expected.contains("Prefix not found")
        && let Some(prefix) = undeclared_prefix(text)
    {
        let known: Vec<&str> = vocab::PREFIXES.iter().map(|(prefix, _)| *prefix).collect();
        return format!(
            "{position}: unknown prefix `{prefix}:`; declare it (PREFIX {prefix}: <namespace IRI>) or use a known one ({})",
            known.join(", ")
        );
    }
    if expected.len() > MAX_EXPECTED {
        let near = near(text, position).map_or_else(String::new, |near| format!(" near `{near}`"));
        return format!("{position}: unexpected text{near}");
    }
    raw.to_owned()
}

/// The words of `text` outside IRIs, strings and comments, in order.
fn words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let skip_to = |close: char, from: usize| rest[from..].find(close).map_or(rest.len(), |end| from + end + 1);
        let end = match rest.chars().next() {
            Some('<') => skip_to('>', 1),
            Some(quote @ ('"' | '\'')) => skip_to(quote, 1),
            Some('#') => skip_to('\n', 1),
            _ => {
                let end = rest.find(|c: char| c.is_whitespace() || "{}()<>\"',;".contains(c)).unwrap_or(rest.len());
                let end = end.max(rest.chars().next().map_or(1, char::len_utf8));
                words.push(&rest[..end]);
                end
            }
        };
        rest = &rest[end..];
    }
    words
}

/// The update operation `text` starts with after its prologue, such as `INSERT DATA`.
fn update_operation(text: &str) -> Option<String> {
    let words = words(text);
    let mut index = 0;
    while let Some(word) = words.get(index) {
        match word.to_ascii_uppercase().as_str() {
            "PREFIX" => index += 2,
            "BASE" => index += 1,
            _ => break,
        }
    }
    let keyword = words.get(index)?.to_ascii_uppercase();
    if !UPDATE_KEYWORDS.contains(&keyword.as_str()) {
        return None;
    }
    Some(match words.get(index + 1).map(|next| next.to_ascii_uppercase()) {
        Some(next) if next == "DATA" || next == "WHERE" => format!("{keyword} {next}"),
        _ => keyword,
    })
}

/// The first prefix `text` uses in a prefixed name that it does not declare and kansrijk does
/// not know.
fn undeclared_prefix(text: &str) -> Option<String> {
    let words = words(text);
    let declared: Vec<&str> = words
        .windows(2)
        .filter(|pair| pair[0].eq_ignore_ascii_case("PREFIX"))
        .map(|pair| pair[1].trim_end_matches(':'))
        .collect();
    words.iter().find_map(|word| {
        let (prefix, _) = word.split_once(':')?;
        let is_name = prefix.chars().next().is_some_and(char::is_alphabetic)
            && prefix.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
        let known = vocab::PREFIXES.iter().any(|(known, _)| *known == prefix) || declared.contains(&prefix);
        (is_name && !known).then(|| prefix.to_owned())
    })
}

/// Up to 30 characters of `text` from the parser's position (`error at LINE:COLUMN`).
fn near(text: &str, position: &str) -> Option<String> {
    let (line, column) = position.rsplit_once(' ')?.1.split_once(':')?;
    let (line, column): (usize, usize) = (line.parse().ok()?, column.parse().ok()?);
    let line = text.lines().nth(line.checked_sub(1)?)?;
    let from = line.char_indices().nth(column.checked_sub(1)?).map(|(at, _)| at)?;
    let near: String = line[from..].trim_start().chars().take(30).collect();
    (!near.trim().is_empty()).then_some(near)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_named_as_one() {
        let raw = "error at 1:1: expected one of ...";
        let update = message("PREFIX ex: <http://example.org/>\nINSERT DATA { ex:s ex:p 1 }", raw);
        assert!(update.starts_with("this is a SPARQL Update (INSERT DATA)"), "{update}");
        assert!(message("SELECT * WHERE { ?s ?p ?o }", raw).starts_with("error at"));
    }

    #[test]
    fn an_undeclared_prefix_is_named() {
        let raw = "error at 1:20: expected Prefix not found";
        let unknown = message("SELECT * WHERE { ?s foaf:name \"a:b\" ; <http://x/y> ?o }", raw);
        assert!(unknown.contains("unknown prefix `foaf:`"), "{unknown}");
        let declared = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT * WHERE { ?s foaf:name ?o ; wat:x ?y }";
        assert!(message(declared, raw).contains("`wat:`"));
    }

    #[test]
    fn a_long_list_of_expected_tokens_becomes_the_text_at_the_position() {
        let raw = format!("error at 1:10: expected one of {}", "['a'..='z'], ".repeat(20));
        assert_eq!(message("SELECT ?s WHER { }", &raw), "error at 1:10: unexpected text near `WHER { }`");
    }
}
