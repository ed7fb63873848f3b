//! A request model for structure-aware fuzzing: nodes, ids, class types, inputs with links,
//! nested literals, URL-ish strings from scheme, host, port and path pieces (private hosts in
//! many spellings), a webhook or none, and sometimes a duplicate key or junk.

use std::fmt::Write;

use arbitrary::Arbitrary;

#[derive(Arbitrary, Debug)]
pub struct Request {
    prompt: Prompt,
    webhook: Option<Text>,
    webhook_first: bool,
    extra: Vec<(Text, Literal)>,
    duplicate: Option<Site>,
    junk: Option<Junk>,
    /// Bits choosing which characters are written as `\u` escapes.
    escapes: u32,
    spaces: bool,
}

#[derive(Arbitrary, Debug)]
enum Prompt {
    Missing,
    Other(Literal),
    Nodes(Vec<Node>),
    /// Many copies of a minimal node, to reach the node limit.
    Many(u16, Vec<Node>),
}

#[derive(Arbitrary, Debug)]
struct Node {
    id: Text,
    body: NodeBody,
}

#[derive(Arbitrary, Debug)]
enum NodeBody {
    NotObject(Literal),
    Object { class_type: Option<ClassType>, inputs: Option<Inputs>, meta: Option<Literal>, other: Option<(Text, Literal)> },
}

#[derive(Arbitrary, Debug)]
enum ClassType {
    Name(Text),
    Blank(u8),
    Other(Literal),
}

#[derive(Arbitrary, Debug)]
enum Inputs {
    Object(Vec<(Text, Literal)>),
    Other(Literal),
}

#[derive(Arbitrary, Debug)]
enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Float(i32, i16),
    Text(Text),
    Link(Text, u16),
    Array(Vec<Literal>),
    Object(Vec<(Text, Literal)>),
    Deep(u8),
}

#[derive(Arbitrary, Debug)]
enum Text {
    Plain(String),
    Word(u8),
    Url(Url),
}

#[derive(Arbitrary, Debug)]
struct Url {
    lead: u8,
    scheme: Scheme,
    slashes: u8,
    userinfo: bool,
    host: HostSpelling,
    port: Option<u16>,
    path: u8,
}

#[derive(Arbitrary, Debug)]
enum Scheme {
    Https,
    HttpsUpper,
    Http,
    Ftp,
    File,
    Ws,
    S3,
    Data,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum HostSpelling {
    Public(u8),
    Dotted(u32),
    Decimal(u32),
    Hex(u32),
    Octal(u32),
    Short(u32),
    Fullwidth(u32),
    TrailingDots(u32, u8),
    Ipv6(u128),
    Mapped(u32),
    Nat64(u32),
    Name(u8, u8),
    Raw(String),
}

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq)]
enum Site {
    Top,
    Prompt,
    Node,
    Inputs,
}

#[derive(Arbitrary, Debug)]
enum Junk {
    TrailingComma,
    TrailingText,
    Comment,
    Nan,
    Bom,
    LoneSurrogate,
    Huge,
}

const WORDS: &[&str] = &["prompt", "webhook_url", "class_type", "inputs", "_meta", "title", "1", "3", "128:71", "KSampler", "a cat", "C:\\m\\a.ckpt", "model.safetensors", "data:image/png;base64,AA", "a photo of https://x", " ", "", "\t", "\u{3000}"];
const NAMES: &[&str] = &["localhost", "x.localhost", "printer.local", "db.internal", "home.arpa", "a.home.arpa", "x.localdomain", "a.corp", "a.home", "metadata", "example.com", "huggingface.co", "127.0.0.1.nip.io", "ｌｏｃａｌｈｏｓｔ", "bücher.example", "xn--", "a..b", ".", "exa mple.com"];
const PUBLIC: &[&str] = &["huggingface.co", "example.com", "8.8.8.8", "[2606:4700::1111]", "civitai.com"];

struct Writer {
    out: String,
    escapes: u32,
    count: u32,
    spaces: bool,
}

impl Writer {
    fn string(&mut self, text: &str) {
        self.out.push('"');
        for c in text.chars() {
            self.count = self.count.wrapping_add(1);
            let escape = self.escapes.rotate_left(self.count % 32) & 1 == 1 && self.escapes != 0;
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                c if (c as u32) < 0x20 || (escape && (c as u32) < 0x10000) => {
                    let _ = write!(self.out, "\\u{:04x}", c as u32);
                }
                c if escape => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let _ = write!(self.out, "\\u{unit:04x}");
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn sep(&mut self) {
        self.out.push_str(if self.spaces { ", " } else { "," });
    }

    fn colon(&mut self) {
        self.out.push_str(if self.spaces { ": " } else { ":" });
    }

    fn object<T>(&mut self, items: &[T], mut member: impl FnMut(&mut Self, &T)) {
        self.out.push('{');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.sep();
            }
            member(self, item);
        }
        self.out.push('}');
    }

