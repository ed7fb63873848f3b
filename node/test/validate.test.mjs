import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as cmfy from '../index.js'
import { example, shared } from './shared.mjs'

const { validate, validateAll, ValidationError, CmfyCloudError, Link, MAX_REPORTED_ERRORS } = cmfy

function firstCode (body, options) {
  try {
    validate(body, options)
    return 'ok'
  } catch (error) {
    assert.ok(error instanceof ValidationError, `${error}`)
    return error.code
  }
}

test('the shared conformance cases answer their codes, as bytes and through validateAll', (t) => {
  const path = shared(t, 'conformance/cases.jsonl')
  if (!path) return
  const cases = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
  assert.ok(cases.length > 50)
  for (const one of cases) {
    const body = one.body_hex !== undefined ? Buffer.from(one.body_hex, 'hex') : Buffer.from(one.body, 'utf8')
    assert.equal(firstCode(body), one.expect, one.name)
    const all = validateAll(body)
    assert.equal(all.length === 0 ? 'ok' : all[0].code, one.expect, one.name)
  }
})

test('a body may be a Buffer, Uint8Array, ArrayBuffer, another view or a string', () => {
  const text = example('requests/quickstart.json').toString('utf8')
  const bytes = Buffer.from(text)
  const copy = new Uint8Array(bytes)
  const forms = [text, bytes, copy, copy.buffer, new DataView(copy.buffer), new Uint16Array(copy.buffer.slice(0, copy.length - (copy.length % 2)))]
  for (const form of forms.slice(0, 5)) assert.equal(validate(form).length, validate(bytes).length)
  // A view of part of a buffer is that part only.
  const padded = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')])
  assert.equal(validate(padded.subarray(2, 2 + bytes.length)).length, validate(bytes).length)
  assert.equal(firstCode(padded), 'invalid_json')
})

test('other types are a TypeError, never a crash or a validation error', () => {
  for (const body of [undefined, null, 5, {}, [], true, Symbol('x'), () => 1]) {
    assert.throws(() => validate(body), TypeError)
    assert.throws(() => validateAll(body), TypeError)
  }
  const body = '{"prompt": {"1": {"class_type": "A", "inputs": {}}}}'
  assert.throws(() => validate(body, 3), TypeError)
  assert.throws(() => validate(body, { maxNode: 3 }), /unknown option "maxNode"/)
  assert.throws(() => validate(body, { maxNodes: '3' }), TypeError)
  assert.throws(() => validate(body, { maxNodes: 1.5 }), TypeError)
  assert.throws(() => validate(body, { maxNodes: 0 }), RangeError)
  assert.throws(() => validate(body, { checkWorkflowUrlHosts: 'no' }), TypeError)
  assert.throws(() => validate(body, { catalogue: {} }), TypeError)
  assert.throws(() => validate(body, { allowedSources: 'huggingface.co/*' }), TypeError)
  assert.throws(() => validate(body, { allowedSources: [3] }), TypeError)
  assert.throws(() => validate(body, { allowedSources: ['not a pattern ['] }), /allowedSources/)
})

test('any bytes answer as the crate does: invalid UTF-8, lone surrogates, duplicate keys', () => {
  assert.equal(firstCode(Buffer.from([0xff, 0xfe, 0x7b])), 'invalid_json')
  assert.equal(firstCode('{"prompt": {"1": {"class_type": "\\ud800", "inputs": {}}}}'), 'invalid_json')
  assert.equal(firstCode('{"prompt": {"1": {"class_type": "A", "inputs": {}}}, "prompt": {}}'), 'invalid_json')
  assert.equal(firstCode('{"prompt": {"1": {"class_type": "A", "inputs": {"a": 1e400}}}}'), 'invalid_json')
  // JSON.parse takes all three of these; the crate's rules are the API's.
  assert.doesNotThrow(() => JSON.parse('{"a": 1, "a": 2}'))
  const error = validateAll(Buffer.from('{"prompt": [1,]}'))[0]
  assert.deepEqual([error.code, error.pointer, error.details.line, error.details.column, error.details.reason], ['invalid_json', '', 1, 15, 'expected a JSON value'])
})

test('a 100 MB body answers without a crash', () => {
  const body = Buffer.alloc(100 * 1024 * 1024, 0x20)
  body.write('{"prompt": {"1": {"class_type": "A", "inputs": {"t": "', 0)
  assert.equal(firstCode(body), 'invalid_json')
  const valid = Buffer.concat([Buffer.from('{"prompt": {"1": {"class_type": "A", "inputs": {"t": "'), Buffer.alloc(100 * 1024 * 1024, 0x61), Buffer.from('"}}}}')])
  assert.equal(validate(valid).length, 1)
})

