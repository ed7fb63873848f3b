import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cmfy from '../index.js'

const { errorFromResponse, errorFromFetch, RetryPolicy, ErrorCode, checkAuthorization } = cmfy

test('every code of the catalogue: status, retryable, message, and its envelope reads back as its class', () => {
  const classes = { 400: cmfy.ValidationError, 401: cmfy.AuthenticationError, 403: cmfy.AuthorizationError, 404: cmfy.NotFoundError, 429: cmfy.RateLimitError, 500: cmfy.ServerError, 503: cmfy.ServerError }
  const codes = ErrorCode.all()
  assert.equal(codes.length, 34)
  for (const code of codes) {
    assert.equal(ErrorCode.from(code.code), code)
    assert.equal(code.isRetryable, [429, 500, 503].includes(code.status))
    const body = JSON.stringify({ error: { code: code.code, message: code.defaultMessage, details: {}, request_id: 'req_1' } })
    const error = errorFromResponse(code.status, {}, body)
    assert.ok(error instanceof classes[code.status], code.code)
    assert.ok(error instanceof cmfy.CmfyCloudError && error instanceof Error)
    assert.deepEqual([error.code, error.message, error.statusCode, error.requestId, error.errorCode], [code.code, code.defaultMessage, code.status, 'req_1', code])
  }
  assert.equal(ErrorCode.InvalidJson.status, 400)
  assert.equal(`${ErrorCode.QueueFull}`, 'queue_full')
  assert.equal(ErrorCode.from('teapot'), undefined)
  assert.throws(() => { ErrorCode.InvalidJson.status = 500 }, TypeError)
})

test('bodies that are not envelopes (the Rust tests\' rows)', () => {
  const rows = [
    [502, '<html><body><h1>502 Bad Gateway</h1></body></html>', cmfy.ServerError, 'HTTP 502 with a body that is not an API error envelope'],
    [503, '', cmfy.ServerError, 'HTTP 503 with an empty body'],
    [500, '  \r\n', cmfy.ServerError, 'HTTP 500 with an empty body'],
    [400, '{"error": {"code": "invalid_json", "mess', cmfy.ValidationError, 'HTTP 400 with a body that is not an API error envelope'],
    [429, '[]', cmfy.RateLimitError, 'HTTP 429 with a body that is not an API error envelope'],
    [404, 'null', cmfy.NotFoundError, 'HTTP 404 with a body that is not an API error envelope'],
    [401, '{"error": "unauthorized"}', cmfy.AuthenticationError, 'unauthorized'],
    [403, '{"message": "Forbidden"}', cmfy.AuthorizationError, 'Forbidden'],
    [422, '{"detail": "Unprocessable"}', cmfy.CmfyCloudError, 'Unprocessable'],
    [400, '{"error": {"code": "invalid_json"}}', cmfy.ValidationError, 'Request body is not valid JSON'],
    [418, '{"error": {"code": "teapot", "details": [1]}}', cmfy.CmfyCloudError, 'HTTP 418'],
    [500, Buffer.from([0xff, 0xfe, 0x00, 0x62]), cmfy.ServerError, 'HTTP 500 with a body that is not an API error envelope']
  ]
  for (const [status, body, kind, message] of rows) {
    const error = errorFromResponse(status, undefined, body)
    assert.equal(error.constructor, kind, `${body}`)
    assert.deepEqual([error.statusCode, error.message], [status, message])
  }
  assert.equal(errorFromResponse(502, null, '<html>x</html>').details.body_excerpt, '<html>x</html>')
})

test('never throws, whatever it is given', () => {
  const odd = [undefined, null, 'abc', -1, 1e9, NaN, {}, [], Symbol('s')]
  const bodies = [undefined, null, '', 'x'.repeat(200_000), Buffer.alloc(10 << 20), new ArrayBuffer(8), { error: { code: 'queue_full', message: 'm' } }, 5, true, [1, 2]]
  const headers = [undefined, null, {}, [['a']], [null], new Map([['Retry-After', 5]]), new Headers({ 'retry-after': '3' }), { 'retry-after': ['junk', '4'] }, 'text', 7]
  for (const status of [...odd, 429]) {
    for (const body of bodies) {
      for (const header of headers) {
        const error = errorFromResponse(status, header, body)
        assert.ok(error instanceof cmfy.CmfyCloudError)
        assert.ok(error.message.length > 0)
      }
    }
  }
  assert.equal(errorFromResponse(502, null, Buffer.alloc(10 << 20)).message, 'HTTP 502 with a 10485760 byte body, too large to be an API error')
  assert.equal(errorFromResponse(429, { 'retry-after': ['junk', '4'] }, '').retryAfter, 4)
  assert.equal(errorFromResponse(429, new Map([['Retry-After', 5]]), '').retryAfter, 5)
})

test('Retry-After as seconds, as an HTTP date, and from the envelope', () => {
  assert.equal(errorFromResponse(429, { 'Retry-After': '12' }, '').retryAfter, 12)
  const inAMinute = new Date(Date.now() + 60_000).toUTCString()
  const fromDate = errorFromResponse(429, new Headers({ 'Retry-After': inAMinute }), '').retryAfter
  assert.ok(fromDate > 55 && fromDate <= 60, `${fromDate}`)
  const body = '{"error": {"code": "rate_limit_exceeded", "message": "m", "retry_after": 3, "request_id": "req_b"}}'
  const error = errorFromResponse(429, [['Retry-After', '99'], ['X-Request-Id', 'req_h']], body)
  assert.deepEqual([error.retryAfter, error.requestId], [3, 'req_b'])
  assert.equal(errorFromResponse(503, { 'X-Request-Id': 'req_h' }, '').requestId, 'req_h')
})