    fn key(&mut self, key: &str) {
        self.string(key);
        self.colon();
    }
}

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Plain(s) => s.clone(),
            Text::Word(i) => WORDS[*i as usize % WORDS.len()].to_owned(),
            Text::Url(url) => url.render(),
        }
    }
}

fn fullwidth(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap_or(c) } else { c }).collect()
}

impl HostSpelling {
    fn render(&self) -> String {
        let dotted = |ip: u32| std::net::Ipv4Addr::from(ip).to_string();
        match self {
            HostSpelling::Public(i) => PUBLIC[*i as usize % PUBLIC.len()].to_owned(),
            HostSpelling::Dotted(ip) => dotted(*ip),
            HostSpelling::Decimal(ip) => ip.to_string(),
            HostSpelling::Hex(ip) => format!("0x{ip:x}"),
            HostSpelling::Octal(ip) => format!("0{ip:o}"),
            HostSpelling::Short(ip) => format!("{}.{}", ip >> 24, ip & 0x00ff_ffff),
            HostSpelling::Fullwidth(ip) => fullwidth(&dotted(*ip)),
            HostSpelling::TrailingDots(ip, n) => format!("{}{}", dotted(*ip), ".".repeat(*n as usize % 4)),
            HostSpelling::Ipv6(ip) => format!("[{}]", std::net::Ipv6Addr::from(*ip)),
            HostSpelling::Mapped(ip) => format!("[::ffff:{}]", dotted(*ip)),
            HostSpelling::Nat64(ip) => format!("[64:ff9b::{}]", dotted(*ip)),
            HostSpelling::Name(i, dots) => format!("{}{}", NAMES[*i as usize % NAMES.len()], ".".repeat(*dots as usize % 3)),
            HostSpelling::Raw(s) => s.clone(),
        }
    }
}

impl Url {
    fn render(&self) -> String {
        let lead = [" ", "", "\t", "\u{0}", "\n ", ""][self.lead as usize % 6];
        let scheme = match &self.scheme {
            Scheme::Https => "https",
            Scheme::HttpsUpper => "HTTPS",
            Scheme::Http => "http",
            Scheme::Ftp => "ftp",
            Scheme::File => "file",
            Scheme::Ws => "ws",
            Scheme::S3 => "s3",
            Scheme::Data => "data",
            Scheme::Other(s) => s.as_str(),
        };
        let slashes = [":", "://", ":/", ":\\\\", ":///", "://"][self.slashes as usize % 6];
        let userinfo = if self.userinfo { "user:pw@" } else { "" };
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        let path = ["/", "/m.safetensors", "", "/a?b=c#d", "\\x", "/%2e%2e/"][self.path as usize % 6];
        format!("{lead}{scheme}{slashes}{userinfo}{}{port}{path}", self.host.render())
    }
}

impl Literal {
    fn write(&self, w: &mut Writer) {
        match self {
            Literal::Null => w.out.push_str("null"),
            Literal::Bool(b) => w.out.push_str(if *b { "true" } else { "false" }),
            Literal::Int(i) => {
                let _ = write!(w.out, "{i}");
            }
            Literal::Float(m, e) => {
                let _ = write!(w.out, "{m}.5e{}", e % 400);
            }
            Literal::Text(t) => w.string(&t.render()),
            Literal::Link(id, out) => {
                w.out.push('[');
                w.string(&id.render());
                w.sep();
                let _ = write!(w.out, "{out}]");
            }
            Literal::Array(items) => {
                w.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        w.sep();
                    }
                    item.write(w);
                }
                w.out.push(']');
            }
            Literal::Object(members) => w.object(members, |w, (k, v)| {
                w.key(&k.render());
                v.write(w);
            }),
            Literal::Deep(n) => {
                let n = 110 + (*n as usize % 30);
                w.out.push_str(&"[".repeat(n));
                w.out.push_str(&"]".repeat(n));
            }
        }
    }
}

