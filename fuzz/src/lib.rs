//! What the fuzz targets share: an oracle written from the contract on top of serde_json and
//! the `url` parser, sharing no code with the crate, and a request model to generate from.

pub mod model;
pub mod oracle;