test('errorFromFetch reads a Response, a huge one without holding it', async () => {
  const envelope = '{"error": {"code": "queue_full", "message": "Queue is full", "retry_after": 2}}'
  const error = await errorFromFetch(new Response(envelope, { status: 429, headers: { 'x-request-id': 'req_f' } }))
  assert.ok(error instanceof cmfy.RateLimitError)
  assert.deepEqual([error.code, error.retryAfter, error.requestId], ['queue_full', 2, 'req_f'])
  let sent = 0
  const stream = new ReadableStream({
    pull (controller) {
      if (sent >= 64) return controller.close()
      sent++
      controller.enqueue(new Uint8Array(1 << 20))
    }
  })
  const huge = await errorFromFetch(new Response(stream, { status: 502 }))
  assert.equal(huge.message, 'HTTP 502 with a 67108864 byte body, too large to be an API error')
  assert.ok((await errorFromFetch(null)) instanceof cmfy.CmfyCloudError)
  assert.ok((await errorFromFetch({ status: 500 })) instanceof cmfy.ServerError)
})

test('RetryPolicy.decide: the crate\'s rules and caps', () => {
  const policy = new RetryPolicy()
  assert.deepEqual([policy.base, policy.maxDelay, policy.maxAttempts, policy.maxServerDelay], [1, 60, 5, 3600])
  const unavailable = errorFromResponse(503, {}, '')
  assert.equal(policy.decide(unavailable, 2, 0), 4)
  const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' })
  assert.equal(policy.decide(timeout, 0, 0.5), 1.05)
  assert.equal(policy.decide(timeout, 4, 0), null)
  assert.equal(policy.decide(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), 0, 0), 1)
  assert.equal(policy.decide(errorFromResponse(400, {}, ''), 0, 0), null)
  assert.equal(policy.decide(new Error('other'), 0, 0), null)
  assert.equal(policy.decide(errorFromResponse(429, { 'Retry-After': '30' }, ''), 0, 0), 30)
  assert.ok(policy.decide(errorFromResponse(429, { 'Retry-After': '86400' }, ''), 0, 0) <= 3600)
  assert.equal(new RetryPolicy({ maxServerDelay: 10 }).decide(errorFromResponse(429, { 'Retry-After': '30' }, ''), 0, 0), 10)
  for (const delay of Array.from({ length: 20 }, (_, attempt) => new RetryPolicy({ maxAttempts: 30 }).decide(unavailable, attempt, 0.999))) {
    assert.ok(delay <= 66, `${delay}`)
  }
  assert.throws(() => new RetryPolicy({ base: -1 }), RangeError)
  assert.throws(() => new RetryPolicy({ maxAttempts: 1.5 }), RangeError)
  assert.throws(() => policy.decide(unavailable, -1), RangeError)
  assert.throws(() => policy.decide(unavailable, 0, 1), RangeError)
})

test('checkAuthorization: a key, or the 401 with its code', () => {
  const key = 'sk_live_' + 'A'.repeat(43)
  assert.deepEqual(checkAuthorization(`Bearer ${key}`), { mode: 'live', key })
  assert.deepEqual(checkAuthorization(Buffer.from(`Bearer sk_test_${'b'.repeat(43)}`)).mode, 'test')
  const rows = [[undefined, 'missing_auth'], [null, 'missing_auth'], ['  ', 'missing_auth'], ['Basic abc', 'invalid_auth_format'], ['Bearer sk_live_short', 'invalid_api_key']]
  for (const [header, code] of rows) {
    assert.throws(() => checkAuthorization(header), (error) => error instanceof cmfy.AuthenticationError && error.code === code && error.statusCode === 401 && error.message === ErrorCode.from(code).defaultMessage)
  }
  assert.throws(() => checkAuthorization(5), TypeError)
})

test('an error read from a response carries its limit headers, each group whole or null', () => {
  const headers = {
    'X-RateLimit-Limit': '60',
    'x-ratelimit-remaining': '0',
    'X-RateLimit-Reset': '1700000000',
    'X-Queue-Limit': '100',
    'X-Queue-Current': '100',
    // One of the two concurrency headers: that group is not whole.
    'X-Concurrent-Limit': '2'
  }
  const body = JSON.stringify({ error: { code: 'rate_limit_exceeded', message: 'Slow down' } })
  const error = errorFromResponse(429, headers, body)
  assert.ok(error instanceof cmfy.RateLimitError)
  assert.deepEqual(error.limits, {
    rate: { limit: 60, remaining: 0, reset: 1700000000 },
    concurrent: null,
    queue: { limit: 100, current: 100 }
  })
  assert.ok(Object.isFrozen(error.limits) && Object.isFrozen(error.limits.rate))
  assert.deepEqual(error.toJSON().limits, error.limits)
  assert.deepEqual(cmfy.limitsFromHeaders(new Map(Object.entries(headers))), error.limits)
  assert.deepEqual(cmfy.limitsFromHeaders([['X-Concurrent-Limit', '2'], ['X-Concurrent-Current', '1']]), { rate: null, concurrent: { limit: 2, current: 1 }, queue: null })
  // Garbage is no header; nothing at all is no limits.
  assert.deepEqual(cmfy.limitsFromHeaders({ 'X-Queue-Limit': 'many', 'X-Queue-Current': '1' }), { rate: null, concurrent: null, queue: null })
  for (const nothing of [undefined, null, 42, 'headers']) {
    assert.deepEqual(cmfy.limitsFromHeaders(nothing), { rate: null, concurrent: null, queue: null })
  }
  // An error made by hand has none.
  assert.equal(new cmfy.ServerError('internal_error', 'm', 500).limits, null)
})
