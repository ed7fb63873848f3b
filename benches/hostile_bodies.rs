//! Request bodies built for the crate's constants rather than for a workflow: each family of
//! issue #14, and others built the same way, at any size. Shared by the `hostile` benchmark and
//! the memory test.

#![allow(dead_code)]

use std::fmt::Write;

/// One node whose inputs are `members` (JSON object members, comma-joined by the caller).
fn one_node(members: &str) -> String {
    format!(r#"{{"prompt": {{"1": {{"class_type": "A", "inputs": {{{members}}}}}}}}}"#)
}

/// `count` input members built by `member(i)`, as many as fit in about `size` bytes.
fn members_up_to(size: usize, member: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < size {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&member(i));
        i += 1;
    }
    out
}

/// Every family, by name, at about `size` bytes.
pub fn families(size: usize) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("idn-labels", idn_labels(size)),
        ("cjk-labels", cjk_labels(size)),
        ("fingerprint-keys", fingerprint_keys(size)),
        ("fingerprint-keys-64", fingerprint_keys_of(size, 64)),
        ("plain-look-alike-keys-64", look_alike_keys(size, 64)),
        ("filter-hits", filter_hits(size)),
        ("long-host-underscore", long_host(size)),
        ("validate-all-long-name", long_name_problems(size)),
        ("halfway-numbers", halfway_numbers(size)),
        ("short-escaped-keys", short_escaped_keys(size)),
        ("keys-31", many_key_objects(size, 31)),
        ("keys-33", many_key_objects(size, 33)),
        ("keys-64", many_key_objects(size, 64)),
        ("nesting-128", nesting(size)),
        ("escapes", escapes(size)),
        ("urls-mapped-idn-tabs", url_dense(size)),
        ("600-nodes-of-2000-inputs", wide_nodes(size)),
        ("tiny-nodes", tiny_nodes(size)),
        ("long-node-ids", long_ids(size)),
        ("estimate-fooled", fooled_estimate(size)),
        ("short-idn-labels", short_idn_labels(size)),
        ("ipv6-with-ipv4", ipv6_with_ipv4(size)),
        ("distinct-idn-labels", distinct_idn_labels(size)),
        ("upper-idn-labels", upper_idn_labels(size)),
        ("percent-idn-labels", percent_idn_labels(size)),
        ("bidi-labels", bidi_labels(size)),
        ("long-cjk-labels", long_cjk_labels(size)),
        ("long-upper-labels", long_upper_labels(size)),
        ("greek-extended-labels", greek_extended_labels(size)),
        ("marked-labels", marked_labels(size)),
        ("devanagari-labels", devanagari_labels(size)),
        ("thai-labels", thai_labels(size)),
        ("long-devanagari-labels", long_devanagari_labels(size)),
        (
            "private-greek-extended-hosts",
            private_greek_extended_hosts(size),
        ),
        ("decomposed-labels", decomposed_labels(size)),
        ("long-arabic-labels", long_arabic_labels(size)),
        ("unordered-marks", unordered_marks(size)),
        ("precomposed-marks", precomposed_marks(size)),
        ("jamo-labels", jamo_labels(size)),
        ("joiner-labels", joiner_labels(size)),
        ("ideographic-stop-hosts", ideographic_stop_hosts(size)),
        ("dot-segment-paths", dot_segment_paths(size)),
        ("long-user-names", long_user_names(size)),
        ("long-ports", long_ports(size)),
        ("long-schemes", long_schemes(size)),
        ("underscore-hosts", underscore_hosts(size)),
        ("trailing-dot-hosts", trailing_dot_hosts(size)),
        ("http-long-hosts", http_long_hosts(size)),
        ("zero-padded-ipv4", zero_padded_ipv4(size)),
        ("percent-ascii-hosts", percent_ascii_hosts(size)),
        ("punycode-labels", punycode_labels(size)),
        (
            "punycode-before-ascii",
            punycode_hosts(size, &format!("{}{}", "é".repeat(120), "a".repeat(120))),
        ),
        ("punycode-cjk-labels", punycode_hosts(size, &cjk_run(100))),
        (
            "punycode-cjk-reversed",
            punycode_hosts(size, &cjk_run(100).chars().rev().collect::<String>()),
        ),
        (
            "punycode-one-mark",
            punycode_hosts(size, &format!("{}\u{301}", "é".repeat(119))),
        ),
        (
            "punycode-jamo",
            punycode_hosts(size, &"\u{1161}".repeat(120)),
        ),
        (
            "punycode-accent-pairs",
            punycode_hosts(size, &"é\u{301}".repeat(60)),
        ),
        (
            "punycode-case-pairs",
            punycode_hosts(size, &lower_case_pairs()),
        ),
        (
            "punycode-far-cjk",
            punycode_hosts(size, &cjk_spaced(60, 200)),
        ),
        (
            "punycode-in-capitals",
            punycode_hosts_written(size, &"é\u{301}".repeat(60), |label| {
                [label.to_ascii_uppercase().as_str(); 4].join(".")
            }),
        ),
        (
            "punycode-right-to-left",
            punycode_hosts(size, &JOINING_ARABIC.repeat(3)),
        ),
        (
            "punycode-non-joiner",
            punycode_hosts(size, &"\u{1820}\u{200C}\u{1821}".repeat(30)),
        ),
        (
            "punycode-beside-unicode",
            punycode_hosts_written(size, &"é\u{301}".repeat(60), |label| {
                format!("{label}.{label}.{label}.ü")
            }),
        ),
        (
            "punycode-varied-accents",
            punycode_marked_letters(size, LETTERS_KEPT_BEFORE_ACUTE, '\u{301}'),
        ),
        (
            "punycode-greek-accents",
            punycode_marked_letters(size, GREEK_KEPT_BEFORE_ACUTE, '\u{301}'),
        ),
        (
            "punycode-marks-below",
            punycode_marked_letters(size, LETTERS_KEPT_BEFORE_DOT_BELOW, '\u{323}'),
        ),
        ("non-joiner-labels", non_joiner_labels(size)),
    ]
}