test('the workflow: nodes, inputs, links, titles, webhook, key, URLs and JSON', () => {
  const body = `{"prompt": {
    "3": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "https://HuggingFace.co/org/m/resolve/main/./a.safetensors"}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat", "clip": ["3", 1], "__proto__": 2, "big": 12345678901234567890, "list": [1, {"u": "https://civitai.com/api/download/models/1"}]},
          "_meta": {"title": "Prompt"}}},
    "webhook_url": "https://Example.com/hook", "idempotency_key": "req-1", "other": 1}`
  const workflow = validate(body)
  assert.equal(workflow.length, 2)
  assert.equal(workflow.webhookUrl, 'https://example.com/hook')
  assert.equal(workflow.idempotencyKey, 'req-1')
  const [loader, encoder] = workflow.nodes
  assert.deepEqual([loader.id, loader.classType, loader.title], ['3', 'CheckpointLoaderSimple', null])
  assert.deepEqual([encoder.id, encoder.classType, encoder.title], ['6', 'CLIPTextEncode', 'Prompt'])
  assert.ok(encoder.inputs.clip instanceof Link)
  assert.deepEqual([encoder.inputs.clip.nodeId, encoder.inputs.clip.output], ['3', 1])
  assert.equal(encoder.inputs.text, 'a cat')
  assert.deepEqual(Object.keys(encoder.inputs), ['text', 'clip', '__proto__', 'big', 'list'])
  assert.equal(Object.getOwnPropertyDescriptor(encoder.inputs, '__proto__').value, 2)
  assert.equal(Object.getPrototypeOf(encoder.inputs), Object.prototype)
  assert.equal(workflow.node('6'), encoder)
  assert.equal(workflow.node('9'), undefined)
  assert.deepEqual(workflow.urls().map((u) => [u.nodeId, u.classType, u.input, u.pointer, u.url]), [
    ['3', 'CheckpointLoaderSimple', 'ckpt_name', '/prompt/3/inputs/ckpt_name', 'https://huggingface.co/org/m/resolve/main/a.safetensors'],
    ['6', 'CLIPTextEncode', 'list', '/prompt/6/inputs/list/1/u', 'https://civitai.com/api/download/models/1']
  ])
  // Numbers exactly as written in the text; JSON.stringify writes the request back.
  assert.match(workflow.promptText(), /12345678901234567890/)
  const request = JSON.parse(JSON.stringify(workflow))
  assert.deepEqual(Object.keys(request), ['prompt', 'webhook_url', 'idempotency_key'])
  assert.deepEqual(request.prompt['6'].inputs.clip, ['3', 1])
  assert.equal(request.prompt['6']._meta.title, 'Prompt')
})

test('the workflow keeps its own copy of the body', () => {
  const body = Buffer.from('{"prompt": {"1": {"class_type": "Alpha", "inputs": {}}}}')
  const workflow = validate(body)
  body.fill(0x20)
  assert.equal(workflow.nodes[0].classType, 'Alpha')
})

test('errors: the class, the code, the status, the pointer, the details and the envelope', () => {
  const body = example('requests/invalid-insecure-url.json')
  let thrown
  try { validate(body) } catch (error) { thrown = error }
  assert.ok(thrown instanceof ValidationError && thrown instanceof CmfyCloudError && thrown instanceof Error)
  assert.equal(thrown.name, 'ValidationError')
  assert.equal(thrown.code, 'insecure_url')
  assert.equal(thrown.errorCode, cmfy.ErrorCode.InsecureUrl)
  assert.equal(thrown.status, 400)
  assert.equal(thrown.statusCode, 400)
  assert.equal(thrown.message, 'Only HTTPS URLs are allowed')
  assert.ok(thrown.pointer.startsWith('/prompt/'))
  assert.equal(thrown.details.pointer, thrown.pointer)
  assert.equal(thrown.nodeErrors, null)
  const envelope = thrown.toBody('req_abc')
  assert.deepEqual(Object.keys(envelope.error), ['code', 'message', 'details', 'request_id'])
  assert.equal(envelope.error.request_id, 'req_abc')
  assert.deepEqual(JSON.parse(JSON.stringify(thrown)).error.code, 'insecure_url')
  assert.equal(thrown.toBodyText(), JSON.stringify(thrown.toBody()))
  assert.match(thrown.stack, /ValidationError: Only HTTPS URLs are allowed/)
})

test('validateAll: every problem in precedence order, the first the one validate throws, at most the cap', () => {
  const body = '{"prompt": {"1": {"inputs": {"u": "http://a.example"}}, "2": {"class_type": "B"}}, "webhook_url": "http://hooks.example"}'
  assert.deepEqual(validateAll(body).map((e) => e.code), ['missing_class_type', 'missing_inputs', 'insecure_url', 'webhook_must_be_https'])
  assert.equal(firstCode(body), 'missing_class_type')
  assert.deepEqual(validateAll(example('requests/quickstart.json')), [])
  const many = { prompt: {} }
  for (let i = 0; i < 300; i++) many.prompt[i] = { inputs: {} }
  assert.equal(validateAll(JSON.stringify(many)).length, MAX_REPORTED_ERRORS)
})

