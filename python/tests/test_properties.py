"""Hypothesis: random bytes and random responses never raise anything but the documented errors."""

from hypothesis import given, settings, strategies as st

import cmfy_validate as c


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_workflow_or_a_validation_error(body):
    try:
        workflow = c.validate(body)
    except c.ValidationError as error:
        assert error.status == 400 and error.code
        assert c.validate_all(body)[0].code == error.code
    else:
        assert c.validate_all(body) == []
        assert isinstance(workflow.prompt, dict)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_too(body):
    try:
        c.validate(body)
    except c.ValidationError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=100, max_value=599), st.lists(st.tuples(st.text(max_size=20), st.text(max_size=40)), max_size=5), st.binary(max_size=500))
def test_random_responses_give_a_typed_error(status, headers, body):
    try:
        c.raise_for_response(status, headers, body)
    except c.CmfyCloudError as error:
        assert error.status_code == status
        delay = c.RetryPolicy().decide(error, 0, random=0.5)
        assert delay is None or 0 <= delay <= 3600
    else:
        assert status < 400
