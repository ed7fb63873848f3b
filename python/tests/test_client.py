"""The client side: junk responses, the error hierarchy, retry decisions, the Authorization check."""

import time

import pytest

import cmfy_validate as c


def caught(status, headers=None, body=b""):
    with pytest.raises(c.CmfyCloudError) as info:
        c.raise_for_response(status, headers, body)
    return info.value


@pytest.mark.parametrize(
    "status, cls",
    [(400, c.ValidationError), (401, c.AuthenticationError), (403, c.AuthorizationError), (404, c.NotFoundError), (429, c.RateLimitError),
     (500, c.ServerError), (502, c.ServerError), (503, c.ServerError), (418, c.CmfyCloudError)],
)
def test_every_status_raises_its_class(status, cls):
    error = caught(status, {}, b"")
    assert type(error) is cls
    assert error.status_code == status


def test_envelopes_of_every_code_parse_back():
    for code in c.ErrorCode:
        envelope = f'{{"error": {{"code": "{code.value}", "message": "{code.default_message}", "request_id": "req_9"}}}}'.encode()
        error = caught(code.status, [("X-Request-Id", "req_h")], envelope)
        assert (error.code, error.message, error.request_id) == (code.value, code.default_message, "req_9")
        assert error.error_code is code


@pytest.mark.parametrize(
    "body",
    [b"", b"  ", b"<html>Bad Gateway</html>", b"null", b"[]", b"{", b'{"error": 5}', b"\xff\xfe\x00", b"x" * 100_000,
     "plain text", None, bytearray(b"{}"), memoryview(b"[1]"), b'{"error": {"code": 7}}', b"[" * 10_000],
)
def test_junk_bodies_never_fail_the_reader(body):
    error = caught(502, {"Content-Type": "text/html"}, body)
    assert isinstance(error, c.ServerError)
    assert error.message


def test_success_returns_and_helpers_take_duck_typed_responses():
    assert c.raise_for_response(200, {}, b"{}") is None
    assert c.raise_for_response(202) is None

    class Response:
        status_code = 404
        headers = {"x-request-id": "req_5"}
        content = b'{"error": {"code": "job_not_found", "message": "Job not found"}}'

    with pytest.raises(c.NotFoundError) as info:
        c.raise_for(Response())
    assert (info.value.code, info.value.request_id) == ("job_not_found", "req_5")


def test_retry_after_from_headers_and_envelopes_odd_values_included():
    rows = [
        ({"Retry-After": "45"}, b"", 45),
        ({"Retry-After": "1.5"}, b"", 2),
        ({"Retry-After": "9" * 40}, b"", 86400),
        ({"Retry-After": "Wed Oct 21 07:28:00 300000000000"}, b"", None),
        ({"Retry-After": "soon"}, b"", None),
        ({}, b'{"error": {"code": "rate_limit_exceeded", "message": "m", "retry_after": 45.0}}', 45),
        ({}, b'{"error": {"code": "rate_limit_exceeded", "message": "m", "retry_after": 1000000000000}}', 86400),
        ({}, b'{"error": {"code": "rate_limit_exceeded", "message": "m", "retry_after": -3}}', None),
        ([("Retry-After", "junk"), ("Retry-After", "7")], b"", 7),
    ]
    for headers, body, expected in rows:
        error = caught(429, headers, body)
        assert error.retry_after == expected, (headers, body)


def test_retry_policy_decisions():
    policy = c.RetryPolicy()
    assert policy.decide(caught(400, {}, b""), 0) is None
    assert policy.decide(caught(401, {}, b""), 0) is None
    assert policy.decide(caught(503, {}, b""), 2, random=0.0) == 4.0
    assert policy.decide(caught(503, {}, b""), 0, random=0.5) == pytest.approx(1.05)
    assert policy.decide(caught(503, {}, b""), 4, random=0.0) is None
    assert policy.decide(caught(429, {"Retry-After": "30"}, b""), 0, random=0.0) == 30.0
    huge = caught(429, {}, b'{"error": {"code": "rate_limit_exceeded", "message": "m", "retry_after": 1e300}}')
    assert policy.decide(huge, 0, random=0.0) == 3600.0
    assert c.RetryPolicy(max_server_delay=10).decide(huge, 0, random=0.0) == 10.0
    queue = caught(429, {}, b'{"error": {"code": "queue_full", "message": "m"}}')
    assert policy.decide(queue, 1, random=0.0) == 8.0
    assert policy.decide(TimeoutError(), 1, random=0.0) == 2.0
    assert policy.decide(ConnectionRefusedError(), 3, random=0.0) == 8.0
    assert policy.decide(ValueError("not a transport error"), 0) is None
    delay = policy.decide(caught(500, {}, b""), 0)
    assert 1.0 <= delay <= 1.1
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 120))
    assert 100 <= policy.decide(caught(429, {"Retry-After": date}, b""), 0, random=0.0) <= 121


def test_check_authorization():
    key = c.check_authorization("Bearer sk_live_" + "a" * 43)
    assert (key.mode, key.secret) == ("live", "sk_live_" + "a" * 43)
    assert "aaaa" not in str(key) and "aaaa" not in repr(key)
    assert c.check_authorization(b"bearer sk_test_" + b"Z" * 43).mode == "test"
    for header, code in [(None, "missing_auth"), ("  ", "missing_auth"), ("Basic x", "invalid_auth_format"), ("Bearer sk_live_short", "invalid_api_key")]:
        with pytest.raises(c.AuthenticationError) as info:
            c.check_authorization(header)
        assert (info.value.code, info.value.status_code) == (code, 401)


def test_error_codes_are_a_string_enum():
    assert c.ErrorCode("queue_full") == "queue_full"
    assert c.ErrorCode.QUEUE_FULL.status == 429 and c.ErrorCode.QUEUE_FULL.is_retryable
    assert c.ErrorCode.INVALID_JSON.default_message == "Request body is not valid JSON"
    assert not c.ErrorCode.VALUE_NOT_IN_LIST.is_retryable
    assert len(list(c.ErrorCode)) == 34
    with pytest.raises(ValueError):
        c.ErrorCode("teapot")


def test_an_error_read_from_a_response_carries_its_limit_headers():
    headers = {
        "X-RateLimit-Limit": "60",
        "x-ratelimit-remaining": "0",
        "X-RateLimit-Reset": "1700000000",
        "X-Queue-Limit": "100",
        "X-Queue-Current": "100",
        # One of the two concurrency headers: that group is not whole.
        "X-Concurrent-Limit": "2",
    }
    error = caught(429, headers, b'{"error": {"code": "rate_limit_exceeded", "message": "Slow down"}}')
    assert isinstance(error, c.RateLimitError)
    assert error.limits == c.Limits(rate=c.RateWindow(60, 0, 1700000000), concurrent=None, queue=c.Usage(100, 100))
    assert c.limits_from_headers(list(headers.items())) == error.limits
    assert c.limits_from_headers([("X-Concurrent-Limit", "2"), ("X-Concurrent-Current", "1")]).concurrent == c.Usage(2, 1)
    # Garbage is no header; nothing is no limits; an error made by hand has none.
    nothing = c.Limits(None, None, None)
    assert c.limits_from_headers({"X-Queue-Limit": "many", "X-Queue-Current": "1"}) == nothing
    for headers in (None, 42, "headers", [("only-a-name",)]):
        assert c.limits_from_headers(headers) == nothing
    assert c.ServerError("internal_error", "m", 500).limits is None
