//! Request bodies for benchmarks and allocation tests: the bundled example, real workflows from
//! `../shared/corpus` when present, and deterministic generated ones.

#![allow(dead_code)]

use std::fmt::Write;
use std::path::PathBuf;

/// Where the shared material is: `CMFY_SHARED_DIR` when set (a copy of the tree elsewhere, as a
/// mutation run makes, still finds it), else `../shared` beside the crate.
pub fn shared_path() -> PathBuf {
    std::env::var_os("CMFY_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

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
    let dir = shared_path().join("corpus/api");
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

/// A `GET /object_info` snapshot of real-install shape and about `target_bytes` bytes: classes
/// of every input kind, and combos over long shared lists of file names (the checkpoints, LoRAs
/// and images a server holds, which make up most of a real snapshot). Deterministic.
pub fn object_info(target_bytes: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let list = |prefix: &str, n: usize, ext: &str| -> Vec<String> {
        (0..n)
            .map(|i| {
                format!(
                    "{prefix}/{prefix}_{i:05}_{:x}.{ext}",
                    i * 2_654_435_761 % 65_521
                )
            })
            .collect()
    };
    let lists = [
        list("checkpoints", 600, "safetensors"),
        list("loras", 3_000, "safetensors"),
        list("input", 8_000, "png"),
        list("upscale_models", 80, "pth"),
    ];
    let sockets = [
        "MODEL",
        "CLIP",
        "VAE",
        "CONDITIONING",
        "LATENT",
        "IMAGE",
        "MASK",
        "IMAGE,MASK",
        "*",
    ];
    let mut out = String::from("{");
    let mut class = 0usize;
    while out.len() < target_bytes {
        if class > 0 {
            out.push(',');
        }
        let mut inputs = Vec::new();
        for k in 0..2 + rng.below(12) {
            let spec = match rng.below(9) {
                0 => format!(r#"["INT", {{"default": 0, "min": 0, "max": {}, "step": 1, "tooltip": "A number."}}]"#, 1u64 << (rng.below(63))),
                1 => r#"["FLOAT", {"default": 1.0, "min": 0.0, "max": 100.0, "step": 0.01, "round": 0.001}]"#.to_owned(),
                2 => r#"["STRING", {"multiline": true, "dynamicPrompts": true, "tooltip": "The text."}]"#.to_owned(),
                3 => r#"["BOOLEAN", {"default": false}]"#.to_owned(),
                4 if rng.below(4) == 0 => {
                    let names = &lists[rng.below(lists.len())];
                    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                    format!(r#"[[{}], {{"tooltip": "The file to load."}}]"#, quoted.join(", "))
                }
                5 => r#"["COMBO", {"options": ["euler", "euler_ancestral", "heun", "dpmpp_2m", "dpmpp_2m_sde", "uni_pc"], "default": "euler"}]"#.to_owned(),
                _ => format!(r#"["{}", {{"tooltip": "An input."}}]"#, sockets[rng.below(sockets.len())]),
            };
            inputs.push(format!(r#""input_{k}": {spec}"#));
        }
        let outputs: Vec<String> = (0..rng.below(4))
            .map(|_| format!("\"{}\"", sockets[rng.below(sockets.len() - 1)]))
            .collect();
        let _ = write!(
            out,
            r#""Node{class}": {{"input": {{"required": {{{}}}, "hidden": {{"unique_id": "UNIQUE_ID"}}}}, "input_order": {{"required": []}}, "output": [{}], "output_is_list": [], "output_name": [], "name": "Node{class}", "display_name": "Node {class}", "description": "A generated class.", "python_module": "custom_nodes.generated", "category": "generated", "output_node": {}}}"#,
            inputs.join(", "),
            outputs.join(", "),
            rng.below(20) == 0
        );
        class += 1;
    }
    out.push('}');
    out.into_bytes()
}

/// A valid request of about `nodes` nodes for the example catalogue
/// (`examples/catalogue/object_info.json`): text-to-image pipelines of seven nodes each
/// (checkpoint, latent, two prompts, sampler, decoder, save), every input declared and fitting.
pub fn catalogue_request(nodes: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let samplers = ["euler", "euler_ancestral", "heun", "dpmpp_2m"];
    let schedulers = ["normal", "karras", "exponential"];
    let mut members = Vec::new();
    for group in 0..nodes.div_ceil(7) {
        let id = |k: usize| group * 7 + k + 1;
        let ckpt = if rng.below(2) == 0 {
            "sd15.safetensors"
        } else {
            "sdxl_base_1.0.safetensors"
        };
        members.push(format!(r#""{}": {{"class_type": "CheckpointLoaderSimple", "inputs": {{"ckpt_name": "{ckpt}"}}, "_meta": {{"title": "Load Checkpoint"}}}}"#, id(0)));
        members.push(format!(r#""{}": {{"class_type": "EmptyLatentImage", "inputs": {{"width": {}, "height": {}, "batch_size": 1}}}}"#, id(1), 512 + 64 * rng.below(8), 512 + 64 * rng.below(8)));
        for (k, text) in [(2, TEXTS[0]), (3, TEXTS[1])] {
            members.push(format!(r#""{}": {{"class_type": "CLIPTextEncode", "inputs": {{"text": "{text}", "clip": ["{}", 1]}}}}"#, id(k), id(0)));
        }
        members.push(format!(
            r#""{}": {{"class_type": "KSampler", "inputs": {{"model": ["{}", 0], "seed": {}, "steps": {}, "cfg": {}.5, "sampler_name": "{}", "scheduler": "{}", "positive": ["{}", 0], "negative": ["{}", 0], "latent_image": ["{}", 0], "denoise": 1.0}}}}"#,
            id(4), id(0), rng.next_u64(), 10 + rng.below(40), 3 + rng.below(8), rng.pick(&samplers), rng.pick(&schedulers), id(2), id(3), id(1)
        ));
        members.push(format!(r#""{}": {{"class_type": "VAEDecode", "inputs": {{"samples": ["{}", 0], "vae": ["{}", 2]}}}}"#, id(5), id(4), id(0)));
        members.push(format!(r#""{}": {{"class_type": "SaveImage", "inputs": {{"images": ["{}", 0], "filename_prefix": "run_{group}"}}}}"#, id(6), id(5)));
    }
    format!(r#"{{"prompt": {{{}}}}}"#, members.join(", ")).into_bytes()
}

/// The example catalogue's snapshot.
pub fn example_object_info() -> Vec<u8> {
    include_bytes!("../examples/catalogue/object_info.json").to_vec()
}

/// The snapshots of `../shared/catalogue`, by name, or none if absent.
pub fn shared_object_infos() -> Vec<(String, Vec<u8>)> {
    let dir = shared_path().join("catalogue");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "json").then_some(())?;
            let name = path.file_stem()?.to_string_lossy().into_owned();
            Some((name, std::fs::read(&path).ok()?))
        })
        .collect();
    files.sort();
    files
}

/// `{"prompt": ...}` of `count` nodes whose classes `class(i)` names (output-less, inputs
/// empty): for bodies of unknown classes.
pub fn nodes_of_classes(count: usize, class: impl Fn(usize) -> String) -> Vec<u8> {
    let members: Vec<String> = (0..count)
        .map(|i| {
            format!(
                r#""{}": {{"class_type": "{}", "inputs": {{}}}}"#,
                i + 1,
                class(i)
            )
        })
        .collect();
    format!(r#"{{"prompt": {{{}}}}}"#, members.join(", ")).into_bytes()
}

/// A snapshot of one output class whose one input is a combo of `count` file names that differ
/// in a few digits: the worst case of the suggestion index.
pub fn near_identical_options(count: usize) -> Vec<u8> {
    let options: Vec<String> = (0..count)
        .map(|i| format!(r#""checkpoints/model_v{i:05}_final_fp16.safetensors""#))
        .collect();
    format!(
        r#"{{"Loader": {{"input": {{"required": {{"ckpt_name": [[{}]]}}}}, "output": ["MODEL"], "output_node": true}}}}"#,
        options.join(", ")
    )
    .into_bytes()
}

/// `nodes` nodes of the class of [`near_identical_options`], each with a value near every
/// option but none of them, padded to at least 4 KiB.
pub fn near_identical_request(nodes: usize) -> Vec<u8> {
    let members: Vec<String> = (0..nodes)
        .map(|i| {
            format!(
                r#""{}": {{"class_type": "Loader", "inputs": {{"ckpt_name": "checkpoints/model_v{:05}_finl_fp16.safetensors"}}, "_meta": {{"title": "{}"}}}}"#,
                i + 1,
                i * 37 % 10_000,
                "x".repeat(4096 / nodes)
            )
        })
        .collect();
    format!(r#"{{"prompt": {{{}}}}}"#, members.join(", ")).into_bytes()
}

/// The two sides of a ratio, `ours` and `base`, timed in turns for the quick surveys of
/// `examples/`: each [`Beside::round`] times each side once, a run of about half a millisecond,
/// and the best of each is kept. On a shared machine a burst of noise (another guest, a change
/// of clock) then meets both sides of a ratio rather than one; a survey of many bodies runs its
/// rounds in passes over all of them, so that a burst meets each body in one round at most.
/// (Benchmarks use criterion.)
pub struct Beside {
    calls: u32,
    best: (f64, f64),
}

impl Beside {
    /// Ready to time a side that runs as long as `base`.
    pub fn new(mut base: impl FnMut() -> bool) -> Self {
        Beside {
            calls: calls_taking(&mut base, 500e-6),
            best: (f64::INFINITY, f64::INFINITY),
        }
    }

    /// Times each side once more.
    pub fn round(&mut self, mut ours: impl FnMut() -> bool, mut base: impl FnMut() -> bool) {
        let ours = time_calls(&mut ours, self.calls) / f64::from(self.calls);
        let base = time_calls(&mut base, self.calls) / f64::from(self.calls);
        self.best = (self.best.0.min(ours), self.best.1.min(base));
    }

    /// The best seconds per call of `ours` and of `base` so far.
    pub fn seconds(&self) -> (f64, f64) {
        self.best
    }
}

/// The fewest calls of `run`, a power of two, that take more than `seconds`.
fn calls_taking(run: &mut impl FnMut() -> bool, seconds: f64) -> u32 {
    let mut calls = 1u32;
    while calls < 1 << 30 && time_calls(run, calls) <= seconds {
        calls *= 2;
    }
    calls
}

/// Seconds `calls` calls of `run` take.
fn time_calls(run: &mut impl FnMut() -> bool, calls: u32) -> f64 {
    let start = std::time::Instant::now();
    (0..calls).for_each(|_| {
        std::hint::black_box(run());
    });
    start.elapsed().as_secs_f64()
}

/// Seconds per call of `ours` and of `base`, by 31 rounds of [`Beside`].
pub fn seconds_per_call_beside(
    mut ours: impl FnMut() -> bool,
    mut base: impl FnMut() -> bool,
) -> (f64, f64) {
    let mut beside = Beside::new(&mut base);
    for _ in 0..31 {
        beside.round(&mut ours, &mut base);
    }
    beside.seconds()
}

/// Seconds per call of `run`, for the quick surveys of `examples/`: the median of nine runs of
/// enough calls to take 3 ms. (Benchmarks use criterion.)
pub fn seconds_per_call(mut run: impl FnMut() -> bool) -> f64 {
    let calls = calls_taking(&mut run, 3e-3);
    let mut runs: Vec<f64> = (0..9)
        .map(|_| time_calls(&mut run, calls) / f64::from(calls))
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[4]
}
