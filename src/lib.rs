//! kansrijk: the Kansrijke Start knowledge graph, its persistent store, a SPARQL 1.1
//! endpoint, Dutch full-text search and linked data.
//!
//! Data flows one way: `graph_data` (embedded files) → `store` (Oxigraph) → `index`
//! (Tantivy, with `analysis`) → `search` (with `question`) → `http` (axum). `places` is the one
//! gazetteer that search, `reconcile` and the `hsds` import match place names with. `sparql`,
//! `text_service` and `linked_data` read the store for the endpoint and the dereferenceable
//! IRIs. `cli` drives them; `shacl` validates data before it is used.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod contact;
pub mod dataset;
pub mod graph_data;
pub mod hsds;
pub mod http;
pub mod index;
pub mod linked_data;
pub mod live;
mod memory;
pub mod ontology_reference;
pub mod places;
pub mod question;
pub mod rdf_file;
pub mod reconcile;
pub mod search;
pub mod shacl;
pub mod sparql;
pub mod store;
pub mod synthetic;
pub mod text_service;
pub mod tokens;
pub mod vocab;
pub mod write;
