//! A hello-world axum server: the baseline that `scripts/bench-search` compares `/api/search`
//! with on the same machine. `cargo run --release --example hello -- 127.0.0.1:7979`

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7979".to_owned());
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("hello: listening on http://{}", listener.local_addr()?);
    axum::serve(listener, Router::new().route("/", get(|| async { "Hallo, wereld!" }))).await
}
