//! Memory beyond the body for every hostile family at 1 MB: at most 3 times the body, as the
//! contract's resource bounds say, for `validate` and for `validate_all`. Measured with a
//! global allocator that tracks the peak of live bytes, in its own test binary.

#[path = "../benches/hostile_bodies.rs"]
mod hostile_bodies;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Peak;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One test at a time, for the whole test: the counters are global, and another test building
/// its bodies would count into them.
static MEASURING: Mutex<()> = Mutex::new(());

fn alone() -> std::sync::MutexGuard<'static, ()> {
    MEASURING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(live, Ordering::SeqCst);
}

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Peak {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        // SAFETY: `ptr` came from `alloc` above, i.e. from the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        // SAFETY: as for `dealloc`; the caller guarantees `new_size` is valid for `layout`.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        moved
    }
}

#[global_allocator]
static GLOBAL: Peak = Peak;

/// The most bytes live at once while `run` runs, beyond those live before it.
fn peak_of(run: impl FnOnce()) -> usize {
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    run();
    PEAK.load(Ordering::SeqCst).saturating_sub(before)
}

#[test]
fn no_hostile_body_holds_more_than_three_times_its_size() {
    let _alone = alone();
    let policy = cmfy_validate::Policy::default();
    let mut report = Vec::new();
    for (family, body) in hostile_bodies::families(1 << 20) {
        let first = peak_of(|| drop(cmfy_validate::validate(&body)));
        let all = peak_of(|| drop(cmfy_validate::validate_all(&body, &policy)));
        report.push(format!(
            "{family}: {:.2}x, {:.2}x",
            first as f64 / body.len() as f64,
            all as f64 / body.len() as f64
        ));
        assert!(
            first <= 3 * body.len(),
            "{family}: validate held {first} bytes for a {} byte body",
            body.len()
        );
        assert!(
            all <= 3 * body.len(),
            "{family}: validate_all held {all} bytes for a {} byte body",
            body.len()
        );
    }
    println!("{}", report.join("\n"));
}

#[path = "../benches/fixtures.rs"]
mod fixtures;

/// The bytes live after `run`, beyond those live before it (what it keeps).
fn kept_by<T>(run: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Ordering::SeqCst);
    let value = run();
    (LIVE.load(Ordering::SeqCst).saturating_sub(before), value)
}

#[test]
fn a_catalogue_holds_less_than_twice_its_snapshot() {
    let _alone = alone();
    let snapshot = fixtures::object_info(8 << 20, 5);
    let (kept, catalogue) =
        kept_by(|| cmfy_validate::catalogue::Catalogue::from_object_info(&snapshot));
    let catalogue = catalogue.expect("the generated snapshot loads");
    let ratio = kept as f64 / snapshot.len() as f64;
    println!(
        "{} classes, {} bytes of snapshot, {kept} bytes kept: {ratio:.2}x",
        catalogue.len(),
        snapshot.len()
    );
    assert!(kept <= 2 * snapshot.len(), "{ratio:.2}x");
    let peak = peak_of(|| {
        drop(cmfy_validate::catalogue::Catalogue::from_object_info(
            &snapshot,
        ))
    });
    println!(
        "peak while loading: {:.2}x",
        peak as f64 / snapshot.len() as f64
    );
    assert!(
        peak <= 2 * snapshot.len(),
        "peak {:.2}x",
        peak as f64 / snapshot.len() as f64
    );
}

/// The real installs of `../shared/catalogue`: the model and the suggestion indexes together
/// hold less than twice the snapshot (the indexes at most half of it), and loading peaks below
/// twice it.
#[test]
fn a_real_install_holds_less_than_twice_its_snapshot() {
    let _alone = alone();
    let snapshots: Vec<(String, Vec<u8>)> = fixtures::shared_object_infos()
        .into_iter()
        .filter(|(_, bytes)| bytes.len() > 1 << 20)
        .collect();
    if snapshots.is_empty() {
        assert!(
            std::env::var_os("CMFY_REQUIRE_SHARED").is_none_or(|v| v != "1"),
            "the real installs: ../shared is absent and CMFY_REQUIRE_SHARED=1"
        );
        eprintln!("SKIPPED the real installs' memory: ../shared is absent (see the README)");
        return;
    }
    for (name, snapshot) in &snapshots {
        let (kept, catalogue) =
            kept_by(|| cmfy_validate::catalogue::Catalogue::from_object_info(snapshot));
        let catalogue = catalogue.expect("a real install loads");
        let ratio = kept as f64 / snapshot.len() as f64;
        println!(
            "{name}: {} classes, {kept} bytes kept: {ratio:.2}x",
            catalogue.len()
        );
        assert!(kept <= 2 * snapshot.len(), "{name}: {ratio:.2}x");
        drop(catalogue);
        let peak = peak_of(|| {
            drop(cmfy_validate::catalogue::Catalogue::from_object_info(
                snapshot,
            ))
        });
        assert!(peak <= 2 * snapshot.len(), "{name}: peak {peak}");
    }
}