/// One URL a member, as many as fit in about `size` bytes (the URLs hold no character JSON
/// escapes).
fn urls_up_to(size: usize, url: impl Fn(usize) -> String) -> Vec<u8> {
    one_node(&members_up_to(size, |i| format!(r#""u{i}": "{}""#, url(i)))).into_bytes()
}

/// Four labels of 250 bytes: `h` and the URL's number, then `a_` (a byte the fast path of plain
/// names once refused).
fn long_labels_host(i: usize) -> String {
    let label = |k: usize| {
        let head = format!("h{i}x{k}");
        format!("{head}{}", "a_".repeat((250 - head.len()) / 2))
    };
    (0..4).map(label).collect::<Vec<_>>().join(".")
}

/// URLs behind an IPv4 host whose paths are 2 KB of `../` (a path the parser resolves a
/// segment at a time, though it cannot make the URL fail).
pub fn dot_segment_paths(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| {
        format!("https://8.8.{}.8/{}", i % 256, "../".repeat(700))
    })
}

/// URLs with a user name of 900 bytes.
pub fn long_user_names(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| {
        format!("https://{}{i}@example.com/", "a".repeat(900))
    })
}

/// URLs whose port is written with a thousand leading zeros.
pub fn long_ports(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| {
        format!("https://example.com:{}{}/", "0".repeat(1000), 1 + i % 9)
    })
}

/// URLs whose scheme is 2,000 letters (`insecure_url`, but the walk must go on).
pub fn long_schemes(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| format!("{}{i}://x/", "a".repeat(2000)))
}

/// URLs whose hosts are four labels of 250 bytes with underscores.
pub fn underscore_hosts(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| format!("https://{}/", long_labels_host(i)))
}

/// As [`underscore_hosts`], with a trailing dot (which the host rules strip before judging).
pub fn trailing_dot_hosts(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| format!("https://{}./", long_labels_host(i)))
}

/// As [`underscore_hosts`], with a port, a user name and the scheme `http` (`insecure_url`).
pub fn http_long_hosts(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| {
        format!("http://u:p@{}:8080/", long_labels_host(i))
    })
}

/// IPv4 hosts of four numbers of 250 digits: octal, as the leading zeros make them.
pub fn zero_padded_ipv4(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| {
        let number = |n: usize| {
            let octal = format!("{n:o}");
            format!("{}{octal}", "0".repeat(250 - octal.len()))
        };
        let numbers = [8, 8, i % 256, 1 + i % 200];
        format!("https://{}/", numbers.map(number).join("."))
    })
}

/// Hosts of four labels of 80 percent-encoded ASCII letters and underscores.
pub fn percent_ascii_hosts(size: usize) -> Vec<u8> {
    urls_up_to(size, |i| {
        let label = |k: usize| format!("h{i}x{k}{}", "%61%5F".repeat(40));
        format!(
            "https://{}/",
            (0..4).map(label).collect::<Vec<_>>().join(".")
        )
    })
}

/// Hosts of four punycode labels (`xn--`) of 120 to 130 bytes, each decoding to 120 characters,
/// which the URL parser decodes and validates.
pub fn punycode_labels(size: usize) -> Vec<u8> {
    // The punycode of 120 `é` (a fixed label: the encoding is written here, not computed).
    let label = format!("xn--{}", "9ca".to_owned() + &"a".repeat(119));
    urls_up_to(size, |i| {
        format!("https://h{i}.{label}.{label}.{label}.{label}/")
    })
}

