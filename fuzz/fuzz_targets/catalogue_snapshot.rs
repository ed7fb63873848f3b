//! Arbitrary bytes as an `object_info` snapshot: a clear error or a catalogue, never a panic;
//! whatever loads checks a fixed workflow without panicking, and its collect-all form's first
//! problem equals `check`'s.
#![no_main]

use cmfy_validate::catalogue::Catalogue;
use libfuzzer_sys::fuzz_target;

const WORKFLOW: &[u8] = br#"{"prompt": {
  "1": {"class_type": "A", "inputs": {"x": 5, "y": ["2", 0], "z": "s", "w": {"__value__": [1, "a"]}}},
  "2": {"class_type": "B", "inputs": {"x": ["1", 1], "m": "k", "m.v": 3}},
  "3": {"class_type": "C", "inputs": {"x": ["9", 0], "y": [1, 2], "z": true, "w": null}}}}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(catalogue) = Catalogue::from_object_info(data) else { return };
    let workflow = cmfy_validate::validate(WORKFLOW).expect("the fixed workflow is valid");
    let first = catalogue.check(&workflow).err();
    let all = catalogue.check_all(&workflow).err().unwrap_or_default();
    assert_eq!(all.first(), first.as_ref());
    let _ = catalogue.node_errors(&workflow, &all);
    for name in catalogue.class_names() {
        let class = catalogue.class(name).expect("every listed class is there");
        for input in class.inputs() {
            let _ = (input.options(), input.min(), input.max(), input.type_name());
        }
    }
});
