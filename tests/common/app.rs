//! The HTTP service in process: the `Router` of `kansrijk serve` on the state `serve` builds from
//! its flags, asked through `tower::ServiceExt::oneshot`, without a port or a process. Requests
//! look as a client sends them: `Accept: */*` and a `Host` unless given, a `Content-Length` with
//! a body, paths and queries percent-encoded as a URL parser would leave them.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method, Request as HttpRequest, StatusCode};
use http_body_util::BodyExt;
use kansrijk::data::shacl::Shapes;
use kansrijk::http::{AppState, Workers};
use kansrijk::live::KnowledgeBase;
use kansrijk::publish::linked_data::PublicBase;
use kansrijk::store::KnowledgeStore;
use kansrijk::write::tokens::WriteTokens;
use tower::ServiceExt;

/// Longest one request may take before the test fails (the clients of the process tests had
/// timeouts of this order).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// The serve flags the tests use, with `serve`'s defaults.
pub struct AppOptions {
    data: Option<PathBuf>,
    query_timeout_s: f64,
    upload_timeout_s: f64,
    base: Option<String>,
    write_token_file: Option<PathBuf>,
    demo: bool,
}

impl AppOptions {
    /// `--timeout-s`: seconds a SPARQL query (or reconciliation batch) may run.
    pub fn timeout_s(mut self, seconds: f64) -> Self {
        self.query_timeout_s = seconds;
        self
    }

    /// `--upload-timeout-s`: seconds a client may take to send a body.
    pub fn upload_timeout_s(mut self, seconds: f64) -> Self {
        self.upload_timeout_s = seconds;
        self
    }

    /// `--base`: where the published IRIs are served.
    pub fn base(mut self, base: &str) -> Self {
        self.base = Some(base.to_owned());
        self
    }

    /// `--write-token-file`.
    pub fn write_token_file(mut self, file: &Path) -> Self {
        self.write_token_file = Some(file.to_owned());
        self
    }

    /// `--demo`: also serve the fictional demo social map.
    pub fn demo(mut self) -> Self {
        self.demo = true;
        self
    }

    /// `--data`: serve this folder instead of a fresh copy of the loaded template.
    pub fn data(mut self, data: &Path) -> Self {
        self.data = Some(data.to_owned());
        self
    }

    /// Opens the store and the knowledge base as `serve` does and builds its router.
    pub fn start(self) -> App {
        let (folder, copy) = match self.data {
            Some(folder) => (folder, None),
            None => {
                let copy = super::loaded_data_dir();
                (copy.path().to_owned(), Some(copy))
            }
        };
        let query_timeout = Duration::from_secs_f64(self.query_timeout_s);
        let upload_timeout = Duration::from_secs_f64(self.upload_timeout_s);
        let base = self.base.map_or_else(PublicBase::default, |base| PublicBase::new(&base).expect("a valid --base"));
        let tokens = self
            .write_token_file
            .map_or_else(WriteTokens::default, |file| WriteTokens::from_file(&file).expect("a valid token file"));
        let store = KnowledgeStore::open(&folder).expect("the store opens");
        store.sync_base_data(&kansrijk::data::embedded_graphs()).expect("the base graphs are brought in step");
        let shapes = Shapes::from_turtle(kansrijk::data::embedded_shapes()).expect("the embedded shapes parse");
        let (knowledge, _) = KnowledgeBase::open(&folder, store.clone(), shapes, &|_, _| {}).expect("the knowledge base opens");
        knowledge.sync_demo(self.demo).expect("the demo map is loaded or removed");
        let state = AppState {
            query_timeout,
            upload_timeout,
            knowledge: Arc::new(knowledge),
            tokens: Arc::new(tokens),
            base,
            workers: Arc::new(Workers::for_this_machine(query_timeout)),
        };
        // The runtime of `serve`: its own threads (named, so that its CPU time can be told from
        // the other tests'), with the deep stack that query evaluation needs.
        static APPS: AtomicUsize = AtomicUsize::new(0);
        let thread_name = format!("app-{}", APPS.fetch_add(1, Ordering::Relaxed));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name(thread_name.clone())
            .thread_stack_size(kansrijk::sparql::bounds::EVALUATION_STACK_BYTES)
            .build()
            .expect("the async runtime starts");
        App { runtime: Some(runtime), thread_name, router: kansrijk::http::router(state.clone()), state, _data: copy }
    }
}

/// The service of `kansrijk serve` in process, on its own copy of the loaded store.
pub struct App {
    runtime: Option<tokio::runtime::Runtime>,
    thread_name: String,
    router: Router,
    pub state: AppState,
    _data: Option<tempfile::TempDir>,
}

impl App {
    /// As `kansrijk serve` without flags.
    pub fn new() -> Self {
        Self::options().start()
    }

    /// The serve flags, to set before [`AppOptions::start`].
    pub fn options() -> AppOptions {
        AppOptions { data: None, query_timeout_s: 10.0, upload_timeout_s: 30.0, base: None, write_token_file: None, demo: false }
    }

