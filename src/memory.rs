//! The allocator, and giving freed memory back to the system. kansrijk allocates with
//! mimalloc, which keeps a heap per thread: glibc's malloc, capped at two arenas to keep a
//! server's resident memory flat, made the threads of a large write (validation workers,
//! RocksDB, Tantivy's indexers) wait on one another's allocations, and an import of 100,000
//! services took 34–38 s with mimalloc against 55 s. After a query that held a few GB and was
//! cancelled, or after a write dropped the previous snapshot's index and reconciler,
//! [`release_freed`] returns the free pages at once rather than when mimalloc would purge them.
//! Its arenas are committed as they are used ([`configure`]): `scripts/soak` then stays flat at
//! 150–190 MB (250 MB with mimalloc's defaults, 140 MB with glibc), with the same latency.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Returns the allocator's free memory to the system.
pub(crate) fn release_freed() {
    // SAFETY: mi_collect only frees memory no allocation uses; it has no preconditions.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

/// mimalloc's option `arena_eager_commit` (its index in mimalloc 2's `mi_option_e`), which its
/// Rust binding does not name.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Makes mimalloc commit its arenas as they are used, unless `MIMALLOC_ARENA_EAGER_COMMIT` says
/// otherwise: memory of an eagerly committed arena is never given back. It runs before `main`,
/// as the first arena is reserved by the first allocation, and so allocates nothing itself.
#[ctor::ctor]
fn configure() {
    // SAFETY: getenv reads the environment, which nothing changes before main; mi_option_set
    // only changes a setting of the allocator.
    unsafe {
        if libc::getenv(c"MIMALLOC_ARENA_EAGER_COMMIT".as_ptr()).is_null() {
            libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        }
    }
}
