// A real HTTP round trip on loopback: a node:http server answers POST /v1/jobs with validate()
// and the envelope, and a 429 first; the client reads errors with errorFromFetch and retries
// with submitWithRetry. Bounded: every wait is a fraction of a second.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { once } from 'node:events'
import { validate, ValidationError, RetryPolicy, submitWithRetry, errorFromFetch, checkAuthorization, CmfyCloudError } from '../index.js'
import { example } from './shared.mjs'

const KEY = 'sk_test_' + 'k'.repeat(43)

async function serve (t, busyFirst) {
  let posts = 0
  const server = createServer(async (request, response) => {
    const chunks = []
    for await (const chunk of request) chunks.push(chunk)
    const send = (status, body, headers = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${posts}`, ...headers })
      response.end(JSON.stringify(body))
    }
    try {
      checkAuthorization(request.headers.authorization)
    } catch (error) {
      return send(error.statusCode, { error: { code: error.code, message: error.message, details: {} } })
    }
    posts++
    if (posts <= busyFirst) {
      return send(429, { error: { code: 'queue_full', message: 'Job queue is full. Try again later.', details: {}, retry_after: 0 } }, { 'retry-after': '30' })
    }
    try {
      const workflow = validate(Buffer.concat(chunks))
      send(202, { job_id: 'job_1', nodes: workflow.length })
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      response.writeHead(error.status, { 'content-type': 'application/json' })
      response.end(error.toBodyText(`req_${posts}`))
    }
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => server.close())
  return { url: `http://127.0.0.1:${server.address().port}/v1/jobs`, posts: () => posts }
}

const post = (body, key = KEY) => ({ method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) })

test('a 400 from the server reads back as the ValidationError it was', async (t) => {
  const { url } = await serve(t, 0)
  const response = await fetch(url, post(example('requests/invalid-insecure-url.json')))
  const error = await errorFromFetch(response)
  assert.ok(error instanceof ValidationError)
  let local
  try { validate(example('requests/invalid-insecure-url.json')) } catch (e) { local = e }
  assert.deepEqual([error.code, error.message, error.pointer, error.details, error.requestId], [local.code, local.message, local.pointer, local.details, 'req_1'])
  const denied = await errorFromFetch(await fetch(url, post('{}', 'nope')))
  assert.deepEqual([denied.name, denied.code, denied.statusCode], ['AuthenticationError', 'invalid_api_key', 401])
})

test('submitWithRetry waits out the 429s as the policy says, then succeeds', async (t) => {
  const { url, posts } = await serve(t, 2)
  const retries = []
  const policy = new RetryPolicy({ base: 0.01, maxDelay: 0.1, maxAttempts: 4 })
  const started = Date.now()
  const response = await submitWithRetry(url, post(example('requests/quickstart.json')), { policy, onRetry: (retry) => retries.push(retry), random: () => 0 })
  assert.equal(response.status, 202)
  assert.deepEqual(await response.json(), { job_id: 'job_1', nodes: validate(example('requests/quickstart.json')).length })
  assert.equal(posts(), 3)
  // The envelope's retry_after (0) wins over the header's 30; a full queue waits four backoffs.
  assert.deepEqual(retries.map((r) => [r.attempt, r.delay, r.error.code, r.error.retryAfter]), [[0, 0.04, 'queue_full', 0], [1, 0.08, 'queue_full', 0]])
  assert.ok(Date.now() - started < 5_000)
})

test('submitWithRetry gives up on a 400 at once, and after maxAttempts on 429s', async (t) => {
  const { url, posts } = await serve(t, 100)
  const policy = new RetryPolicy({ base: 0.01, maxDelay: 0.02, maxAttempts: 3 })
  await assert.rejects(submitWithRetry(url, post('{}'), { policy }), (error) => error.code === 'queue_full' && error instanceof CmfyCloudError)
  assert.equal(posts(), 3)
  const once400 = await serve(t, 0)
  await assert.rejects(submitWithRetry(once400.url, post('{"prompt": {}}'), { policy }), (error) => error instanceof ValidationError && error.code === 'empty_workflow')
  assert.equal(once400.posts(), 1)
})

test('submitWithRetry retries a refused connection, then throws it', async () => {
  const closed = createServer()
  closed.listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const url = `http://127.0.0.1:${closed.address().port}/v1/jobs`
  closed.close()
  await once(closed, 'close')
  const retries = []
  const policy = new RetryPolicy({ base: 0.01, maxDelay: 0.02, maxAttempts: 2 })
  await assert.rejects(submitWithRetry(url, post('{}'), { policy, onRetry: (r) => retries.push(r) }), TypeError)
  assert.equal(retries.length, 1)
})
