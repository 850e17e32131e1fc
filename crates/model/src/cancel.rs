//! A cancellation flag that a caller shares with a long-running engine: the engine checks it where
//! it checks its deadline and stops early with the best answer so far.
//!
//! ```
//! use wuliu_model::Cancel;
//! let cancel = Cancel::default();
//! {
//!     let _guard = cancel.on_drop(); // e.g. held by an HTTP handler while the client waits
//! }
//! assert!(cancel.is_cancelled(), "dropping the guard cancels");
//! ```

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A shared cancellation flag (cheap to clone; all clones see the same flag).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the engine to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether stopping was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A guard that cancels when dropped, unless [`CancelOnDrop::disarm`]ed: an async caller holds
    /// it while it awaits the engine, so a caller that goes away (a client that disconnects)
    /// stops the work.
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(Some(self.clone()))
    }
}

/// Every flag equals every other: a flag is not part of what a configuration means.
impl PartialEq for Cancel {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Cancels its flag when dropped (see [`Cancel::on_drop`]).
#[derive(Debug)]
pub struct CancelOnDrop(Option<Cancel>);

impl CancelOnDrop {
    /// The work finished: dropping the guard no longer cancels.
    pub fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(c) = &self.0 {
            c.cancel();
        }
    }
}
