//! Giving freed memory back to the system. glibc's allocator keeps what a thread freed in its
//! arenas, so after a query that held a few GB and was then cancelled, or after a write dropped
//! the previous snapshot's index and reconciler, the process stays that large; `malloc_trim`
//! returns the free pages. glibc also gives each thread that finds the arenas busy a new one (up
//! to eight per core), and memory freed in one arena is not reused by another, so a server with
//! many blocking threads grows by the sum of their peaks: [`use_few_arenas`] caps them.
//! Elsewhere this does nothing.

/// Returns the allocator's free memory to the system, where the allocator allows it.
pub(crate) fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory that is free; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How many malloc arenas the process uses. Two keep a soak's resident memory flat (about 140 MB
/// instead of 185–230 MB with glibc's default, with the same search and SPARQL latency) on the
/// two-core machines kansrijk is sized for.
const MALLOC_ARENAS: i32 = 2;

/// Caps the allocator's arenas at [`MALLOC_ARENAS`], unless `MALLOC_ARENA_MAX` says otherwise.
/// Call it before any thread is started.
pub(crate) fn use_few_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes allocator parameters; called before other threads exist.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
        }
    }
}
