"""The catalogue check through Python, with the repo's example catalogue and the shared snapshots."""

import pytest

import cmfy_validate
from conftest import REPO, SHARED, shared_or_skip


def code(body, catalogue):
    problems = cmfy_validate.validate_all(body, catalogue=catalogue)
    try:
        cmfy_validate.validate(body, catalogue=catalogue)
    except cmfy_validate.ValidationError as error:
        assert problems and problems[0].code == error.code
        return error.code
    assert problems == []
    return "ok"


def request(name):
    return (REPO / "examples" / "requests" / name).read_bytes()


def test_the_bundled_catalogue_examples(example_catalogue):
    assert len(example_catalogue) == 13
    assert code(request("catalogue-ok.json"), example_catalogue) == "ok"
    assert code(request("invalid-catalogue-not-in-list.json"), example_catalogue) == "value_not_in_list"
    assert code(request("invalid-catalogue-several.json"), example_catalogue) == "missing_node_type"
    with pytest.raises(cmfy_validate.ValidationError) as caught:
        cmfy_validate.validate(request("invalid-catalogue-not-in-list.json"), catalogue=example_catalogue)
    assert caught.value.details["suggestions"] == ["euler"]
    assert caught.value.pointer == "/prompt/3/inputs/sampler_name"


CHANGES = [
        (("", ""), "ok"),
        (('"steps": 20', '"steps": 0'), "value_smaller_than_min"),
        (('"steps": 20', '"steps": 10001'), "value_bigger_than_max"),
        (('"steps": 20', '"steps": "many"'), "invalid_input_type"),
        (('"clip": ["4", 1]', '"clip": ["4", 0]'), "return_type_mismatch"),
        (('"vae": ["4", 2]', '"vae": ["4", 7]'), "bad_linked_input"),
        (('"model": ["4", 0]', '"model": ["3", 0]'), "dependency_cycle"),
        ((', "denoise": 1', ""), "required_input_missing"),
        (('"images": ["8", 0]', '"images": ["80", 0]'), "dangling_link"),
        (('"SaveImage"', '"VAEDecode"'), "prompt_no_outputs"),
        (('"VAEDecode"', '"VAEDecoder"'), "missing_node_type"),
        (('"a cat"', '"http://x.example/a"'), "insecure_url"),
]


def changed(change):
    body = request("catalogue-ok.json").decode().replace('"seed": 18446744073709551615', '"seed": 5')
    assert change[0] in body or not change[0]
    return body.replace(change[0], change[1], 1) if change[0] else body


@pytest.mark.parametrize("change, expected", CHANGES)
def test_every_catalogue_code(example_catalogue, change, expected):
    assert code(changed(change), example_catalogue) == expected


def test_every_detail_key_is_in_the_table(example_catalogue):
    seen = set()
    for change, _ in CHANGES:
        for problem in cmfy_validate.validate_all(changed(change), catalogue=example_catalogue):
            seen.update(problem.details)
    for name in ["invalid-catalogue-several.json", "invalid-catalogue-not-in-list.json", "invalid-several-problems.json"]:
        for problem in cmfy_validate.validate_all(request(name), catalogue=example_catalogue):
            seen.update(problem.details)
    assert seen <= set(cmfy_validate.DETAIL_KEYS), seen - set(cmfy_validate.DETAIL_KEYS)
    assert {"pointer", "node_id", "input_type", "suggestions", "cycle", "host"} <= seen
    assert len(set(cmfy_validate.DETAIL_KEYS)) == len(cmfy_validate.DETAIL_KEYS) == 25


def test_snapshots_load_and_bad_ones_are_value_errors():
    shared = shared_or_skip("the shared snapshots")
    sd15 = cmfy_validate.Catalogue.from_object_info((shared / "catalogue" / "sd15_object_info.json").read_bytes())
    assert sorted(sd15.class_names())[0] == "CLIPTextEncode"
    info = sd15.class_info("KSampler")
    seed = next(i for i in info["inputs"] if i["name"] == "seed")
    assert (seed["type"], seed["required"]) == ("INT", True)
    assert sd15.class_info("Nope") is None
    for bad in [b"", b"[1]", b"{", "not json"]:
        with pytest.raises(ValueError):
            cmfy_validate.Catalogue.from_object_info(bad)
    assert len(cmfy_validate.Catalogue.from_object_info({"A": {"input": {}}})) == 1
