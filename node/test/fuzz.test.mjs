// A seeded random search of the JavaScript surface: every entry point that takes what a
// request or a response brings (bodies, headers, Authorization, snapshots) is fed bodies
// mutated from the repository's examples and plain noise. Each must answer as it documents
// (a Workflow or a ValidationError; a CmfyCloudError; an AuthenticationError), never crash,
// never throw anything else. The crate's own fuzz targets search far deeper (fuzz/); this
// searches the glue.
//
//   CMFY_FUZZ_SEED=123 CMFY_FUZZ_CASES=20000 node --test test/fuzz.test.mjs
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as cmfy from '../index.js'
import { repoDir } from './shared.mjs'

const SEED = Number(process.env.CMFY_FUZZ_SEED ?? 20261205) >>> 0
const CASES = Number(process.env.CMFY_FUZZ_CASES ?? 1500)

/** xorshift32: the same cases for the same seed, on every machine. */
function random (seed) {
  let state = seed || 1
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x100000000
  }
  const below = (n) => Math.floor(next() * n)
  return { next, below, pick: (items) => items[below(items.length)] }
}

const examplesDir = join(repoDir, 'examples', 'requests')
const seeds = readdirSync(examplesDir).filter((name) => name.endsWith('.json')).map((name) => readFileSync(join(examplesDir, name)))
const PIECES = ['"', '\\', '\\u0000', '\\ud800', '{', '}', '[', ']', ',', ':', '1e999', '-0', 'null', '"prompt"', '"class_type"', '"inputs"',
  '"webhook_url"', '"https://10.0.0.1/"', '"http://[::ffff:127.0.0.1]/"', '"https://xn--nxasmq6b.com/"', '\u00e9', '\u{1F600}', '\xff', ' ']

function mutated (rng) {
  if (rng.next() < 0.15) return Buffer.from(Array.from({ length: rng.below(64) }, () => rng.below(256)))
  let bytes = Buffer.from(rng.pick(seeds))
  for (let edits = 1 + rng.below(4); edits > 0; edits--) {
    const at = rng.below(bytes.length + 1)
    switch (rng.below(4)) {
      case 0: bytes = bytes.subarray(0, at); break
      case 1: bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(PIECES), 'latin1'), bytes.subarray(at)]); break
      case 2: if (at < bytes.length) bytes[at] = rng.below(256); break
      default: bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + rng.below(16)))])
    }
  }
  return bytes
}

function answer (body, options) {
  try {
    const workflow = cmfy.validate(body, options)
    assert.equal(typeof workflow.length, 'number')
    assert.equal(typeof workflow.promptText(), 'string')
    return 'ok'
  } catch (error) {
    assert.ok(error instanceof cmfy.ValidationError, `validate threw ${error?.stack ?? error}`)
    assert.equal(error.statusCode, 400)
    JSON.parse(error.toBodyText('req_1'))
    return error.code
  }
}

test(`bodies, mutated and random, answer with a Workflow or a ValidationError (seed ${SEED}, ${CASES} cases)`, async () => {
  const rng = random(SEED)
  const options = [undefined, { maxNodes: 2 }, { allowedSources: ['huggingface.co/*'] }, { checkWorkflowUrlHosts: false, allowPrivateWebhooks: true }]
  for (let i = 0; i < CASES; i++) {
    const body = mutated(rng)
    const chosen = rng.pick(options)
    const code = answer(body, chosen)
    const all = cmfy.validateAll(body, chosen)
    assert.ok(all.every((error) => error instanceof cmfy.ValidationError))
    assert.equal(all.length === 0 ? 'ok' : all[0].code, code, `seed ${SEED}, case ${i}`)
    // As a string (its UTF-8 as JavaScript has it), and off the main thread.
    answer(body.toString('utf8'), chosen)
    if (i % 50 === 0) {
      const later = await cmfy.validateAsync(body, chosen).then(() => 'ok', (error) => error.code)
      assert.equal(later, code, `seed ${SEED}, case ${i}`)
    }
  }
})

test(`responses, headers and Authorization values of every shape read without throwing (seed ${SEED})`, () => {
  const rng = random(SEED ^ 0x5bd1e995)
  const names = ['retry-after', 'Retry-After', 'x-request-id', 'X-RateLimit-Limit', 'x-ratelimit-remaining', 'X-RateLimit-Reset', 'X-Queue-Limit', 'X-Queue-Current', 'X-Concurrent-Limit', 'X-Concurrent-Current', 'content-type']
  const values = () => rng.pick(['0', '1', '30', '-1', '1.5', '99999999999999999999', 'Sun, 06 Nov 1994 08:49:37 GMT', '', ' 7 ', 'soon', '\u00e9', String(rng.next())])
  for (let i = 0; i < CASES; i++) {
    const headers = Object.fromEntries(Array.from({ length: rng.below(6) }, () => [rng.pick(names), values()]))
    const status = rng.pick([0, 200, 400, 401, 403, 404, 429, 500, 503, 599, 65535, -1, 1e9, '429', null])
    const body = rng.next() < 0.5 ? mutated(rng) : rng.pick([undefined, null, '', '<html>', { error: { code: 'queue_full' } }, 42])
    const error = cmfy.errorFromResponse(status, rng.next() < 0.1 ? rng.pick([null, 'x', 7, [['a']]]) : headers, body)
    assert.ok(error instanceof cmfy.CmfyCloudError, `errorFromResponse gave ${error}`)
    assert.ok(error.limits !== null && typeof error.limits === 'object')
    assert.ok(error.retryAfter === undefined || error.retryAfter === null || error.retryAfter >= 0)
    JSON.stringify(error)
    cmfy.limitsFromHeaders(headers)
    const authorization = rng.next() < 0.5 ? `Bearer sk_${rng.pick(['live', 'test', 'x'])}_${'k'.repeat(rng.below(50))}` : mutated(rng).toString('latin1')
    try {
      cmfy.checkAuthorization(authorization)
    } catch (thrown) {
      assert.ok(thrown instanceof cmfy.AuthenticationError, `checkAuthorization threw ${thrown}`)
    }
    assert.equal(typeof cmfy.isUrlLike(mutated(rng).toString('utf8')), 'boolean')
  }
})

test(`object_info snapshots, mutated, load or throw an Error that says why (seed ${SEED})`, () => {
  const rng = random(SEED ^ 0x27d4eb2f)
  const snapshot = readFileSync(join(repoDir, 'examples', 'catalogue', 'object_info.json'))
  const workflow = readFileSync(join(examplesDir, 'catalogue-ok.json'))
  for (let i = 0; i < Math.ceil(CASES / 10); i++) {
    let bytes = Buffer.from(snapshot)
    const at = rng.below(bytes.length)
    bytes = rng.next() < 0.5 ? bytes.subarray(0, at) : Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(PIECES), 'latin1'), bytes.subarray(at)])
    let catalogue
    try {
      catalogue = cmfy.Catalogue.fromObjectInfo(bytes)
    } catch (error) {
      assert.ok(error instanceof Error && error.message.length > 0)
      continue
    }
    answer(workflow, { catalogue })
    answer(mutated(rng), { catalogue })
  }
})
