//! Work that must not slow readers down: a write (validation, bulk load, index catch-up, and the
//! threads they start) runs on a thread of its own at background CPU priority, so that on a
//! machine with few cores the searches and queries beside a large import keep their latency.
//! Threads inherit the priority of the thread that starts them, so every helper thread of the
//! write runs at the same priority; the caller's thread keeps its own. Elsewhere than on Linux
//! the work only runs on its own thread.

/// The nice value of background work: readers at the default (0) get about ten times its share
/// of a contended core.
const BACKGROUND_NICE: libc::c_int = 10;

/// Runs `work` on a new thread at background priority and waits for its outcome.
pub(crate) fn run<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            lower_this_threads_priority();
            work()
        });
        match worker.join() {
            Ok(outcome) => outcome,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority take no pointers; on Linux the nice value set for a
        // thread id is that thread's own.
        let failed = unsafe {
            let thread = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, BACKGROUND_NICE) != 0
        };
        if failed {
            tracing::debug!(error = %std::io::Error::last_os_error(), "background: the write keeps its priority");
        }
    }
}
