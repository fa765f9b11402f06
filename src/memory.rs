//! Giving freed memory back to the system. glibc's allocator keeps what a thread freed in its
//! arenas, so after a query that held a few GB and was then cancelled, or after a write dropped
//! the previous snapshot's index and reconciler, the process stays that large; `malloc_trim`
//! returns the free pages. Elsewhere this does nothing.

/// Returns the allocator's free memory to the system, where the allocator allows it.
pub(crate) fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory that is free; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
