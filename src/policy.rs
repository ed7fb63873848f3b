//! What a server may change about validation, and what it may not.

use std::net::IpAddr;
use std::sync::Arc;

use ipnet::IpNet;

use crate::catalogue::Catalogue;
use crate::hosts::{self, HostClass};
use crate::sources::UrlPattern;

/// The node limit of the contract.
pub const DEFAULT_MAX_NODES: usize = 500;

/// How [`validate_with`](crate::validate_with) judges a request. [`Policy::default()`] is the
/// contract as written; each knob is set with a builder method, so new knobs can be added without
/// breaking anyone. Nothing in a policy can make a body that is not valid JSON acceptable.
///
/// One naming rule: a setter is `with_<knob>` and returns the policy, the getter is `<knob>`
/// (`with_max_nodes` and `max_nodes`, `with_catalogue` and `catalogue`).
///
/// # Example
///
/// ```
/// use cmfy_validate::{Policy, validate_with};
///
/// // Local development: a webhook on this machine, and a larger graph.
/// let policy = Policy::default().with_private_webhooks(true).with_max_nodes(1000);
/// let body = br#"{"prompt": {"1": {"class_type": "A", "inputs": {}}},
///                 "webhook_url": "https://localhost:8443/hook"}"#;
/// assert!(validate_with(body, &policy).is_ok());
/// assert_eq!(cmfy_validate::validate(body).unwrap_err().code(), "webhook_private_host");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    max_nodes: usize,
    check_workflow_hosts: bool,
    allow_private_webhooks: bool,
    blocked_name_suffixes: Vec<String>,
    /// Whether a blocked suffix has a label in punycode (`xn--`), kept as suffixes are added.
    punycode_suffix: bool,
    blocked_networks: Vec<IpNet>,
    allowed_networks: Vec<IpNet>,
    catalogue: Option<SharedCatalogue>,
    sources: Option<Vec<UrlPattern>>,
}

/// A catalogue in a policy: policies compare equal when they share the same one.
#[derive(Clone)]
struct SharedCatalogue(Arc<Catalogue>);

impl PartialEq for SharedCatalogue {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedCatalogue {}

impl std::fmt::Debug for SharedCatalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Catalogue({} classes)", self.0.len())
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::contract()
    }
}

/// The contract's policy, for [`validate`](crate::validate): one shared value rather than one
/// built and dropped for every request.
pub(crate) static CONTRACT: Policy = Policy::contract();

impl Policy {
    const fn contract() -> Self {
        Policy {
            max_nodes: DEFAULT_MAX_NODES,
            check_workflow_hosts: true,
            allow_private_webhooks: false,
            blocked_name_suffixes: Vec::new(),
            punycode_suffix: false,
            blocked_networks: Vec::new(),
            allowed_networks: Vec::new(),
            catalogue: None,
            sources: None,
        }
    }

    /// Allows workflow URLs only from these approved sources (see [`UrlPattern`]): an `https`
    /// workflow URL that passes the privacy rules but matches no pattern is `insecure_url`
    /// with `details.reason` `"source not allowed"`. A private host is still refused as
    /// private, first. The webhook is not affected. Calling it again adds to the list; without
    /// it, nothing changes. (With [`Policy::with_workflow_url_host_check`] off, URLs whose hosts
    /// are private must match a pattern too.)
    ///
    /// ```
    /// use cmfy_validate::{Policy, UrlPattern, validate_with};
    ///
    /// let sources: Vec<UrlPattern> = ["huggingface.co/*", "*.hf.co/*"].iter().map(|p| p.parse()).collect::<Result<_, _>>()?;
    /// let policy = Policy::default().with_model_sources(sources);
    /// let body = |url: &str| format!(r#"{{"prompt": {{"1": {{"class_type": "A", "inputs": {{"ckpt": "{url}"}}}}}}}}"#);
    /// assert!(validate_with(body("https://huggingface.co/org/m/resolve/main/a.safetensors").as_bytes(), &policy).is_ok());
    /// let error = validate_with(body("https://civitai.com/api/download/1").as_bytes(), &policy).unwrap_err();
    /// assert_eq!((error.code(), &error.details()["reason"]), ("insecure_url", &serde_json::json!("source not allowed")));
    /// let error = validate_with(body("https://127.0.0.1/a").as_bytes(), &policy).unwrap_err();
    /// assert_eq!(error.details()["reason"], "private host");
    /// # Ok::<(), cmfy_validate::UrlPatternError>(())
    /// ```
    #[must_use]
    pub fn with_model_sources(mut self, patterns: impl IntoIterator<Item = UrlPattern>) -> Self {
        self.sources.get_or_insert_with(Vec::new).extend(patterns);
        self
    }

