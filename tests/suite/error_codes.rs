//! The golden list of every API error code (the error catalogue): freezes code, status, message
//! and retryability.

use cmfy_validate::{ErrorBody, ErrorCode};

const GOLDEN: &[(&str, u16, bool, &str)] = &[
    ("invalid_json", 400, false, "Request body is not valid JSON"),
    (
        "missing_prompt",
        400,
        false,
        "Required 'prompt' field missing",
    ),
    (
        "invalid_prompt_type",
        400,
        false,
        "'prompt' must be an object",
    ),
    ("empty_workflow", 400, false, "Workflow has no nodes"),
    ("too_many_nodes", 400, false, "Workflow exceeds 500 nodes"),
    (
        "missing_class_type",
        400,
        false,
        "Node missing 'class_type'",
    ),
    ("missing_inputs", 400, false, "Node missing 'inputs'"),
    ("invalid_url", 400, false, "URL in workflow is invalid"),
    ("insecure_url", 400, false, "Only HTTPS URLs are allowed"),
    (
        "webhook_must_be_https",
        400,
        false,
        "Webhook URL must use HTTPS",
    ),
    (
        "webhook_private_host",
        400,
        false,
        "Webhook cannot use private IP",
    ),
    ("missing_node_type", 400, false, "Node type not found"),
    ("prompt_no_outputs", 400, false, "Prompt has no outputs"),
    ("dangling_link", 400, false, "Link points to a missing node"),
    (
        "bad_linked_input",
        400,
        false,
        "Bad linked input, must be a length-2 list of [node_id, slot_index]",
    ),
    ("dependency_cycle", 400, false, "Dependency cycle detected"),
    (
        "required_input_missing",
        400,
        false,
        "Required input is missing",
    ),
    (
        "return_type_mismatch",
        400,
        false,
        "Return type mismatch between linked nodes",
    ),
    (
        "invalid_input_type",
        400,
        false,
        "Input value has the wrong type",
    ),
    (
        "value_smaller_than_min",
        400,
        false,
        "Value smaller than min",
    ),
    ("value_bigger_than_max", 400, false, "Value bigger than max"),
    ("value_not_in_list", 400, false, "Value not in list"),
    ("missing_auth", 401, false, "Missing Authorization header"),
    (
        "invalid_auth_format",
        401,
        false,
        "Authorization header must be 'Bearer <api_key>'",
    ),
    ("invalid_api_key", 401, false, "Invalid API key"),
    ("revoked_api_key", 401, false, "API key has been revoked"),
    ("account_suspended", 403, false, "Account is suspended"),
    (
        "insufficient_permissions",
        403,
        false,
        "API key lacks permission for this action",
    ),
    ("job_not_found", 404, false, "Job not found"),
    ("rate_limit_exceeded", 429, true, "Rate limit exceeded"),
    (
        "concurrent_limit_reached",
        429,
        true,
        "Maximum concurrent jobs reached",
    ),
    (
        "queue_full",
        429,
        true,
        "Job queue is full. Try again later.",
    ),
    ("internal_error", 500, true, "Internal server error"),
    (
        "service_unavailable",
        503,
        true,
        "Service temporarily unavailable",
    ),
];

#[test]
fn the_catalogue_is_frozen() {
    let actual: Vec<(&str, u16, bool, &str)> = ErrorCode::ALL
        .iter()
        .map(|code| {
            (
                code.as_str(),
                code.status(),
                code.is_retryable(),
                code.default_message(),
            )
        })
        .collect();
    assert_eq!(actual, GOLDEN);
}

#[test]
fn codes_parse_back_and_display_as_themselves() {
    for code in ErrorCode::ALL {
        assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(*code));
        assert_eq!(code.to_string(), code.as_str());
        assert_eq!(ErrorBody::new(*code).status(), code.status());
    }
    assert!("INVALID_JSON".parse::<ErrorCode>().is_err());
    assert!("".parse::<ErrorCode>().is_err());
}

#[test]
fn the_validation_codes_are_the_400s_in_table_order() {
    let four_hundreds: Vec<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|c| c.status() == 400)
        .collect();
    let table: Vec<ErrorCode> = ErrorCode::VALIDATION
        .iter()
        .chain(ErrorCode::CATALOGUE)
        .copied()
        .collect();
    assert_eq!(four_hundreds, table);
    for (rank, code) in table.iter().enumerate() {
        assert_eq!(code.precedence(), Some(rank));
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn thread_safe<T: Send + Sync>() {}
    thread_safe::<cmfy_validate::ValidationError>();
    thread_safe::<cmfy_validate::Workflow<'static>>();
    thread_safe::<cmfy_validate::Policy>();
    thread_safe::<ErrorBody>();
    thread_safe::<ErrorCode>();
}
