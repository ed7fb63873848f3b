//! Arbitrary request bodies against a fixed catalogue: no panic, both layers agree between
//! `validate_with` and `validate_all`, and `check` agrees with the first problem of
//! `check_all` on every accepted request. The catalogue is the snapshot named by
//! `CMFY_FUZZ_CATALOGUE` (`scripts/fuzz.sh` names the real 2,122-class install when
//! `../shared` is there, so the suggestion index is fuzzed at real scale), else the repo's
//! example.
#![no_main]

use std::sync::{Arc, OnceLock};

use cmfy_validate::{Policy, validate, validate_all, validate_with, catalogue::Catalogue};
use libfuzzer_sys::fuzz_target;

fn catalogue() -> &'static Arc<Catalogue> {
    static CATALOGUE: OnceLock<Arc<Catalogue>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let snapshot = match std::env::var_os("CMFY_FUZZ_CATALOGUE") {
            Some(path) => std::fs::read(path).expect("CMFY_FUZZ_CATALOGUE names a readable file"),
            None => include_bytes!("../../examples/catalogue/object_info.json").to_vec(),
        };
        Arc::new(Catalogue::from_object_info(&snapshot).expect("the catalogue loads"))
    })
}

fuzz_target!(|data: &[u8]| {
    let policy = Policy::default().with_catalogue(catalogue().clone()).with_max_nodes(2_000);
    let first = validate_with(data, &policy).err();
    let all = validate_all(data, &policy).err().unwrap_or_default();
    assert_eq!(all.first(), first.as_ref());
    if let Ok(workflow) = validate(data) {
        let check = catalogue().check(&workflow).err();
        let check_all = catalogue().check_all(&workflow).err().unwrap_or_default();
        assert_eq!(check_all.first(), check.as_ref());
        let _ = catalogue().node_errors(&workflow, &check_all);
    }
});
