//! The catalogue of every error code the API returns, generated from one table.

use std::fmt;
use std::str::FromStr;

/// Generates [`ErrorCode`] and everything derived from it from one table, so the code string,
/// HTTP status, default message and retry rule of a code can never drift apart.
macro_rules! error_codes {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $code:literal, $status:literal, $retryable:literal, $message:literal;
    )*) => {
        /// Every error code of the API: the eleven 400s that [`validate`](crate::validate) reports,
        /// the eleven 400s of the [catalogue check](crate::catalogue::Catalogue), and the 401, 403, 404,
        /// 429 and 5xx codes that servers send and clients must handle.
        ///
        /// The 400 variants are declared in the contracts' precedence order, the request's
        /// eleven first: when a body has several problems, the one whose code comes first is
        /// reported.
        ///
        /// This enum is `#[non_exhaustive]`: the API may add codes, so matching it exhaustively
        /// outside this crate is not allowed.
        ///
        /// # Example
        ///
        /// ```
        /// use cmfy_validate::ErrorCode;
        ///
        /// let code: ErrorCode = "queue_full".parse()?;
        /// assert_eq!(code, ErrorCode::QueueFull);
        /// assert_eq!(code.status(), 429);
        /// assert!(code.is_retryable());
        /// assert_eq!(ErrorCode::TooManyNodes.as_str(), "too_many_nodes");
        /// # Ok::<(), cmfy_validate::UnknownErrorCode>(())
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in table order (the 400s first, in precedence order).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code exactly as it appears in the `code` field of the envelope.
            ///
            /// ```
            /// assert_eq!(cmfy_validate::ErrorCode::InvalidJson.as_str(), "invalid_json");
            /// ```
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// The HTTP status the API answers with.
            ///
            /// ```
            /// assert_eq!(cmfy_validate::ErrorCode::JobNotFound.status(), 404);
            /// ```
            #[must_use]
            pub const fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            /// The default message, exact for every code. Some codes are usually sent with a
            /// message that carries numbers (see [`ErrorBody`](crate::ErrorBody));
            /// `too_many_nodes` names the configured limit.
            ///
            /// ```
            /// use cmfy_validate::ErrorCode;
            /// assert_eq!(ErrorCode::MissingPrompt.default_message(), "Required 'prompt' field missing");
            /// ```
            #[must_use]
            pub const fn default_message(self) -> &'static str {
                match self { $(ErrorCode::$variant => $message,)* }
            }

            /// Whether a client may retry the same request: true for 429, 500 and 503.
            ///
            /// ```
            /// use cmfy_validate::ErrorCode;
            /// assert!(ErrorCode::ServiceUnavailable.is_retryable());
            /// assert!(!ErrorCode::InvalidApiKey.is_retryable());
            /// ```
            #[must_use]
            pub const fn is_retryable(self) -> bool {
                match self { $(ErrorCode::$variant => $retryable,)* }
            }
        }

        impl FromStr for ErrorCode {
            type Err = UnknownErrorCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok(ErrorCode::$variant),)*
                    _ => Err(UnknownErrorCode(()))
                }
            }
        }
    };
}

error_codes! {
    /// The body is not one RFC 8259 JSON text (this includes duplicate keys and deep nesting).
    InvalidJson => "invalid_json", 400, false, "Request body is not valid JSON";
    /// The body is not an object, or has no `prompt`, or `prompt` is `null`.
    MissingPrompt => "missing_prompt", 400, false, "Required 'prompt' field missing";
    /// `prompt` is a string, number, bool or array.
    InvalidPromptType => "invalid_prompt_type", 400, false, "'prompt' must be an object";
    /// `prompt` is `{}`.
    EmptyWorkflow => "empty_workflow", 400, false, "Workflow has no nodes";
    /// `prompt` has more nodes than the limit.
    TooManyNodes => "too_many_nodes", 400, false, "Workflow exceeds 500 nodes";
    /// A node is not an object, or its `class_type` is absent, not a string, or blank.
    MissingClassType => "missing_class_type", 400, false, "Node missing 'class_type'";
    /// A node's `inputs` is absent, `null` or not an object.
    MissingInputs => "missing_inputs", 400, false, "Node missing 'inputs'";
    /// A URL in the workflow, or the webhook URL, does not parse.
    InvalidUrl => "invalid_url", 400, false, "URL in workflow is invalid";
    /// A URL in the workflow is not `https`, or points at a private host.
    InsecureUrl => "insecure_url", 400, false, "Only HTTPS URLs are allowed";
    /// `webhook_url` is not `https`.
    WebhookMustBeHttps => "webhook_must_be_https", 400, false, "Webhook URL must use HTTPS";
    /// `webhook_url` points at a private host.
    WebhookPrivateHost => "webhook_private_host", 400, false, "Webhook cannot use private IP";
    /// Catalogue check: a node's `class_type` is not a class of the server's catalogue.
    MissingNodeType => "missing_node_type", 400, false, "Node type not found";
    /// Catalogue check: no node is an output node, so the prompt would produce nothing.
    PromptNoOutputs => "prompt_no_outputs", 400, false, "Prompt has no outputs";
    /// Catalogue check: a link names a node id that is not in the prompt.
    DanglingLink => "dangling_link", 400, false, "Link points to a missing node";
    /// Catalogue check: a declared input holds an array that is not a link, or a link to an
    /// output its source does not have.
    BadLinkedInput => "bad_linked_input", 400, false, "Bad linked input, must be a length-2 list of [node_id, slot_index]";
    /// Catalogue check: links among the nodes that run form a cycle.
    DependencyCycle => "dependency_cycle", 400, false, "Dependency cycle detected";
    /// Catalogue check: a required input is absent.
    RequiredInputMissing => "required_input_missing", 400, false, "Required input is missing";
    /// Catalogue check: a link joins an output and an input of types that do not fit.
    ReturnTypeMismatch => "return_type_mismatch", 400, false, "Return type mismatch between linked nodes";
    /// Catalogue check: a literal does not fit its input's type.
    InvalidInputType => "invalid_input_type", 400, false, "Input value has the wrong type";
    /// Catalogue check: a number is below its input's `min`.
    ValueSmallerThanMin => "value_smaller_than_min", 400, false, "Value smaller than min";
    /// Catalogue check: a number is above its input's `max`.
    ValueBiggerThanMax => "value_bigger_than_max", 400, false, "Value bigger than max";
    /// Catalogue check: a combo value is not one of its options.
    ValueNotInList => "value_not_in_list", 400, false, "Value not in list";
    /// No `Authorization` header.
    MissingAuth => "missing_auth", 401, false, "Missing Authorization header";
    /// The `Authorization` header is not `Bearer <api key>`.
    InvalidAuthFormat => "invalid_auth_format", 401, false, "Authorization header must be 'Bearer <api_key>'";
    /// The key is not a key of this API, or is unknown.
    InvalidApiKey => "invalid_api_key", 401, false, "Invalid API key";
    /// The key was revoked.
    RevokedApiKey => "revoked_api_key", 401, false, "API key has been revoked";
    /// The account is suspended.
    AccountSuspended => "account_suspended", 403, false, "Account is suspended";
    /// The key may not do this.
    InsufficientPermissions => "insufficient_permissions", 403, false, "API key lacks permission for this action";
    /// No job with that id.
    JobNotFound => "job_not_found", 404, false, "Job not found";
    /// Too many requests in the current window.
    RateLimitExceeded => "rate_limit_exceeded", 429, true, "Rate limit exceeded";
    /// Too many jobs running at once for this account.
    ConcurrentLimitReached => "concurrent_limit_reached", 429, true, "Maximum concurrent jobs reached";
    /// The GPU queue is full.
    QueueFull => "queue_full", 429, true, "Job queue is full. Try again later.";
    /// An unexpected server error.
    InternalError => "internal_error", 500, true, "Internal server error";
    /// The service is down or overloaded.
    ServiceUnavailable => "service_unavailable", 503, true, "Service temporarily unavailable";
}