    /// The approved model sources, if the list is set.
    #[must_use]
    pub fn model_sources(&self) -> Option<&[UrlPattern]> {
        self.sources.as_deref()
    }

    /// Also checks every workflow against `catalogue`, the server's node catalogue (see
    /// [`Catalogue`]): [`validate_with`](crate::validate_with) and
    /// [`validate_all`](crate::validate_all) apply both layers in one call, and the request
    /// contract's codes always come before the catalogue's, which are judged only for a body
    /// that passed it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use cmfy_validate::{Policy, validate_with, catalogue::Catalogue};
    ///
    /// let catalogue = Arc::new(Catalogue::from_object_info(br#"{"SaveImage": {"input": {}, "output_node": true}}"#)?);
    /// let policy = Policy::default().with_catalogue(catalogue);
    /// let body = br#"{"prompt": {"1": {"class_type": "UpscaleModelLoader", "inputs": {}}}}"#;
    /// assert_eq!(validate_with(body, &policy).unwrap_err().code(), "missing_node_type");
    /// let body = br#"{"prompt": {"1": {"class_type": "UpscaleModelLoader", "inputs": {"u": "http://x.example"}}}}"#;
    /// assert_eq!(validate_with(body, &policy).unwrap_err().code(), "insecure_url");
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    #[must_use]
    pub fn with_catalogue(mut self, catalogue: Arc<Catalogue>) -> Self {
        self.catalogue = Some(SharedCatalogue(catalogue));
        self
    }

    /// Removes the catalogue: the request's own rules only, every other setting kept. For a
    /// caller that wants the [`Workflow`](crate::Workflow) of a request the catalogue refused,
    /// to describe the refusal (as [`Catalogue::node_errors`] does).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// use cmfy_validate::{Policy, catalogue::Catalogue};
    ///
    /// let catalogue = Arc::new(Catalogue::from_object_info(br#"{"Save": {"input": {}, "output_node": true}}"#)?);
    /// let policy = Policy::default().with_max_nodes(10).with_catalogue(catalogue);
    /// let body = br#"{"prompt": {"1": {"class_type": "Sav", "inputs": {}}}}"#;
    /// assert_eq!(cmfy_validate::validate_with(body, &policy).unwrap_err().code(), "missing_node_type");
    /// let request_only = policy.clone().without_catalogue();
    /// assert!(request_only.catalogue().is_none() && request_only.max_nodes() == 10);
    /// assert!(cmfy_validate::validate_with(body, &request_only).is_ok());
    /// # Ok::<(), cmfy_validate::catalogue::CatalogueError>(())
    /// ```
    #[must_use]
    pub fn without_catalogue(mut self) -> Self {
        self.catalogue = None;
        self
    }

    /// The catalogue workflows are checked against, if any.
    #[must_use]
    pub fn catalogue(&self) -> Option<&Arc<Catalogue>> {
        self.catalogue.as_ref().map(|shared| &shared.0)
    }

    /// Sets the most nodes a workflow may have (default 500). The `too_many_nodes` message
    /// names this limit.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default().with_max_nodes(2);
    /// let body = br#"{"prompt": {"1": {"class_type": "A", "inputs": {}}, "2": {"class_type": "A", "inputs": {}},
    ///                            "3": {"class_type": "A", "inputs": {}}}}"#;
    /// let error = cmfy_validate::validate_with(body, &policy).unwrap_err();
    /// assert_eq!(error.message(), "Workflow exceeds 2 nodes");
    /// ```
    #[must_use]
    pub fn with_max_nodes(mut self, limit: usize) -> Self {
        self.max_nodes = limit;
        self
    }

    /// Whether `https` URLs in the workflow are checked for private hosts (default true). When
    /// false, workflow URLs must still parse and be `https`; a host made only of dots is still
    /// `invalid_url`. The webhook is not affected.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default().with_workflow_url_host_check(false);
    /// let body = br#"{"prompt": {"1": {"class_type": "LoadImage", "inputs": {"image": "https://10.0.0.8/a.png"}}}}"#;
    /// assert!(cmfy_validate::validate_with(body, &policy).is_ok());
    /// ```
    #[must_use]
    pub fn with_workflow_url_host_check(mut self, check: bool) -> Self {
        self.check_workflow_hosts = check;
        self
    }

    /// Whether a webhook may point at a private host (default false; for local development
    /// only). It must still be a valid `https` URL.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default().with_private_webhooks(true);
    /// assert!(policy.private_webhooks());
    /// ```
    #[must_use]
    pub fn with_private_webhooks(mut self, allow: bool) -> Self {
        self.allow_private_webhooks = allow;
        self
    }