impl Request {
    /// The request as a JSON body (valid or not, as the model says).
    pub fn to_json(&self) -> Vec<u8> {
        let mut w = Writer { out: String::new(), escapes: self.escapes, count: 0, spaces: self.spaces };
        let mut members: Vec<Box<dyn Fn(&mut Writer) + '_>> = Vec::new();
        let dup = self.duplicate;
        if !matches!(self.prompt, Prompt::Missing) {
            members.push(Box::new(move |w: &mut Writer| {
                w.key("prompt");
                self.write_prompt(w, dup);
            }));
        }
        if let Some(hook) = &self.webhook {
            let hook = move |w: &mut Writer| {
                w.key("webhook_url");
                w.string(&hook.render());
            };
            if self.webhook_first { members.insert(0, Box::new(hook)) } else { members.push(Box::new(hook)) }
        }
        for (k, v) in &self.extra {
            members.push(Box::new(move |w: &mut Writer| {
                w.key(&k.render());
                v.write(w);
            }));
        }
        if dup == Some(Site::Top) {
            members.push(Box::new(|w: &mut Writer| {
                w.key("prompt");
                w.out.push_str("{}");
            }));
        }
        w.object(&members, |w, member| member(w));
        let mut body = w.out.into_bytes();
        match self.junk {
            None => {}
            Some(Junk::TrailingComma) => body.splice(body.len().saturating_sub(1)..body.len().saturating_sub(1), *b",").for_each(drop),
            Some(Junk::TrailingText) => body.extend_from_slice(b" x"),
            Some(Junk::Comment) => body.extend_from_slice(b" /* c */"),
            Some(Junk::Nan) => body.splice(body.len().saturating_sub(1)..body.len().saturating_sub(1), *b",\"n\":NaN").for_each(drop),
            Some(Junk::Bom) => body.splice(0..0, [0xEF, 0xBB, 0xBF]).for_each(drop),
            Some(Junk::LoneSurrogate) => body.splice(body.len().saturating_sub(1)..body.len().saturating_sub(1), *b",\"s\":\"\\ud800\"").for_each(drop),
            Some(Junk::Huge) => body.splice(body.len().saturating_sub(1)..body.len().saturating_sub(1), *b",\"h\":1e400").for_each(drop),
        }
        body
    }

    fn write_prompt(&self, w: &mut Writer, dup: Option<Site>) {
        match &self.prompt {
            Prompt::Missing => w.out.push_str("null"),
            Prompt::Other(literal) => literal.write(w),
            Prompt::Nodes(nodes) => write_nodes(w, nodes, 0, dup),
            Prompt::Many(count, nodes) => write_nodes(w, nodes, 490 + *count as usize % 20, dup),
        }
    }
}

fn write_nodes(w: &mut Writer, nodes: &[Node], copies: usize, dup: Option<Site>) {
    w.out.push('{');
    let mut first = true;
    let mut comma = |w: &mut Writer| {
        if !first {
            w.sep();
        }
        first = false;
    };
    for i in 0..copies {
        comma(w);
        w.key(&format!("copy{i}"));
        w.out.push_str(r#"{"class_type":"A","inputs":{}}"#);
    }
    for node in nodes {
        comma(w);
        w.key(&node.id.render());
        node.body.write(w, dup);
    }
    if dup == Some(Site::Prompt) {
        if let Some(node) = nodes.first() {
            comma(w);
            w.key(&node.id.render());
            w.out.push_str("{}");
        }
    }
    w.out.push('}');
}

impl NodeBody {
    fn write(&self, w: &mut Writer, dup: Option<Site>) {
        let NodeBody::Object { class_type, inputs, meta, other } = self else {
            if let NodeBody::NotObject(literal) = self {
                literal.write(w);
            }
            return;
        };
        w.out.push('{');
        let mut first = true;
        let mut member = |w: &mut Writer, key: &str, write: &dyn Fn(&mut Writer)| {
            if !first {
                w.sep();
            }
            first = false;
            w.key(key);
            write(w);
        };
        if let Some(class_type) = class_type {
            member(w, "class_type", &|w: &mut Writer| match class_type {
                ClassType::Name(name) => w.string(&name.render()),
                ClassType::Blank(n) => w.string(&[" ", "\t", "\u{a0}", "\u{3000}", ""][*n as usize % 5].repeat(1 + *n as usize % 3)),
                ClassType::Other(literal) => literal.write(w),
            });
        }
        if let Some(inputs) = inputs {
            member(w, "inputs", &|w: &mut Writer| match inputs {
                Inputs::Object(members) => {
                    let mut all: Vec<(String, &Literal)> = members.iter().map(|(k, v)| (k.render(), v)).collect();
                    if dup == Some(Site::Inputs) {
                        if let Some((k, v)) = members.first() {
                            all.push((k.render(), v));
                        }
                    }
                    w.object(&all, |w, (k, v)| {
                        w.key(k);
                        v.write(w);
                    });
                }
                Inputs::Other(literal) => literal.write(w),
            });
        }
        if let Some(meta) = meta {
            member(w, "_meta", &|w: &mut Writer| meta.write(w));
        }
        if let Some((key, value)) = other {
            member(w, &key.render(), &|w: &mut Writer| value.write(w));
        }
        if dup == Some(Site::Node) {
            member(w, "_meta", &|w: &mut Writer| w.out.push_str("null"));
        }
        w.out.push('}');
    }
}