/// Hosts of four copies of `label` in punycode (`xn--`, encoded by the `idna` crate), after
/// `h` and the URL's number: the label shapes that cost a punycode decoder most (characters
/// inserted before the ASCII ones or in the reverse of their code points, a new code point
/// each character, marks and jamo that need their neighbours).
fn punycode_hosts(size: usize, label: &str) -> Vec<u8> {
    punycode_hosts_written(size, label, |label| [label; 4].join("."))
}

/// Hosts of `label` in punycode, written as `labels` writes it, after `h` and the URL's
/// number.
fn punycode_hosts_written(size: usize, label: &str, labels: impl Fn(&str) -> String) -> Vec<u8> {
    let labels = labels(&punycode(label));
    urls_up_to(size, |i| format!("https://h{i}.{labels}/"))
}

/// `label` in punycode, with its `xn--`.
fn punycode(label: &str) -> String {
    let encoded = idna::punycode::encode_str(label).expect("a label of a few hundred characters");
    format!("xn--{encoded}")
}

/// Arabic letters that join on both sides.
const JOINING_ARABIC: &str = "بتثجحخسشصضطظعغفقكلمنهي";

/// Latin letters after which an acute accent composes into nothing (IDNA keeps the two).
const LETTERS_KEPT_BEFORE_ACUTE: &str =
    "àáãäèéëìíîðñòóöùúûýþÿāąćĉċčďđĕėęěĝğġģĥħĩīĭįıĵķĸĺļľłńņňŋŏőœŕŗřśŝşšţťŧūŭůűųŵŷźżž";

/// Greek letters with accents, most with a breathing too (a letter that decomposes into one
/// that decomposes again), after which an acute accent composes into nothing.
const GREEK_KEPT_BEFORE_ACUTE: &str =
    "ἂἃἄἅἆἇἒἓἔἕἢἣἤἥἦἧἲἳἴἵἶἷὂὃὄὅὒὓὔὕὖὗὢὣὤὥὦὧὰὲὴὶὸὺὼᾰᾱᾶῆῐῑῒῖῗῠῡῢῤῥῦῧῶ";

/// Latin letters, most of them precomposed, after which a dot below composes into nothing (into
/// the Vietnamese ones it goes, before their last accent, and is kept beside their base).
const LETTERS_KEPT_BEFORE_DOT_BELOW: &str = "ßæçðøþąćĉċčđęĝğġģħįıĵķĸļłņŋœŗşţŧųƀƃƅƈƌƍƒƕƙƚƛƞƣƥƨƪƫƭƴƶƹƺƽƾƿǝǣǥǧǫǭǯǰǵǽǿșțȝȡȣȥȩȴȵȶȷȸȹȼȿɀɂɇɉɋɍɏḁḅḇḉḍḏḑḓḙḛḝḟḡḥḩḫḭḳḵḷḹḻḽṃṇṉṋṕṗṛṝṟṣṩṭṯṱṳṵṷṿẉẋẍẓẕẖẜẝẟạậặẹệịọộợụựỵỻỽỿ";

/// URLs of four punycode labels of 60 letters of `letters` picked anew for each, each followed
/// by `mark`: a new pair of a letter and a mark at nearly every character.
fn punycode_marked_letters(size: usize, letters: &str, mark: char) -> Vec<u8> {
    let letters: Vec<char> = letters.chars().collect();
    labelled_hosts(size, 4, |i, k| {
        let label: String = picked_label(&letters, i, k, 60)
            .chars()
            .flat_map(|c| [c, mark])
            .collect();
        punycode(&label)
    })
}

/// URLs of three labels of 20 Arabic letters picked anew for each, a zero width non-joiner
/// between every two (which IDNA allows between letters that join).
pub fn non_joiner_labels(size: usize) -> Vec<u8> {
    let letters: Vec<char> = JOINING_ARABIC.chars().collect();
    labelled_hosts(size, 3, |i, k| {
        let label: Vec<String> = picked_label(&letters, i, k, 20)
            .chars()
            .map(String::from)
            .collect();
        label.join("\u{200C}")
    })
}

/// `count` consecutive CJK ideographs, from U+4E00.
fn cjk_run(count: u32) -> String {
    cjk_spaced(count, 1)
}

/// `count` CJK ideographs `apart` code points from each other, in order: each a number of
/// three digits when `apart` is a few hundred, each a division of the decoder's.
fn cjk_spaced(count: u32, apart: u32) -> String {
    (0..count)
        .filter_map(|k| char::from_u32(0x4E00 + k * apart))
        .collect()
}

/// The 47 lower-case letters of Latin Extended-A's case pairs (`ā`, `ă`, `ą`, ...), each once,
/// in order: every other code point, each settled by its own lookup in a table entry that
/// maps its other halves to something else.
fn lower_case_pairs() -> String {
    (0x101..0x130)
        .chain(0x14B..0x178)
        .filter(|code| code % 2 == 1)
        .filter_map(char::from_u32)
        .collect()
}