    pub fn request(&self, method: Method, path: &str) -> Request<'_> {
        Request { app: self, method, target: encoded(path), headers: HeaderMap::new(), body: None }
    }

    pub fn get(&self, path: &str) -> Request<'_> {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Request<'_> {
        self.request(Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Request<'_> {
        self.request(Method::PUT, path)
    }

    pub fn delete(&self, path: &str) -> Request<'_> {
        self.request(Method::DELETE, path)
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime.as_ref().expect("the runtime runs while the app lives")
    }

    /// Number of triples in the named graph `graph`, asked by SPARQL.
    pub fn triples_in(&self, graph: &str) -> u64 {
        let query = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
        let answer: serde_json::Value = self
            .get("/sparql")
            .query(&[("query", query.as_str())])
            .header(ACCEPT, "application/sparql-results+json")
            .send()
            .json();
        answer["results"]["bindings"][0]["n"]["value"].as_str().expect("count").parse().expect("number")
    }

    /// Whether the service still answers a cheap request.
    pub fn is_alive(&self) -> bool {
        self.get("/robots.txt").send().status() == 200
    }

    /// The results `/api/search` gives for `question`, at most `limit` of them.
    pub fn search_hits(&self, question: &str, limit: usize) -> Vec<serde_json::Value> {
        let answer: serde_json::Value =
            self.get("/api/search").query(&[("q", question), ("limit", &limit.to_string())]).send().json();
        answer["results"].as_array().expect("results").clone()
    }

    /// CPU seconds the service's threads have used (user + system), from /proc: the threads of
    /// its runtime, where handlers and their blocking jobs run.
    pub fn cpu_seconds(&self) -> f64 {
        let mut ticks = 0.0;
        for task in std::fs::read_dir("/proc/self/task").expect("/proc is readable").flatten() {
            let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if name.trim_end() != self.thread_name {
                continue;
            }
            // A thread that ended since the listing has no stat any more, and uses no CPU.
            let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else { continue };
            let fields: Vec<&str> = stat.rsplit_once(") ").expect("stat format").1.split_whitespace().collect();
            ticks += fields[11].parse::<f64>().expect("utime") + fields[12].parse::<f64>().expect("stime");
        }
        ticks / 100.0
    }

    /// CPU seconds per second the service uses over `window`.
    pub fn cpu_load(&self, window: Duration) -> f64 {
        let before = self.cpu_seconds();
        std::thread::sleep(window);
        (self.cpu_seconds() - before) / window.as_secs_f64()
    }
}

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // As `serve` stops: a job that is still running is not waited for long.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

/// A request being built, in the manner of a blocking HTTP client.
pub struct Request<'a> {
    app: &'a App,
    method: Method,
    target: String,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Request<'_> {
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName, Error: std::fmt::Debug>,
        V: TryInto<HeaderValue, Error: std::fmt::Debug>,
    {
        self.headers.append(name.try_into().expect("a header name"), value.try_into().expect("a header value"));
        self
    }

    /// Adds `pairs` to the query string, form-encoded.
    pub fn query<V: AsRef<str>>(mut self, pairs: &[(&str, V)]) -> Self {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            serializer.append_pair(name, value.as_ref());
        }
        let separator = if self.target.contains('?') { '&' } else { '?' };
        self.target = format!("{}{separator}{}", self.target, serializer.finish());
        self
    }

    /// A form body (`application/x-www-form-urlencoded`).
    pub fn form<V: AsRef<str>>(self, pairs: &[(&str, V)]) -> Self {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            serializer.append_pair(name, value.as_ref());
        }
        self.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(serializer.finish())
    }

    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Runs the request on the app's runtime, as a connection task of `serve` would, and reads
    /// the whole answer.
    pub fn send(self) -> Response {
        let Self { app, method, target, mut headers, body } = self;
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        }
        if !headers.contains_key(HOST) {
            headers.insert(HOST, HeaderValue::from_static("localhost"));
        }
        if let Some(body) = &body {
            headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        }
        let mut request = HttpRequest::builder().method(method).uri(&target);
        *request.headers_mut().expect("a valid request") = headers;
        let request = request.body(body.map_or_else(Body::empty, Body::from)).expect("a valid request");
        let router = app.router.clone();
        let task = app.runtime().spawn(async move {
            let response = router.oneshot(request).await.expect("the router answers");
            let (parts, body) = response.into_parts();
            let body = body.collect().await.expect("the body is read").to_bytes();
            (parts, body)
        });
        let (parts, body) = app
            .runtime()
            .block_on(async { tokio::time::timeout(REQUEST_TIMEOUT, task).await })
            .unwrap_or_else(|_| panic!("{target} was not answered in {REQUEST_TIMEOUT:?}"))
            .expect("the request task did not fail");
        Response { status: parts.status, headers: parts.headers, body }
    }
}

/// An answer read whole.
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn bytes(&self) -> Bytes {
        self.body.clone()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text()))
    }
}

/// `path` as a URL parser leaves it: characters a URI cannot hold percent-encoded, escapes
/// already there kept.
fn encoded(path: &str) -> String {
    let mut target = String::with_capacity(path.len());
    for character in path.chars() {
        if character.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?%".contains(character) {
            target.push(character);
        } else {
            let mut buffer = [0; 4];
            for byte in character.encode_utf8(&mut buffer).bytes() {
                target.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    target
}
