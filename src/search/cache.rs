//! Recent answers, kept with their JSON written once: repeated questions are the common case
//! (many GPs ask the same things), and serialising is most of their cost.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use lru::LruCache;

use super::SearchResponse;

/// Answers kept for repeated questions.
const ANSWER_CACHE_SIZE: NonZeroUsize = NonZeroUsize::new(4096).expect("non-zero");

/// What an answer is cached by: question, limit, offset and type.
pub(super) type AnswerKey = (String, usize, usize, Option<&'static str>);

/// An answer with its JSON up to the value of `took_ms`, its last field.
#[derive(Debug)]
pub(super) struct CachedAnswer {
    pub response: SearchResponse,
    json_before_took: String,
}

impl CachedAnswer {
    /// `None` when the JSON does not end as expected; the answer is then not cached.
    pub fn new(mut response: SearchResponse) -> Option<Self> {
        const TOOK_PLACEHOLDER: &str = "0.0}";
        let took_ms = std::mem::replace(&mut response.took_ms, 0.0);
        let json = serde_json::to_string(&response).ok()?;
        response.took_ms = took_ms;
        let json_before_took = json.strip_suffix(TOOK_PLACEHOLDER)?.to_owned();
        Some(Self { response, json_before_took })
    }

    pub fn json(&self, took_ms: f64) -> String {
        format!("{}{took_ms}}}", self.json_before_took)
    }
}

/// The engine answers from one index state, so an answer stays right for the engine's lifetime.
pub(super) struct AnswerCache {
    answers: Mutex<LruCache<AnswerKey, Arc<CachedAnswer>>>,
}

impl AnswerCache {
    pub fn new() -> Self {
        Self { answers: Mutex::new(LruCache::new(ANSWER_CACHE_SIZE)) }
    }

    fn lock(&self) -> MutexGuard<'_, LruCache<AnswerKey, Arc<CachedAnswer>>> {
        // A panic while holding the lock leaves only a cache behind: keep using it.
        self.answers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn get(&self, key: &AnswerKey) -> Option<Arc<CachedAnswer>> {
        self.lock().get(key).cloned()
    }

    /// Keeps `response` for `key`; returns it as kept (`None` when it could not be).
    pub fn put(&self, key: AnswerKey, response: SearchResponse) -> Option<Arc<CachedAnswer>> {
        let cached = Arc::new(CachedAnswer::new(response)?);
        self.lock().put(key, Arc::clone(&cached));
        Some(cached)
    }
}
