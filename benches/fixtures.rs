//! Request bodies for benchmarks and allocation tests: the bundled example, real workflows from
//! `../shared/corpus` when present, and deterministic generated ones.

#![allow(dead_code)]

use std::fmt::Write;
use std::path::PathBuf;

/// A small deterministic generator (xorshift), so generated bodies are the same in every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const CLASSES: &[&str] = &[
    "KSampler",
    "CheckpointLoaderSimple",
    "CLIPTextEncode",
    "VAEDecode",
    "SaveImage",
    "LoadImage",
    "LoraLoader",
    "ControlNetApplyAdvanced",
    "EmptyLatentImage",
    "ImageScale",
];
const URLS: &[&str] = &[
    "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/resolve/main/sd_xl_base_1.0.safetensors",
    "https://civitai.com/api/download/models/142421?type=Model&format=SafeTensor&size=full&fp=fp16",
    "https://replicate.delivery/pbxt/KFNauNDOaImWQhgoxtVSVCvBg5nk32c2x6CdclmSOGm8m5e0/input.png",
    "https://raw.githubusercontent.com/lllyasviel/IC-Light/main/imgs/i3.png",
];
const TEXTS: &[&str] = &[
    "masterpiece, best quality, a photo of a cat sitting on a windowsill, golden hour, 85mm",
    "blurry, lowres, bad anatomy, worst quality, watermark",
    "sd_xl_base_1.0.safetensors",
    "euler_ancestral",
    "karras",
    "ComfyUI",
];

/// A valid API-format workflow (the `prompt` object) of `nodes` nodes with realistic inputs:
/// links to earlier nodes, prompts, file names, numbers, and a public https URL in about one
/// node in five. No string needs unescaping.
pub fn workflow(nodes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("{");
    for i in 1..=nodes {
        if i > 1 {
            out.push_str(", ");
        }
        let _ = write!(
            out,
            r#""{i}": {{"class_type": "{}", "inputs": {{"#,
            rng.pick(CLASSES)
        );
        let inputs = 4 + rng.below(7);
        for k in 0..inputs {
            if k > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, r#""input_{k}": "#);
            match rng.below(6) {
                0 if i > 1 => {
                    let _ = write!(out, r#"["{}", {}]"#, 1 + rng.below(i - 1), rng.below(3));
                }
                1 => {
                    let _ = write!(out, "{}", rng.below(1 << 31));
                }
                2 => {
                    let _ = write!(out, "{}.{}", rng.below(20), rng.below(100));
                }
                3 if k == 0 && rng.below(5) == 0 => {
                    let _ = write!(out, r#""{}""#, rng.pick(URLS));
                }
                4 => out.push_str(if rng.below(2) == 0 { "true" } else { "false" }),
                _ => {
                    let _ = write!(out, r#""{}""#, rng.pick(TEXTS));
                }
            }
        }
        let _ = write!(out, r#"}}, "_meta": {{"title": "Node {i}"}}}}"#);
    }
    out.push('}');
    out
}

/// `{"prompt": <workflow>}`.
pub fn request(workflow: &str) -> Vec<u8> {
    format!(r#"{{"prompt": {workflow}, "webhook_url": "https://example.com/hooks/cmfy"}}"#)
        .into_bytes()
}

/// One node whose only input is a `len`-byte base64-looking string.
pub fn long_string_request(len: usize) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data: String = (0..len)
        .map(|i| alphabet[(i * 7 + i / 64) % 64] as char)
        .collect();
    format!(r#"{{"prompt": {{"1": {{"class_type": "LoadImageBase64", "inputs": {{"image": "{data}"}}}}}}}}"#).into_bytes()
}

/// The API-format workflows of `../shared/corpus/api`, smallest first, or none if absent.
pub fn corpus_workflows() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/api");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&path).ok()?))
        })
        .collect();
    files.sort_by_key(|(name, bytes)| (bytes.len(), name.clone()));
    files
}

/// The bundled quickstart request.
pub fn quickstart() -> Vec<u8> {
    include_bytes!("../examples/requests/quickstart.json").to_vec()
}
