//! Every case of `../shared/conformance/cases.jsonl` gives its expected code.

use crate::common;

#[test]
fn every_shared_case_gives_its_expected_code() {
    let Some(shared) = common::shared_dir("the conformance cases") else {
        return;
    };
    let cases = common::conformance_cases(&shared);
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let got = common::outcome(&case.body);
            (got != case.expect)
                .then(|| format!("{}: expected {}, got {got}", case.name, case.expect))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