/// URLs whose hosts are 7 labels of 1,000 `é` each (punycode is quadratic per label).
pub fn idn_labels(size: usize) -> Vec<u8> {
    let host = vec!["é".repeat(1000); 7].join(".");
    one_node(&members_up_to(size, |i| {
        format!(r#""u{i}": "https://{host}/m""#)
    }))
    .into_bytes()
}

/// URLs whose hosts are 4 labels of 1,000 distinct CJK characters.
pub fn cjk_labels(size: usize) -> Vec<u8> {
    let label = |k: u32| {
        (0..1000)
            .filter_map(|i| char::from_u32(0x4E00 + k * 1000 + i))
            .collect::<String>()
    };
    let host = (0..4).map(label).collect::<Vec<_>>().join(".");
    one_node(&members_up_to(size, |i| {
        format!(r#""u{i}": "https://{host}/m""#)
    }))
    .into_bytes()
}

/// Objects of 32 keys of about 1 KB, escaped, sharing one fingerprint (length, first and last
/// byte).
pub fn fingerprint_keys(size: usize) -> Vec<u8> {
    fingerprint_keys_of(size, 32)
}

/// As [`fingerprint_keys`], with `count` keys an object: 64 fills the linear scan of an object's
/// keys to its limit.
pub fn fingerprint_keys_of(size: usize, count: usize) -> Vec<u8> {
    let object = |o: usize| {
        let keys: Vec<String> = (0..count)
            .map(|k| format!(r#""\u0061{:0>1000}\u0061": {o}"#, k))
            .collect();
        format!("{{{}}}", keys.join(","))
    };
    one_node(&members_up_to(size, |i| {
        format!(r#""o{i}": {}"#, object(i))
    }))
    .into_bytes()
}

/// One URL whose host is `size` bytes of `A` and a `_`.
pub fn long_host(size: usize) -> Vec<u8> {
    one_node(&format!(r#""u": "https://{}_/m""#, "A".repeat(size))).into_bytes()
}

/// One input whose name is half the body, holding many `"http://a"` problems.
pub fn long_name_problems(size: usize) -> Vec<u8> {
    let name = "n".repeat(size / 2);
    let items = members_up_to(size / 2, |_| r#""http://a""#.to_owned());
    one_node(&format!(r#""{name}": [{items}]"#)).into_bytes()
}

/// Numbers exactly halfway between two doubles, near 1e300 (the slow path of a float parse).
pub fn halfway_numbers(size: usize) -> Vec<u8> {
    let digits = format!(
        "8.98846567431157953864652595394512366808988489471153286367150405788663379027504815663542386612037680105600569399356966788293948844072083112464237153197370621888839467124327426381511098006230470597265414760425028844190753411712314747660{}",
        "0".repeat(200)
    );
    one_node(&members_up_to(size, |i| {
        format!(r#""n{i}": {digits}1e{}"#, 300 - (i % 5))
    }))
    .into_bytes()
}

/// One object of short escaped keys (`"\tNNN"`).
pub fn short_escaped_keys(size: usize) -> Vec<u8> {
    one_node(&members_up_to(size, |i| format!(r#""\t{i}": 0"#))).into_bytes()
}

/// Objects of exactly `keys` keys (around the linear scan's limit of 24 and its mask's 64
/// bits), keys that look alike.
pub fn many_key_objects(size: usize, keys: usize) -> Vec<u8> {
    let object = |o: usize| {
        let members: Vec<String> = (0..keys)
            .map(|k| format!(r#""input_{k:03}": {o}"#))
            .collect();
        format!("{{{}}}", members.join(","))
    };
    one_node(&members_up_to(size, |i| {
        format!(r#""o{i}": {}"#, object(i))
    }))
    .into_bytes()
}

/// Values nested as deep as serde_json's own limit lets it read them (120 levels in all; the
/// contract allows 128), repeated.
pub fn nesting(size: usize) -> Vec<u8> {
    // The body, prompt, node and inputs take 4 levels.
    let deep = format!("{}1{}", "[".repeat(116), "]".repeat(116));
    one_node(&members_up_to(size, |i| format!(r#""d{i}": {deep}"#))).into_bytes()
}

/// Strings with escapes of every kind, keys and values.
pub fn escapes(size: usize) -> Vec<u8> {
    let value = r#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\u0041 plain""#;
    one_node(&members_up_to(size, |i| {
        format!(r#""\u0065{i}\n": {value}"#)
    }))
    .into_bytes()
}

/// URLs of every hard kind: IPv4-mapped IPv6, IDN, tab-escaped schemes, percent-encoded hosts.
pub fn url_dense(size: usize) -> Vec<u8> {
    let urls = [
        r#""https://[::ffff:8.8.8.8]/m""#,
        r#""https://bücher.example/m""#,
        r#""ht\ttps://example.com/m""#,
        r#""https://%65xample.com/m""#,
        r#""https://ｅｘａｍｐｌｅ.com/m""#,
        r#""https://example.com./m""#,
    ];
    one_node(&members_up_to(size, |i| {
        format!(r#""u{i}": {}"#, urls[i % urls.len()])
    }))
    .into_bytes()
}

/// 600 nodes of 2,000 inputs each (past the node limit), cut to about `size` bytes.
pub fn wide_nodes(size: usize) -> Vec<u8> {
    let per_node = (size / 600).max(20);
    let inputs = members_up_to(per_node, |k| format!(r#""i{k}": {k}"#));
    let mut out = String::from(r#"{"prompt": {"#);
    for n in 0..600 {
        if n > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            r#""{n}": {{"class_type": "A", "inputs": {{{inputs}}}}}"#
        );
    }
    out.push_str("}}");
    out.into_bytes()
}

/// As many tiny nodes as fit (a million at 40 MB; far past the node limit).
pub fn tiny_nodes(size: usize) -> Vec<u8> {
    let mut out = String::from(r#"{"prompt": {"#);
    let mut n = 0;
    while out.len() < size {
        if n > 0 {
            out.push(',');
        }
        let _ = write!(out, r#""{n}":{{}}"#);
        n += 1;
    }
    out.push_str("}}");
    out.into_bytes()
}

/// 400 nodes whose ids are long (a quarter of the body over them), each with a problem.
pub fn long_ids(size: usize) -> Vec<u8> {
    let id_len = (size / 4 / 400).max(1);
    let mut out = String::from(r#"{"prompt": {"#);
    for n in 0..400 {
        if n > 0 {
            out.push(',');
        }
        let id = format!("{n:0>id_len$}");
        let _ = write!(
            out,
            r#""{id}": {{"class_type": " ", "inputs": {{"u": "http://{n}.example", "t": "{}"}}}}"#,
            "x".repeat(id_len * 2)
        );
    }
    out.push_str("}}");
    out.into_bytes()
}

/// 64 tiny nodes, which make the early count expect far more than the limit, then one node
/// holding the rest of the body: within the limit, so every node must be judged, once.
pub fn fooled_estimate(size: usize) -> Vec<u8> {
    let mut out = String::from(r#"{"prompt": {"#);
    for n in 0..64 {
        let _ = write!(out, r#""{n}": {{"class_type": "A", "inputs": {{}}}}, "#);
    }
    let inputs = members_up_to(size, |k| format!(r#""i{k}": [{k}, "a,]}}"]"#));
    let _ = write!(
        out,
        r#""last": {{"class_type": "A", "inputs": {{{inputs}}}}}}}}}"#
    );
    out.into_bytes()
}

/// URLs whose hosts are many short internationalized labels (a few non-ASCII characters
/// each): every label goes through IDNA mapping and punycode, at the cost of its own setup.
pub fn short_idn_labels(size: usize) -> Vec<u8> {
    let labels = [
        "bücher",
        "münchen",
        "café",
        "naïve",
        "straße",
        "ελλάδα",
        "日本",
        "한국",
    ];
    labelled_hosts(size, 12, |i, k| labels[(i + k) % labels.len()].to_owned())
}

/// `count` characters of `alphabet`, picked by a hash of `(i, k)`: labels that differ from URL to
/// URL, so that nothing a request could remember of one host helps with the next.
fn picked_label(alphabet: &[char], i: usize, k: usize, count: usize) -> String {
    (0..count)
        .map(|c| {
            let h = (i * 12 + k) * 8 + c;
            let h = (h as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            alphabet[h as usize % alphabet.len()]
        })
        .collect()
}

/// URLs `https://{labels}.example/m` of `count` labels, label `k` of URL `i` made by `label(i, k)`.
fn labelled_hosts(size: usize, count: usize, label: impl Fn(usize, usize) -> String) -> Vec<u8> {
    one_node(&members_up_to(size, |i| {
        let host: Vec<String> = (0..count).map(|k| label(i, k)).collect();
        format!(r#""u{i}": "https://{}.example/m""#, host.join("."))
    }))
    .into_bytes()
}

/// URLs of `count` labels of `length` characters of `alphabet`, picked anew for each URL.
fn picked_hosts(size: usize, alphabet: &str, count: usize, length: usize) -> Vec<u8> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    labelled_hosts(size, count, |i, k| picked_label(&alphabet, i, k, length))
}

/// Upper-case letters of Latin, Greek and Cyrillic, each mapped to lower case by IDNA.
const UPPER_LETTERS: &str = "ÄÖÜÉÈÊÀÇÑØÅÆŒŁŚŽΑΒΓΔΕΖΗΘΛΜΠΣΤΩАБВГДЖЗКЛМНПРСТЯ";

/// 3,000 CJK ideographs: every seventh from U+4E00.
fn cjk_ideographs() -> String {
    (0..3000)
        .filter_map(|i| char::from_u32(0x4E00 + i * 7))
        .collect()
}

/// URLs of twelve short labels of lower-case letters of several scripts, picked anew for each URL.
pub fn distinct_idn_labels(size: usize) -> Vec<u8> {
    let alphabet = "äöüßéèçñøåæœłśžαβγδεζηθλμπστωабвгджзклмнпрстя日本語中文한국어";
    picked_hosts(size, alphabet, 12, 4)
}

/// URLs of twelve labels of upper-case non-ASCII letters: each one mapped to lower case by IDNA.
pub fn upper_idn_labels(size: usize) -> Vec<u8> {
    picked_hosts(size, UPPER_LETTERS, 12, 4)
}

/// URLs of eight labels of three non-ASCII letters, every byte percent-encoded: cheap to read as
/// JSON (ASCII), decoded and then mapped by the URL parser.
pub fn percent_idn_labels(size: usize) -> Vec<u8> {
    let alphabet: Vec<char> = "äöüéèçñøåæœłśžαβγδεζηθабвгджзк".chars().collect();
    labelled_hosts(size, 8, |i, k| {
        let label = picked_label(&alphabet, i, k, 3);
        label.bytes().map(|b| format!("%{b:02X}")).collect()
    })
}

/// URLs of twelve right-to-left labels, Hebrew and Arabic in turn: IDNA's bidi rule is checked
/// across the whole host, each label mapped a second time for it.
pub fn bidi_labels(size: usize) -> Vec<u8> {
    let hebrew: Vec<char> = "אבגדהוזחטיכלמנסעפצקרשת".chars().collect();
    let arabic: Vec<char> = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي".chars().collect();
    labelled_hosts(size, 12, |i, k| {
        picked_label(if k % 2 == 0 { &arabic } else { &hebrew }, i, k, 4)
    })
}

/// URLs of two labels of 120 Arabic letters (240 bytes): the bidi rule looks up the class of
/// every character.
pub fn long_arabic_labels(size: usize) -> Vec<u8> {
    picked_hosts(size, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", 2, 120)
}

/// URLs of three labels of 80 CJK characters (240 bytes, near the contract's 256) picked from
/// 3,000: punycode goes through a label once for each distinct character in it.
pub fn long_cjk_labels(size: usize) -> Vec<u8> {
    picked_hosts(size, &cjk_ideographs(), 3, 80)
}

/// URLs of two labels of 120 upper-case letters of Latin, Greek and Cyrillic (240 bytes), each
/// mapped to lower case.
pub fn long_upper_labels(size: usize) -> Vec<u8> {
    picked_hosts(size, UPPER_LETTERS, 2, 120)
}

/// Greek Extended capitals with prosgegrammeni: each maps to two characters.
const GREEK_EXTENDED: &str = "ᾈᾉᾊᾋᾌᾍᾎᾏᾘᾙᾚᾛᾜᾝᾞᾟᾨᾩᾪᾫᾬᾭᾮᾯ";

/// URLs of three labels of 80 Greek Extended capitals with prosgegrammeni (240 bytes), each
/// mapped to two characters, one of them precomposed.
pub fn greek_extended_labels(size: usize) -> Vec<u8> {
    picked_hosts(size, GREEK_EXTENDED, 3, 80)
}

/// URLs of twelve labels of four Latin letters, each followed by a combining accent it composes
/// with (the NFD form of `é`, `ü`, `ô`...): NFC composes each pair, so the parser decides.
pub fn decomposed_labels(size: usize) -> Vec<u8> {
    let letters: Vec<char> = "aeiouncyz".chars().collect();
    let accents = ['\u{301}', '\u{300}', '\u{302}', '\u{308}', '\u{303}'];
    labelled_hosts(size, 12, |i, k| {
        picked_label(&letters, i, k, 4)
            .chars()
            .enumerate()
            .flat_map(|(n, c)| [c, accents[(i + k + n) % accents.len()]])
            .collect()
    })
}

/// URLs of three labels of 48 Latin letters, each followed by an acute accent (class 230) and a
/// dot below (220): NFC puts the two in order, then composes the dot with the letter.
pub fn unordered_marks(size: usize) -> Vec<u8> {
    letters_with_marks(
        size,
        "abcdefghijklmnopqrstuvwxyz",
        48,
        &['\u{301}', '\u{323}'],
    )
}

/// URLs of three labels of 60 precomposed Latin letters, each followed by a dot below: NFC
/// decomposes each letter to put the dot before its accent.
pub fn precomposed_marks(size: usize) -> Vec<u8> {
    letters_with_marks(size, "àáâãäèéêëìíîïòóôõöùúûüāēīōūăĕĭŏŭ", 60, &['\u{323}'])
}

/// URLs of three labels of `length` letters picked from `letters`, each followed by `marks`.
fn letters_with_marks(size: usize, letters: &str, length: usize, marks: &[char]) -> Vec<u8> {
    let letters: Vec<char> = letters.chars().collect();
    labelled_hosts(size, 3, |i, k| {
        picked_label(&letters, i, k, length)
            .chars()
            .flat_map(|c| std::iter::once(c).chain(marks.iter().copied()))
            .collect()
    })
}

/// URLs of three labels of 40 Hangul syllables written in conjoining jamo, an initial consonant
/// and a vowel each: NFC composes every pair.
pub fn jamo_labels(size: usize) -> Vec<u8> {
    let initials: Vec<char> = ('\u{1100}'..='\u{1112}').collect();
    let vowels: Vec<char> = ('\u{1161}'..='\u{1175}').collect();
    labelled_hosts(size, 3, |i, k| {
        let initial = picked_label(&initials, i, k, 40);
        let vowel = picked_label(&vowels, i, k + 3, 40);
        initial
            .chars()
            .zip(vowel.chars())
            .flat_map(|(l, v)| [l, v])
            .collect()
    })
}

/// URLs of three labels of 20 Devanagari conjuncts written with a zero width joiner after the
/// virama (क्‍ष): the joiner is allowed only there.
pub fn joiner_labels(size: usize) -> Vec<u8> {
    let consonants: Vec<char> = ('\u{915}'..='\u{939}').collect();
    labelled_hosts(size, 3, |i, k| {
        picked_label(&consonants, i, k, 20)
            .chars()
            .flat_map(|c| [c, '\u{94D}', '\u{200D}', '\u{937}'])
            .collect()
    })
}

/// URLs whose two labels of 20 Latin letters with accents are split by ideographic full stops,
/// which UTS #46 maps to `.`.
pub fn ideographic_stop_hosts(size: usize) -> Vec<u8> {
    let letters: Vec<char> = "äöüéèçñøåæœłśžáíóú".chars().collect();
    labelled_hosts(size, 1, |i, _| {
        let (first, second) = (
            picked_label(&letters, i, 0, 20),
            picked_label(&letters, i, 1, 20),
        );
        format!("{first}\u{3002}{second}")
    })
}

/// URLs whose hosts are one label of 80 Greek Extended capitals (240 bytes), so private: every
/// URL is a problem, and its host is named in the error, so `validate_all` encodes every one.
pub fn private_greek_extended_hosts(size: usize) -> Vec<u8> {
    let alphabet: Vec<char> = GREEK_EXTENDED.chars().collect();
    one_node(&members_up_to(size, |i| {
        format!(
            r#""u{i}": "https://{}/m""#,
            picked_label(&alphabet, i, 0, 80)
        )
    }))
    .into_bytes()
}

/// URLs of three labels of 48 CJK characters each followed by a combining acute accent (240
/// bytes): a mark needs normalization in context, so these hosts go to the URL parser.
pub fn marked_labels(size: usize) -> Vec<u8> {
    let alphabet: Vec<char> = cjk_ideographs().chars().collect();
    labelled_hosts(size, 3, |i, k| {
        picked_label(&alphabet, i, k, 48)
            .chars()
            .flat_map(|c| [c, '\u{301}'])
            .collect()
    })
}

/// Syllables of Devanagari: a consonant, then a vowel sign, the virama or nothing. Vowel signs
/// and the virama are marks (the virama of combining class 9).
fn devanagari_syllables() -> Vec<String> {
    let consonants =
        ('\u{915}'..='\u{939}').filter(|c| !matches!(c, '\u{929}' | '\u{931}' | '\u{934}'));
    let signs = [
        "", "\u{93E}", "\u{93F}", "\u{940}", "\u{941}", "\u{947}", "\u{94B}", "\u{94D}", "\u{902}",
    ];
    consonants
        .flat_map(|c| signs.iter().map(move |s| format!("{c}{s}")))
        .collect()
}

/// URLs of `count` labels of `length` syllables picked anew for each URL.
fn syllable_hosts(size: usize, syllables: &[String], count: usize, length: usize) -> Vec<u8> {
    let indices: Vec<char> = (0..syllables.len())
        .filter_map(|i| char::from_u32(0x100 + i as u32))
        .collect();
    labelled_hosts(size, count, |i, k| {
        picked_label(&indices, i, k, length)
            .chars()
            .map(|c| syllables[c as usize - 0x100].as_str())
            .collect()
    })
}

/// URLs of twelve labels of three Devanagari syllables (words of a Hindi host: vowel signs and
/// the virama are marks).
pub fn devanagari_labels(size: usize) -> Vec<u8> {
    syllable_hosts(size, &devanagari_syllables(), 12, 3)
}

/// URLs of three labels of 40 Devanagari syllables (about 200 bytes).
pub fn long_devanagari_labels(size: usize) -> Vec<u8> {
    syllable_hosts(size, &devanagari_syllables(), 3, 40)
}

/// URLs of twelve labels of four Thai syllables: a consonant, then a vowel or tone mark or
/// nothing (marks of combining class 0, 103 and 107).
pub fn thai_labels(size: usize) -> Vec<u8> {
    let consonants = '\u{E01}'..='\u{E2E}';
    let marks = [
        "",
        "\u{E31}",
        "\u{E34}",
        "\u{E35}",
        "\u{E38}",
        "\u{E48}",
        "\u{E49}",
        "\u{E38}\u{E48}",
    ];
    let syllables: Vec<String> = consonants
        .flat_map(|c| marks.iter().map(move |m| format!("{c}{m}")))
        .collect();
    syllable_hosts(size, &syllables, 12, 4)
}

/// URLs whose hosts are IPv6 literals with an embedded IPv4 address (mapped, NAT64 and
/// compatible forms), each read twice: as IPv6 and as the IPv4 inside.
pub fn ipv6_with_ipv4(size: usize) -> Vec<u8> {
    let forms = [
        "::ffff:{}",
        "64:ff9b::{}",
        "::{}",
        "2001:db8:1:2:3:4:{}",
        "::ffff:0:{}",
    ];
    one_node(&members_up_to(size, |i| {
        let v4 = format!(
            "{}.{}.{}.{}",
            1 + i % 223,
            i / 7 % 256,
            i / 11 % 256,
            i % 254 + 1
        );
        let host = forms[i % forms.len()].replace("{}", &v4);
        format!(r#""u{i}": "https://[{host}]/m""#)
    }))
    .into_bytes()
}

/// Objects of `count` unescaped keys of 1,002 bytes that share length, first and last byte
/// and differ only near the end: every pair is compared as text in the linear scan.
pub fn look_alike_keys(size: usize, count: usize) -> Vec<u8> {
    let object = |o: usize| {
        let keys: Vec<String> = (0..count)
            .map(|k| format!(r#""a{:0>1000}a": {o}"#, k))
            .collect();
        format!("{{{}}}", keys.join(","))
    };
    one_node(&members_up_to(size, |i| {
        format!(r#""o{i}": {}"#, object(i))
    }))
    .into_bytes()
}

/// The bits a key of sixteen bytes takes in the filter of an object past the linear scan: the
/// attacker's copy of `src/json/keys/wide.rs`'s unkeyed hash (public code), for that length.
/// Should the crate's hash change, these keys stop aiming at it and the family measures honest
/// look-alike keys instead.
fn filter_bits(key: &[u8; 16]) -> [usize; 2] {
    const K1: u64 = 0x517C_C1B7_2722_0A95;
    const K2: u64 = 0x9E37_79B9_7F4A_7C15;
    let [first, last] = [&key[..8], &key[8..]]
        .map(|half| u64::from_le_bytes(half.try_into().expect("eight bytes")));
    let first = (16u64.wrapping_mul(K2) ^ first).wrapping_mul(K1);
    let hash = (first ^ (first >> 32) ^ last).wrapping_mul(K2);
    let mixed = (hash ^ (hash >> 29)).wrapping_mul(K2);
    [(mixed >> 52) as usize, (mixed >> 40) as usize & 0xFFF]
}

/// Objects of 511 keys of sixteen bytes with one fingerprint (length, first and last byte),
/// aimed at the filter past the linear scan: the last 15 find both their bits taken, one short
/// of the hits that move an object to its keyed set, and 511 keys, one short of the count that
/// moves it at a hit, so each of the 15 is compared with every key before it, as text.
pub fn filter_hits(size: usize) -> Vec<u8> {
    let mut keys = Vec::new();
    let mut taken = std::collections::HashSet::new();
    let mut hits = 0;
    for i in 0u64.. {
        if keys.len() == 511 {
            break;
        }
        let key: [u8; 16] = format!("a{i:014}a")
            .into_bytes()
            .try_into()
            .expect("16 bytes");
        let bits = filter_bits(&key);
        let hit = bits.iter().all(|bit| taken.contains(bit));
        // The fresh keys first, then the hits.
        if keys.len() < 496 && !hit {
            taken.extend(bits);
            keys.push(key);
        } else if keys.len() >= 496 && hit && hits < 15 {
            hits += 1;
            keys.push(key);
        }
    }
    let object = |o: usize| {
        let members: Vec<String> = keys
            .iter()
            .map(|key| format!(r#""{}": {o}"#, String::from_utf8_lossy(key)))
            .collect();
        format!("{{{}}}", members.join(","))
    };
    one_node(&members_up_to(size, |i| {
        format!(r#""o{i}": {}"#, object(i))
    }))
    .into_bytes()
}
