"""The request contract through Python: the shared conformance cases, the real workflows, and
what a validated workflow looks like."""

import json

import pytest

import cmfy_validate
from conftest import REPO, conformance_cases, shared_or_skip


def outcome(body, **options):
    try:
        cmfy_validate.validate(body, **options)
    except cmfy_validate.ValidationError as error:
        return error.code
    return "ok"


def test_every_conformance_case_gives_its_code():
    shared_or_skip("the conformance cases")
    cases = conformance_cases()
    assert cases
    failures = [f"{name}: expected {expect}, got {outcome(body)}" for name, body, expect in cases if outcome(body) != expect]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview, "str"])
def test_every_body_type_gives_the_same_answer(kind):
    shared_or_skip("the conformance cases")
    for name, body, expect in conformance_cases():
        if kind == "str":
            try:
                given = body.decode("utf-8")
            except UnicodeDecodeError:
                continue
        else:
            given = kind(body)
        assert outcome(given) == expect, name


def test_every_corpus_workflow_is_accepted_and_round_trips():
    shared = shared_or_skip("the API corpus")
    files = sorted((shared / "corpus" / "api").glob("*.json"))
    assert files
    for path in files:
        text = path.read_bytes()
        workflow = cmfy_validate.validate(b'{"prompt": ' + text + b"}")
        assert workflow.prompt == json.loads(text), path.name
        assert len(workflow) == len(json.loads(text))
        assert [node.id for node in workflow.nodes] == list(json.loads(text))


def test_bare_workflows_get_the_hint():
    shared = shared_or_skip("the corpus hints")
    for path in sorted((shared / "corpus" / "api").glob("*.json")):
        with pytest.raises(cmfy_validate.ValidationError) as caught:
            cmfy_validate.validate(path.read_bytes())
        assert caught.value.code == "missing_prompt"
        assert "prompt" in caught.value.details["hint"]


def test_a_workflow_in_python_shapes():
    body = (REPO / "examples" / "requests" / "with-webhook.json").read_bytes()
    workflow = cmfy_validate.validate(body)
    assert [(n.id, n.class_type, n.title) for n in workflow.nodes] == [
        ("3", "CheckpointLoaderSimple", "Load Checkpoint"),
        ("6", "CLIPTextEncode", None),
    ]
    assert workflow.node("6").inputs == {"text": "a cat", "clip": cmfy_validate.Link("3", 1)}
    assert workflow.webhook_url == "https://example.com/hooks/cmfy"
    assert workflow.idempotency_key == "user-123-req-456"
    assert workflow.urls() == [
        cmfy_validate.ModelUrl("3", "CheckpointLoaderSimple", "ckpt_name", "/prompt/3/inputs/ckpt_name", "https://huggingface.co/org/repo/resolve/main/m.safetensors")
    ]
    assert json.loads(workflow.to_json()) == json.loads(body)["prompt"]


def test_errors_carry_code_message_pointer_details_and_the_envelope():
    body = b'{"prompt": {"5": {"class_type": "LoadImage", "inputs": {"image": "http://example.com/a.png"}}}}'
    with pytest.raises(cmfy_validate.ValidationError) as caught:
        cmfy_validate.validate(body)
    error = caught.value
    assert (error.code, error.message, error.status, error.pointer) == ("insecure_url", "Only HTTPS URLs are allowed", 400, "/prompt/5/inputs/image")
    assert error.details["node_id"] == "5"
    assert isinstance(error, cmfy_validate.CmfyCloudError)
    assert error.to_body("req_1") == {
        "error": {"code": "insecure_url", "message": "Only HTTPS URLs are allowed", "details": error.details, "request_id": "req_1"}
    }
    assert error.to_json() == '{"error":{"code":"insecure_url","message":"Only HTTPS URLs are allowed","details":{"host":"example.com","input":"image","node_id":"5","pointer":"/prompt/5/inputs/image","reason":"scheme \'http\' is not https"}}}'


def test_options_and_validate_all():
    two = b'{"prompt": {"1": {"class_type": "A", "inputs": {}}, "2": {"class_type": "B", "inputs": {}}}}'
    assert outcome(two, max_nodes=1) == "too_many_nodes"
    private = b'{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://10.0.0.8/a"}}}, "webhook_url": "https://localhost/h"}'
    assert outcome(private) == "insecure_url"
    assert outcome(private, check_workflow_url_hosts=False) == "webhook_private_host"
    assert outcome(private, check_workflow_url_hosts=False, allow_private_webhooks=True) == "ok"
    several = (REPO / "examples" / "requests" / "invalid-several-problems.json").read_bytes()
    codes = [e.code for e in cmfy_validate.validate_all(several)]
    assert codes == ["missing_class_type", "missing_inputs", "insecure_url", "webhook_must_be_https"]
    assert cmfy_validate.validate_all(two) == []
    sources = ["huggingface.co/*"]
    quick = (REPO / "examples" / "requests" / "quickstart.json").read_bytes()
    assert outcome(quick, allowed_sources=sources) == "ok"
    assert outcome(quick, allowed_sources=["civitai.com/*"]) == "insecure_url"
    with pytest.raises(ValueError):
        cmfy_validate.validate(quick, allowed_sources=["a.*.b"])
    with pytest.raises(TypeError):
        cmfy_validate.validate(12)
    with pytest.raises(OverflowError):
        cmfy_validate.validate(quick, max_nodes=-1)
