"""A real server: a small aiohttp app validates with the package and answers with the envelope,
driven over HTTP on 127.0.0.1 with httpx, for every 400 code and a valid job."""

import asyncio
import json
import threading

import httpx
import pytest

aiohttp_web = pytest.importorskip("aiohttp.web")

import cmfy_validate
from conftest import REPO


def make_app(catalogue):
    counter = {"n": 0}

    async def create_job(request):
        counter["n"] += 1
        request_id = f"req_{counter['n']:06}"
        body = await request.read()
        try:
            workflow = cmfy_validate.validate(body, catalogue=catalogue)
        except cmfy_validate.ValidationError as error:
            return aiohttp_web.Response(status=error.status, text=error.to_json(request_id), content_type="application/json")
        answer = {"job_id": f"job_{counter['n']}", "status": "queued", "nodes": len(workflow)}
        return aiohttp_web.Response(status=202, text=json.dumps(answer), content_type="application/json")

    app = aiohttp_web.Application(client_max_size=64 << 20)
    app.router.add_post("/v1/jobs", create_job)
    return app


@pytest.fixture(scope="module")
def base_url():
    catalogue = cmfy_validate.Catalogue.from_object_info((REPO / "examples" / "catalogue" / "object_info.json").read_bytes())
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder = {}

    def serve():
        asyncio.set_event_loop(loop)
        runner = aiohttp_web.AppRunner(make_app(catalogue))
        loop.run_until_complete(runner.setup())
        site = aiohttp_web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        holder["port"] = site._server.sockets[0].getsockname()[1]
        holder["runner"] = runner
        started.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield f"http://127.0.0.1:{holder['port']}"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


NODE = '"1": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "x"}}, "2": {"class_type": "LoadImage", "inputs": {"image": "example.png"}}'
CASES = [
    (b"{", "invalid_json"),
    (b"{}", "missing_prompt"),
    (b'{"prompt": 1}', "invalid_prompt_type"),
    (b'{"prompt": {}}', "empty_workflow"),
    (("{\"prompt\": {" + ", ".join(f'"{i}": {{"class_type": "A", "inputs": {{}}}}' for i in range(501)) + "}}").encode(), "too_many_nodes"),
    (b'{"prompt": {"1": {"inputs": {}}}}', "missing_class_type"),
    (b'{"prompt": {"1": {"class_type": "A"}}}', "missing_inputs"),
    (b'{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://exa mple.com"}}}}', "invalid_url"),
    (b'{"prompt": {"1": {"class_type": "A", "inputs": {"u": "http://example.com"}}}}', "insecure_url"),
    (("{\"prompt\": {" + NODE + "}, \"webhook_url\": \"http://example.com/h\"}").encode(), "webhook_must_be_https"),
    (("{\"prompt\": {" + NODE + "}, \"webhook_url\": \"https://10.1.2.3/h\"}").encode(), "webhook_private_host"),
    (b'{"prompt": {"1": {"class_type": "Nope", "inputs": {}}}}', "missing_node_type"),
    (("{\"prompt\": {" + NODE.replace('"example.png"', '"example.png"') + "}}").encode(), None),
]


def test_every_400_code_and_a_valid_job_over_http(base_url):
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for body, expected in CASES:
            response = client.post("/v1/jobs", content=body)
            if expected is None:
                assert response.status_code == 202, response.text
                assert response.json()["nodes"] == 2
                continue
            assert response.status_code == 400, (expected, response.text)
            envelope = response.json()
            assert envelope["error"]["code"] == expected
            assert envelope["error"]["message"] == cmfy_validate.ErrorCode(expected).default_message or expected == "too_many_nodes"
            assert envelope["error"]["request_id"].startswith("req_")
            with pytest.raises(cmfy_validate.ValidationError) as caught:
                cmfy_validate.raise_for(response)
            assert caught.value.code == expected
