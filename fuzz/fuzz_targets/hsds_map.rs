//! Any bytes given to the HSDS mapper get a mapping or a list of problems, never a panic.
#![no_main]

use kansrijk::import::hsds::{self, Resolver};
use libfuzzer_sys::fuzz_target;
use oxigraph::model::NamedNode;

/// Knows one municipality, one postcode and one theme, so that mapping goes deep.
struct Known;

impl Resolver for Known {
    fn region(&self, name: &str) -> Option<NamedNode> {
        match name.to_lowercase().as_str() {
            "aalsmeer" | "gm0358" => Some(NamedNode::new_unchecked("https://w3id.org/kansrijk/id/gemeente/gm0358")),
            "1431" => Some(NamedNode::new_unchecked("https://w3id.org/kansrijk/id/postcode/1431")),
            _ => None,
        }
    }

    fn theme(&self, term: &str) -> Option<NamedNode> {
        (term.eq_ignore_ascii_case("stress")).then(|| NamedNode::new_unchecked("https://w3id.org/kansrijk/id/thema/stress"))
    }
}

fuzz_target!(|data: &[u8]| {
    let graph = NamedNode::new_unchecked("https://w3id.org/kansrijk/graph/fuzz");
    let _ = hsds::map(data, &graph, "fuzz.hsds.json", &Known);
});
