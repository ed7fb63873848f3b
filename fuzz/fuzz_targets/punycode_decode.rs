//! The punycode decoder of the URL fast path decodes any string as the `idna` crate's decoder
//! (the URL parser's) decodes it, or refuses it as that refuses it; its scan, which does not put
//! the characters in order, finds the same characters inserted and the same first character.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (decoded, scanned) = cmfy_validate::__punycode_decode(text.as_bytes());
    let expected = idna::punycode::decode(text);
    assert_eq!(decoded.as_ref().map(|(label, _)| label), expected.as_ref(), "{text:?}");
    let Some((label, inserted)) = decoded else {
        assert_eq!(scanned, None, "{text:?}: refused decoded, taken scanned");
        return;
    };
    let mut distinct: Vec<char> = label.iter().copied().filter(|c| !c.is_ascii()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(inserted, distinct, "{text:?}");
    assert_eq!(scanned, Some((inserted, label.first().copied())), "{text:?}");
    // And every label decoded encodes back to a string that decodes to it.
    if let Some(again) = idna::punycode::encode(&label) {
        let (decoded, _) = cmfy_validate::__punycode_decode(again.as_bytes());
        assert_eq!(decoded.map(|(label, _)| label), Some(label), "{text:?} / {again:?}");
    }
});