    /// Also treats `suffix` and every name under it as private, e.g. `"corp.example.com"`.
    /// Compared ASCII case-insensitively; leading and trailing dots are ignored.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default().with_blocked_name_suffix("corp.example.com");
    /// let body = br#"{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://git.corp.example.com/m"}}}}"#;
    /// assert_eq!(cmfy_validate::validate_with(body, &policy).unwrap_err().code(), "insecure_url");
    /// ```
    #[must_use]
    pub fn with_blocked_name_suffix(mut self, suffix: impl Into<String>) -> Self {
        let suffix = suffix.into().trim_matches('.').to_ascii_lowercase();
        self.punycode_suffix |= suffix.split('.').any(|label| label.starts_with("xn--"));
        self.blocked_name_suffixes.push(suffix);
        self
    }

    /// Also treats every address in `network` as private. A blocked network wins over an
    /// allowed one.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default().with_blocked_network("8.8.8.0/24".parse().unwrap());
    /// assert!(!policy.is_public_ip("8.8.8.8".parse().unwrap()));
    /// ```
    #[must_use]
    pub fn with_blocked_network(mut self, network: IpNet) -> Self {
        self.blocked_networks.push(network);
        self
    }

    /// Treats every address in `network` as public even where the contract's tables call it
    /// private, for a server that must reach a known internal host. Blocked networks still win.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default().with_allowed_network("10.20.0.0/16".parse().unwrap());
    /// assert!(policy.is_public_ip("10.20.1.2".parse().unwrap()));
    /// assert!(!policy.is_public_ip("10.21.1.2".parse().unwrap()));
    /// ```
    #[must_use]
    pub fn with_allowed_network(mut self, network: IpNet) -> Self {
        self.allowed_networks.push(network);
        self
    }

    /// The node limit.
    ///
    /// ```
    /// assert_eq!(cmfy_validate::Policy::default().max_nodes(), 500);
    /// ```
    #[must_use]
    pub fn max_nodes(&self) -> usize {
        self.max_nodes
    }

    /// Whether workflow URL hosts are checked for privacy.
    ///
    /// ```
    /// assert!(cmfy_validate::Policy::default().workflow_url_host_check());
    /// ```
    #[must_use]
    pub fn workflow_url_host_check(&self) -> bool {
        self.check_workflow_hosts
    }

    /// Whether private webhook hosts are allowed.
    ///
    /// ```
    /// assert!(!cmfy_validate::Policy::default().private_webhooks());
    /// ```
    #[must_use]
    pub fn private_webhooks(&self) -> bool {
        self.allow_private_webhooks
    }

    /// [`is_public_ip`](crate::is_public_ip) with this policy's blocked and allowed networks.
    /// IPv4-mapped and NAT64 addresses are matched against the networks both as written and as
    /// the IPv4 address they carry.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default();
    /// assert!(!policy.is_public_ip("127.0.0.1".parse().unwrap()));
    /// ```
    #[must_use]
    pub fn is_public_ip(&self, ip: IpAddr) -> bool {
        let effective = hosts::effective_ip(ip);
        let in_any = |networks: &[IpNet]| {
            networks
                .iter()
                .any(|net| net.contains(&ip) || net.contains(&effective))
        };
        if in_any(&self.blocked_networks) {
            return false;
        }
        in_any(&self.allowed_networks) || hosts::is_public_ip(ip)
    }

    /// [`is_public_host`](crate::is_public_host) with this policy's lists.
    ///
    /// ```
    /// let policy = cmfy_validate::Policy::default().with_blocked_name_suffix("example.net");
    /// assert!(!policy.is_public_host(&url::Host::Domain("cdn.example.net")));
    /// assert!(policy.is_public_host(&url::Host::Domain("example.org")));
    /// ```
    #[must_use]
    pub fn is_public_host(&self, host: &url::Host<&str>) -> bool {
        hosts::classify(host).is_ok_and(|class| !self.is_private(&class))
    }

    /// Whether a blocked suffix has a label in punycode (`xn--`): only then must a host's
    /// international labels be encoded to be judged (see `urls::international::Labels`).
    pub(crate) fn blocks_punycode_labels(&self) -> bool {
        self.punycode_suffix
    }

    pub(crate) fn is_private(&self, class: &HostClass<'_>) -> bool {
        match class {
            HostClass::Ip(ip) => !self.is_public_ip(*ip),
            HostClass::Name(name) => {
                hosts::is_private_name(name)
                    || self
                        .blocked_name_suffixes
                        .iter()
                        .any(|suffix| crate::hosts::has_suffix(name, suffix))
            }
        }
    }
}