test('options: the node limit, hosts, private webhooks and approved sources', () => {
  const nodes = (n) => JSON.stringify({ prompt: Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), { class_type: 'A', inputs: {} }])) })
  assert.equal(firstCode(nodes(3), { maxNodes: 2 }), 'too_many_nodes')
  assert.equal(validateAll(nodes(3), { maxNodes: 2 })[0].message, 'Workflow exceeds 2 nodes')
  assert.equal(firstCode(nodes(501)), 'too_many_nodes')
  assert.equal(firstCode(nodes(500)), 'ok')
  const privateUrl = '{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://10.0.0.1/m"}}}}'
  assert.equal(firstCode(privateUrl), 'insecure_url')
  assert.equal(firstCode(privateUrl, { checkWorkflowUrlHosts: false }), 'ok')
  const hook = '{"prompt": {"1": {"class_type": "A", "inputs": {}}}, "webhook_url": "https://192.168.1.1/h"}'
  assert.equal(firstCode(hook), 'webhook_private_host')
  assert.equal(firstCode(hook, { allowPrivateWebhooks: true }), 'ok')
  const hf = '{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://huggingface.co/a/b"}}}}'
  assert.equal(firstCode(hf, { allowedSources: ['huggingface.co/*'] }), 'ok')
  assert.equal(firstCode(hf, { allowedSources: new Set(['civitai.com/*']) }), 'insecure_url')
  assert.equal(validateAll(hf, { allowedSources: ['civitai.com/*'] })[0].details.reason, 'source not allowed')
})

test('the package loads through require as well as import', () => {
  const required = createRequire(import.meta.url)('../index.js')
  assert.equal(required.validate, validate)
  assert.ok(cmfy.isUrlLike('s3://b/k'))
  assert.ok(!cmfy.isUrlLike('data:text/plain,x'))
  assert.throws(() => cmfy.isUrlLike(3), TypeError)
})

test('validateAsync and validateAllAsync answer as validate and validateAll, off the main thread', async () => {
  const good = '{"prompt": {"1": {"class_type": "SaveImage", "inputs": {"images": ["2", 0]}}, "2": {"class_type": "LoadImage", "inputs": {"image": "a.png"}}}, "webhook_url": "https://hooks.example.com/x"}'
  const workflow = await cmfy.validateAsync(good)
  assert.deepEqual([workflow.length, workflow.webhookUrl], [2, 'https://hooks.example.com/x'])
  assert.deepEqual(workflow.toJSON(), validate(good).toJSON())
  // Bytes are copied before the promise is made: the caller may reuse their buffer at once.
  const bytes = Buffer.from(good)
  const pending = cmfy.validateAsync(bytes)
  bytes.fill(0x20)
  assert.equal((await pending).node('2').classType, 'LoadImage')
  const bad = '{"prompt": {"1": {"inputs": {}}, "2": {"class_type": "B"}}, "webhook_url": "http://hooks.example"}'
  await assert.rejects(cmfy.validateAsync(bad), (error) => error instanceof ValidationError && error.code === 'missing_class_type')
  const all = await cmfy.validateAllAsync(bad, { maxNodes: 5 })
  assert.deepEqual(all.map((e) => e.code), validateAll(bad, { maxNodes: 5 }).map((e) => e.code))
  assert.deepEqual(await cmfy.validateAllAsync(good), [])
  // A wrong argument rejects, as validate throws.
  await assert.rejects(cmfy.validateAsync(42), TypeError)
  await assert.rejects(cmfy.validateAsync(good, { maxNodes: 0 }), RangeError)
  // Many at once, each its own answer.
  const answers = await Promise.all(Array.from({ length: 64 }, (_, i) => cmfy.validateAllAsync(i % 2 ? good : bad)))
  answers.forEach((errors, i) => assert.equal(errors.length === 0, i % 2 === 1))
})

test('an options object is read on every call, though the policy it makes is built once', () => {
  const three = '{"prompt": {"1": {"class_type": "A", "inputs": {}}, "2": {"class_type": "A", "inputs": {}}, "3": {"class_type": "A", "inputs": {}}}}'
  const options = { maxNodes: 3 }
  assert.equal(validate(three, options).length, 3)
  options.maxNodes = 2
  assert.equal(firstCode(three, options), 'too_many_nodes')
  options.maxNodes = 3
  assert.equal(validate(three, options).length, 3)
  // The same numbers in another object, or sources in another order, are their own policies.
  const model = '{"prompt": {"1": {"class_type": "A", "inputs": {"u": "https://civitai.com/m.safetensors"}}}}'
  assert.equal(firstCode(model, { allowedSources: ['huggingface.co/*'] }), 'insecure_url')
  assert.equal(firstCode(model, { allowedSources: ['huggingface.co/*', 'civitai.com/*'] }), 'ok')
  assert.equal(firstCode(model, { allowedSources: ['huggingface.co/*'] }), 'insecure_url')
  // Many different options: each still answers for itself.
  for (let limit = 1; limit <= 100; limit++) {
    assert.equal(firstCode(three, { maxNodes: limit }), limit >= 3 ? 'ok' : 'too_many_nodes')
  }
})
