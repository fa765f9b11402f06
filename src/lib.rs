//! kansrijk: the Kansrijke Start knowledge graph, its persistent store, a SPARQL 1.1
//! endpoint and (later) Dutch full-text search.
//!
//! Data flows one way: `graph_data` (embedded files) → `store` (Oxigraph) → `sparql`
//! (evaluation) → `http` (axum). `cli` drives them; `shacl` validates data before it is used.

pub mod analysis;
pub mod cli;
pub mod graph_data;
pub mod http;
pub mod index;
pub mod question;
pub mod rdf_file;
pub mod search;
pub mod shacl;
pub mod sparql;
pub mod store;
pub mod synthetic;
pub mod text_service;
pub mod vocab;