impl ErrorCode {
    /// The 400 codes that request validation reports, in precedence order (highest first).
    pub const VALIDATION: &'static [ErrorCode] = &[
        ErrorCode::InvalidJson,
        ErrorCode::MissingPrompt,
        ErrorCode::InvalidPromptType,
        ErrorCode::EmptyWorkflow,
        ErrorCode::TooManyNodes,
        ErrorCode::MissingClassType,
        ErrorCode::MissingInputs,
        ErrorCode::InvalidUrl,
        ErrorCode::InsecureUrl,
        ErrorCode::WebhookMustBeHttps,
        ErrorCode::WebhookPrivateHost,
    ];

    /// The 400 codes of the [catalogue check](crate::catalogue::Catalogue), in precedence order (highest
    /// first). They rank below every code of [`ErrorCode::VALIDATION`]: the check runs only on
    /// a body that passed the request contract.
    pub const CATALOGUE: &'static [ErrorCode] = &[
        ErrorCode::MissingNodeType,
        ErrorCode::PromptNoOutputs,
        ErrorCode::DanglingLink,
        ErrorCode::BadLinkedInput,
        ErrorCode::DependencyCycle,
        ErrorCode::RequiredInputMissing,
        ErrorCode::ReturnTypeMismatch,
        ErrorCode::InvalidInputType,
        ErrorCode::ValueSmallerThanMin,
        ErrorCode::ValueBiggerThanMax,
        ErrorCode::ValueNotInList,
    ];

    /// The place of a 400 code in the precedence table (0 is the highest; the request's eleven
    /// codes are 0 to 10, the catalogue's 11 to 21), or `None` for codes that validation never
    /// reports.
    ///
    /// ```
    /// use cmfy_validate::ErrorCode;
    /// assert_eq!(ErrorCode::InvalidJson.precedence(), Some(0));
    /// assert!(ErrorCode::MissingInputs.precedence() < ErrorCode::InvalidUrl.precedence());
    /// assert_eq!(ErrorCode::MissingNodeType.precedence(), Some(11));
    /// assert_eq!(ErrorCode::QueueFull.precedence(), None);
    /// ```
    #[must_use]
    pub const fn precedence(self) -> Option<usize> {
        // The 400s are declared first, in precedence order, so the discriminant is the rank (a
        // test checks this against `VALIDATION` and `CATALOGUE`). Const, so ranking costs
        // nothing on the hot path.
        let index = self as usize;
        if index < Self::VALIDATION.len() + Self::CATALOGUE.len() {
            Some(index)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn precedence_is_the_place_in_the_validation_table() {
        let table = ErrorCode::VALIDATION.iter().chain(ErrorCode::CATALOGUE);
        for (rank, code) in table.enumerate() {
            assert_eq!(code.precedence(), Some(rank));
        }
        let ranked = ErrorCode::ALL
            .iter()
            .filter(|code| code.precedence().is_some())
            .count();
        assert_eq!(
            ranked,
            ErrorCode::VALIDATION.len() + ErrorCode::CATALOGUE.len()
        );
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a string that is not one of the API's codes.
///
/// ```
/// assert!("no_such_code".parse::<cmfy_validate::ErrorCode>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown error code")]
pub struct UnknownErrorCode(());
