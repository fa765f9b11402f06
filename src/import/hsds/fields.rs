//! Reading the fields of HSDS objects: text, lists of objects, web and e-mail addresses.

use oxigraph::model::NamedNode;
use serde_json::{Map, Value};

use super::{Problem, Problems};

/// The trimmed, non-empty text of a field.
pub(super) fn text<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    object.get(key)?.as_str().map(str::trim).filter(|text| !text.is_empty())
}

/// The text of a field HSDS requires; an empty one is a problem (a missing one is reported by
/// the schema check).
pub(super) fn filled<'v>(object: &'v Map<String, Value>, key: &str, pointer: &str, problems: &mut Problems) -> Option<&'v str> {
    let value = text(object, key);
    if value.is_none() && object.get(key).is_some_and(Value::is_string) {
        problems.push(Problem::at(&format!("{pointer}/{key}"), format!("veld `{key}` is leeg")));
    }
    value
}

/// The objects in the list `key`, each with its pointer.
pub(super) fn objects<'v>(object: &'v Map<String, Value>, key: &str, pointer: &str) -> Vec<(String, &'v Map<String, Value>)> {
    let items = object.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    items.iter().enumerate().filter_map(|(index, item)| Some((format!("{pointer}/{key}/{index}"), item.as_object()?))).collect()
}

/// A web address (http or https) as an IRI; anything else is a problem.
pub(super) fn web_address(object: &Map<String, Value>, key: &str, pointer: &str, problems: &mut Problems) -> Option<NamedNode> {
    let address = text(object, key)?;
    let web = address.starts_with("https://") || address.starts_with("http://");
    let iri = NamedNode::new(address).ok().filter(|_| web);
    if iri.is_none() {
        problems
            .push(Problem::at(&format!("{pointer}/{key}"), format!("`{address}` is geen geldig webadres (http:// of https://)")));
    }
    iri
}

/// An e-mail address of the form `name@domain`; anything else is a problem.
pub(super) fn email<'v>(object: &'v Map<String, Value>, key: &str, pointer: &str, problems: &mut Problems) -> Option<&'v str> {
    let address = text(object, key)?;
    let valid = address.split_once('@').is_some_and(|(name, domain)| {
        !name.is_empty() && domain.contains('.') && !domain.contains('@') && !address.contains(char::is_whitespace)
    });
    if !valid {
        problems.push(Problem::at(&format!("{pointer}/{key}"), format!("`{address}` is geen geldig e-mailadres")));
        return None;
    }
    Some(address)
}
