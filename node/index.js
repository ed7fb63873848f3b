'use strict'
// The JavaScript half of cmfy-validate: every decision is the Rust crate's, compiled into the
// native addon (`native.js` loads it); this file gives it JavaScript's shapes (Error
// subclasses, getters, camelCase, a fetch loop) and checks every argument's type before it
// crosses, so that a wrong type is a TypeError and never reaches the addon.

const native = loadNative()

/**
 * The addon, built first if this checkout has none yet: npm 11 runs a folder dependency's
 * install script only when the installing project allows it (`--allow-scripts=cmfy-validate`),
 * so without that the build happens here, once, on first use.
 */
function loadNative () {
  const fs = require('node:fs')
  const built = fs.readdirSync(__dirname).some((name) => name.startsWith('cmfy-validate.') && name.endsWith('.node'))
  if (!built) {
    process.stderr.write('cmfy-validate: building the native addon with cargo (first use only)\n')
    require('node:child_process').execFileSync(process.execPath, [require('node:path').join(__dirname, 'scripts', 'build.mjs')], { stdio: ['ignore', 2, 2] })
  }
  return require('./native.js')
}

/** The most problems `validateAll` returns. */
const MAX_REPORTED_ERRORS = native.MAX_REPORTED_ERRORS
/** Every key a `ValidationError`'s `details` can have (the crate's `Detail` table). */
const DETAIL_KEYS = Object.freeze(native.detailKeys())
/** The most bytes of an error response that are read: a longer body is not an API error. */
const MAX_ERROR_BODY = native.MAX_ERROR_BODY

// ---------------------------------------------------------------------------------------------
// Error codes

const CREATE = Symbol('ErrorCode')

/** One code of the API's error catalogue, with its HTTP status and whether to retry it. */
class ErrorCode {
  constructor (token, data) {
    if (token !== CREATE) throw new TypeError('ErrorCode instances are ErrorCode.InvalidJson and the like')
    this.code = data.code
    this.status = data.status
    this.isRetryable = data.retryable
    this.defaultMessage = data.defaultMessage
    this.precedence = data.precedence ?? null
    Object.freeze(this)
  }

  /** The code for its string, or `undefined` for a code this package does not know. */
  static from (code) {
    return BY_CODE.get(code)
  }

  /** Every code, in the crate's order: the 400s in precedence order, then the rest. */
  static all () {
    return [...BY_CODE.values()]
  }

  toString () { return this.code }
  toJSON () { return this.code }
}

const BY_CODE = new Map()
for (const data of native.errorCodes()) {
  const code = new ErrorCode(CREATE, data)
  BY_CODE.set(code.code, code)
  // invalid_json -> ErrorCode.InvalidJson
  const name = code.code.split('_').map((word) => word[0].toUpperCase() + word.slice(1)).join('')
  Object.defineProperty(ErrorCode, name, { value: code, enumerable: true })
}
Object.freeze(ErrorCode)

// ---------------------------------------------------------------------------------------------
// Errors

/** An error of the API: its code, message, HTTP status and request id. */
class CmfyCloudError extends Error {
  constructor (code, message, statusCode, requestId = null, details = {}) {
    super(message)
    this.name = new.target.name
    this.code = code ?? null
    this.statusCode = statusCode
    this.requestId = requestId ?? null
    this.details = details ?? {}
    /** The response's limit headers (`errorFromResponse`, `errorFromFetch`); `null` otherwise. */
    this.limits = null
  }

  /** The code as an `ErrorCode`, or `null` for a code this package does not know. */
  get errorCode () {
    return BY_CODE.get(this.code) ?? null
  }

  toJSON () {
    return { name: this.name, code: this.code, message: this.message, statusCode: this.statusCode, requestId: this.requestId, details: this.details, limits: this.limits }
  }
}

/** 401: no key, or a bad one. */
class AuthenticationError extends CmfyCloudError {}
/** 403: the key may not do this. */
class AuthorizationError extends CmfyCloudError {}
/** 404: no such job. */
class NotFoundError extends CmfyCloudError {}
/** 5xx: the server's fault; worth retrying. */
class ServerError extends CmfyCloudError {}

/** 429: too many requests or jobs, or a full queue; `retryAfter` is the server's delay in seconds, if it gave one. */
class RateLimitError extends CmfyCloudError {
  constructor (code, message, statusCode = 429, requestId = null, details = {}, retryAfter = null) {
    super(code, message, statusCode, requestId, details)
    this.retryAfter = retryAfter ?? null
  }

  toJSON () {
    return { ...super.toJSON(), retryAfter: this.retryAfter }
  }
}

/**
 * 400: the request is wrong (what `validate` throws, and what the API answers). `pointer` is an
 * RFC 6901 pointer to the offending value; `toBody()` is the exact envelope a server sends.
 */
class ValidationError extends CmfyCloudError {
  constructor (code, message, statusCode = 400, requestId = null, details = {}, { pointer = '', offset = 0, nodeErrors = null } = {}) {
    super(code, message, statusCode, requestId, details)
    this.pointer = pointer
    this.offset = offset
    this.nodeErrors = nodeErrors
  }

  /** The HTTP status: 400. */
  get status () {
    return this.statusCode
  }

  /** The error envelope as JSON text, exactly as a server sends it. */
  toBodyText (requestId = this.requestId) {
    return native.envelope(this.code ?? '', this.message, plainObject(this.details), optionalString(requestId, 'requestId'))
  }

  /** The error envelope: `{error: {code, message, details, request_id?}}`. */
  toBody (requestId = this.requestId) {
    return JSON.parse(this.toBodyText(requestId))
  }

  /** `JSON.stringify(error)` writes the envelope. */
  toJSON () {
    return this.toBody()
  }
}

function validationErrors ({ errors, nodeErrors = null }) {
  return errors.map((data) => new ValidationError(data.code, data.message, data.status, null, data.details, {
    pointer: data.pointer,
    offset: data.offset,
    nodeErrors
  }))
}

// ---------------------------------------------------------------------------------------------
// Arguments

function optionalString (value, what) {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`)
  return value
}

function plainObject (value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {}
}

/** A body's bytes without a copy: a string is passed as is (the addon reads its UTF-8). */
function bodyOf (body, what = 'body') {
  if (typeof body === 'string' || body instanceof Uint8Array) return body
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && body instanceof SharedArrayBuffer)) return new Uint8Array(body)
  throw new TypeError(`${what} must be a Buffer, Uint8Array, ArrayBuffer or string, not ${describe(body)}`)
}

function describe (value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? `an object (${value.constructor?.name ?? 'no prototype'})` : `a ${typeof value}`
}

const OPTIONS = new Set(['maxNodes', 'checkWorkflowUrlHosts', 'allowPrivateWebhooks', 'catalogue', 'allowedSources'])

function flag (options, name, otherwise) {
  const value = options[name]
  if (value === undefined) return otherwise
  if (typeof value !== 'boolean') throw new TypeError(`options.${name} must be a boolean`)
  return value
}

/** The native policy of an options object (`null`: the default policy). */
function policyOf (options) {
  if (options === undefined || options === null) return null
  if (typeof options !== 'object') throw new TypeError('options must be an object')
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) throw new TypeError(`unknown option ${JSON.stringify(key)} (known: ${[...OPTIONS].join(', ')})`)
  }
  let maxNodes = 500
  if (options.maxNodes !== undefined) {
    maxNodes = options.maxNodes
    if (typeof maxNodes !== 'number' || !Number.isInteger(maxNodes)) throw new TypeError('options.maxNodes must be an integer')
    if (maxNodes < 1) throw new RangeError('options.maxNodes must be at least 1')
    maxNodes = Math.min(maxNodes, 0xffffffff)
  }
  let catalogue = null
  if (options.catalogue !== undefined && options.catalogue !== null) {
    if (!(options.catalogue instanceof Catalogue)) throw new TypeError('options.catalogue must be a Catalogue (Catalogue.fromObjectInfo)')
    catalogue = options.catalogue[NATIVE]
  }
  let sources = null
  if (options.allowedSources !== undefined && options.allowedSources !== null) {
    if (typeof options.allowedSources[Symbol.iterator] !== 'function' || typeof options.allowedSources === 'string') {
      throw new TypeError('options.allowedSources must be an array of URL patterns')
    }
    sources = [...options.allowedSources]
    if (!sources.every((source) => typeof source === 'string')) throw new TypeError('options.allowedSources must hold strings')
  }
  const hosts = flag(options, 'checkWorkflowUrlHosts', true)
  const privateWebhooks = flag(options, 'allowPrivateWebhooks', false)
  // Options are read on every call (the caller may change the object), but the native policy
  // they make is built once: building one (parsing its URL patterns) costs several times a
  // small body's validation.
  const signature = JSON.stringify([maxNodes, hosts, privateWebhooks, sources])
  const cache = policiesOf(catalogue)
  let policy = cache.get(signature)
  if (policy === undefined) {
    try {
      policy = new native.Policy(maxNodes, hosts, privateWebhooks, catalogue, sources)
    } catch (error) {
      throw new TypeError(error.message)
    }
    if (cache.size >= MAX_CACHED_POLICIES) cache.clear()
    cache.set(signature, policy)
  }
  return policy
}

/** Native policies without a catalogue, by their options' signature. */
const POLICIES = new Map()
/** Native policies with a catalogue, by catalogue: they go when it does. */
const CATALOGUE_POLICIES = new WeakMap()
/** How many policies a cache holds before it starts again (a server has a handful). */
const MAX_CACHED_POLICIES = 64

function policiesOf (catalogue) {
  if (catalogue === null) return POLICIES
  let cache = CATALOGUE_POLICIES.get(catalogue)
  if (cache === undefined) {
    cache = new Map()
    CATALOGUE_POLICIES.set(catalogue, cache)
  }
  return cache
}

/** The answer of the addon for a body, with the body and policy it was judged under. */
function judge (body, options, all) {
  const bytes = bodyOf(body)
  const policy = policyOf(options)
  const answer = typeof bytes === 'string' ? native.validateString(bytes, policy, all) : native.validateBytes(bytes, policy, all)
  return [answer, bytes, policy]
}

/** The body as a workflow keeps it: a string cannot change; bytes are copied, as the caller may reuse their buffer. */
function kept (body) {
  return typeof body === 'string' ? body : copyOf(body)
}

/** A copy of `bytes`: small ones from Node's buffer pool, which costs far less than a new ArrayBuffer. */
function copyOf (bytes) {
  const copy = Buffer.allocUnsafe(bytes.byteLength)
  copy.set(bytes)
  return copy
}

/** An answer of the addon that is problems, not an accepted request. */
const refused = (answer) => typeof answer === 'object' && Array.isArray(answer.errors)

// ---------------------------------------------------------------------------------------------
// Validation

/** A link to output `output` of node `nodeId`. */
class Link {
  constructor (nodeId, output) {
    this.nodeId = nodeId
    this.output = output
    Object.freeze(this)
  }

  toJSON () {
    return [this.nodeId, this.output]
  }
}

/** One node: `id`, `classType`, `title` (or `null`) and `inputs` (name to a `Link` or a value). */
class Node {
  constructor (data) {
    this.id = data.id
    this.classType = data.classType
    this.title = data.title ?? null
    const inputs = {}
    for (const input of data.inputs) {
      const value = input.json === undefined || input.json === null
        ? new Link(input.linkNodeId, input.linkOutput)
        : JSON.parse(input.json)
      // defineProperty: an input called "__proto__" is an input like any other.
      Object.defineProperty(inputs, input.name, { value, enumerable: true, writable: true, configurable: true })
    }
    this.inputs = inputs
  }
}

/**
 * An accepted request: its nodes in document order (built when first asked for), `webhookUrl`,
 * `idempotencyKey`, `urls()` and `toJSON()`. It holds its own copy of the body, not the caller's
 * buffer, so changing that buffer afterwards changes nothing here; the nodes, URLs and JSON are
 * read from that copy again when first asked for (validation is deterministic), so a server that
 * only forwards the body pays for none of it.
 */
class Workflow {
  #body
  #policy
  #nodes = null

  constructor (token, body, policy, accepted) {
    if (token !== CREATE) throw new TypeError('a Workflow comes from validate()')
    this.#body = body
    this.#policy = policy
    // The addon sends only the node count when there is no webhook URL and no key.
    const facts = typeof accepted === 'number' ? { length: accepted } : accepted
    /** How many nodes it has. */
    this.length = facts.length
    /** The webhook URL, parsed and serialised (WHATWG), or `null`. */
    this.webhookUrl = facts.webhookUrl ?? null
    /** `idempotency_key`, if it was a string, else `null`. */
    this.idempotencyKey = facts.idempotencyKey ?? null
  }

  #bytes () {
    if (typeof this.#body === 'string') this.#body = Buffer.from(this.#body)
    return this.#body
  }

  /** The nodes, in the order of the body. */
  get nodes () {
    if (this.#nodes === null) this.#nodes = Object.freeze(native.workflowNodes(this.#bytes(), this.#policy).map((data) => new Node(data)))
    return this.#nodes
  }

  /** The node with this id, or `undefined`. */
  node (id) {
    return this.nodes.find((node) => node.id === id)
  }

  /** Every URL-like input string (nested ones included), in document order: `{nodeId, classType, input, pointer, url}`. */
  urls () {
    return native.workflowUrls(this.#bytes(), this.#policy)
  }

  /** The `prompt` as JSON text, equal as JSON to the one received (numbers exactly as written). */
  promptText () {
    return native.workflowPromptJson(this.#bytes(), this.#policy)
  }

  /** The request as accepted: `{prompt, webhook_url?, idempotency_key?}` (what `JSON.stringify` writes). */
  toJSON () {
    const request = { prompt: JSON.parse(this.promptText()) }
    if (this.webhookUrl !== null) request.webhook_url = this.webhookUrl
    if (this.idempotencyKey !== null) request.idempotency_key = this.idempotencyKey
    return request
  }
}

/**
 * Validates a `POST /v1/jobs` body (Buffer, Uint8Array, ArrayBuffer, or a string read as
 * UTF-8) and returns the `Workflow`, or throws the one `ValidationError` the API answers with.
 * The body is read from its bytes, never `JSON.parse`d: duplicate keys, lone surrogates and
 * numbers out of range are the crate's `invalid_json`.
 */
function validate (body, options) {
  const [answer, bytes, policy] = judge(body, options, false)
  if (refused(answer)) throw validationErrors(answer)[0]
  return new Workflow(CREATE, kept(bytes), policy, answer)
}

/**
 * `validate` on a thread of libuv's pool, so that a large body (or a large catalogue check)
 * does not hold up the event loop: resolves to the `Workflow`, rejects with the same
 * `ValidationError`. The arguments are checked, and the body copied, before it returns.
 */
async function validateAsync (body, options) {
  const [answer, bytes, policy] = await judgeInBackground(body, options, false)
  if (refused(answer)) throw validationErrors(answer)[0]
  return new Workflow(CREATE, bytes, policy, answer)
}

/** `validateAll` on a thread of libuv's pool, as `validateAsync`. */
async function validateAllAsync (body, options) {
  const [answer] = await judgeInBackground(body, options, true)
  return refused(answer) ? validationErrors(answer) : []
}

/** `judge` off the main thread; the body as a copy of its bytes (the caller may reuse theirs). */
function judgeInBackground (body, options, all) {
  let bytes
  let policy
  try {
    bytes = kept(bodyOf(body))
    policy = policyOf(options)
  } catch (error) {
    return Promise.reject(error)
  }
  const input = typeof bytes === 'string' ? Buffer.from(bytes) : bytes
  return native.validateInBackground(input, policy, all).then((answer) => [answer, bytes, policy])
}

/** Every problem of a body, in precedence order (at most `MAX_REPORTED_ERRORS`); empty when valid. The first is what `validate` throws. */
function validateAll (body, options) {
  const [answer] = judge(body, options, true)
  return refused(answer) ? validationErrors(answer) : []
}

const NATIVE = Symbol('native')

/** A server's node catalogue from its `GET /object_info` snapshot: load it once, share it. */
class Catalogue {
  constructor (token, loaded) {
    if (token !== CREATE) throw new TypeError('a Catalogue comes from Catalogue.fromObjectInfo()')
    this[NATIVE] = loaded
    Object.freeze(this)
  }

  /**
   * Loads a snapshot: its bytes or text, or an object already parsed (written back to JSON
   * first). Throws a `TypeError` for another type and an `Error` that says why for a snapshot
   * that cannot be used.
   */
  static fromObjectInfo (data) {
    let bytes
    if (data !== null && typeof data === 'object' && !ArrayBuffer.isView(data) && !(data instanceof ArrayBuffer)) {
      bytes = Buffer.from(JSON.stringify(data))
    } else {
      bytes = bodyOf(data, 'the snapshot')
      if (typeof bytes === 'string') bytes = Buffer.from(bytes)
    }
    return new Catalogue(CREATE, native.Catalogue.fromBytes(bytes))
  }

  /** How many classes it has. */
  get length () { return this[NATIVE].length }
  /** Every class name, in snapshot order. */
  classNames () { return this[NATIVE].classNames() }
  /** A class as the check reads it (`outputNode`, `opaque`, `outputs`, `inputs`), or `null`. */
  classInfo (name) {
    if (typeof name !== 'string') throw new TypeError('name must be a string')
    const info = this[NATIVE].classInfo(name)
    if (info === null) return null
    for (const input of info.inputs) input.options ??= null
    return info
  }
}

/** Whether a string counts as a URL under the contract (`s3://b/k` does, `data:…` does not). */
function isUrlLike (text) {
  if (typeof text !== 'string') throw new TypeError('text must be a string')
  return native.isUrlLike(text)
}

// ---------------------------------------------------------------------------------------------
// Authorization

/**
 * Checks an `Authorization` header value (`undefined` or `null` when absent): returns
 * `{mode: 'live' | 'test', key}` or throws `AuthenticationError` (`missing_auth`,
 * `invalid_auth_format`, `invalid_api_key`).
 */
function checkAuthorization (header) {
  let bytes = null
  if (header !== undefined && header !== null) {
    bytes = bodyOf(header, 'header')
    if (typeof bytes === 'string') bytes = Buffer.from(bytes, 'latin1')
  }
  const result = native.checkAuthorization(bytes)
  if (typeof result === 'string') {
    const code = BY_CODE.get(result)
    throw new AuthenticationError(result, code.defaultMessage, 401)
  }
  return { mode: result.mode, key: result.secret }
}

// ---------------------------------------------------------------------------------------------
// Reading error responses

/** Header pairs from a `Headers`, a `Map`, an array of pairs or a plain object (arrays of values allowed). */
function headerPairs (headers) {
  const names = []
  const values = []
  const add = (name, value) => {
    if (Array.isArray(value)) {
      for (const one of value) add(name, one)
    } else if (value !== undefined && value !== null) {
      names.push(String(name))
      values.push(String(value))
    }
  }
  if (headers === undefined || headers === null) return [names, values]
  if (typeof headers.forEach === 'function' && !Array.isArray(headers)) {
    // Headers and Map: forEach(value, name)
    headers.forEach((value, name) => add(name, value))
  } else if (typeof headers[Symbol.iterator] === 'function') {
    for (const pair of headers) {
      if (pair !== null && typeof pair === 'object' && pair.length >= 2) add(pair[0], pair[1])
    }
  } else if (typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) add(name, value)
  }
  return [names, values]
}

/** The first bytes of any body the caller may hold, and its whole length in bytes. */
function bodyHead (body) {
  if (body === undefined || body === null) return [new Uint8Array(0), 0]
  if (typeof body === 'string') {
    const length = Buffer.byteLength(body)
    // Each character is at least one byte, so this many characters hold the part that is read.
    return [Buffer.from(body.slice(0, MAX_ERROR_BODY + 1)), length]
  }
  if (body instanceof Uint8Array || ArrayBuffer.isView(body) || body instanceof ArrayBuffer) {
    const bytes = bodyOf(body)
    return [bytes.subarray(0, MAX_ERROR_BODY + 1), bytes.byteLength]
  }
  // An object already parsed by the caller's HTTP library.
  return bodyHead(JSON.stringify(body) ?? String(body))
}

/** Limit headers as the addon reads them, with `null` for each group not sent. */
function limitsOf (data) {
  return Object.freeze({
    rate: data?.rate ? Object.freeze({ limit: data.rate.limit, remaining: data.rate.remaining, reset: data.rate.reset }) : null,
    concurrent: data?.concurrent ? Object.freeze({ limit: data.concurrent.limit, current: data.concurrent.current }) : null,
    queue: data?.queue ? Object.freeze({ limit: data.queue.limit, current: data.queue.current }) : null
  })
}

/**
 * The limit headers of a response (`X-RateLimit-*`, `X-Concurrent-*`, `X-Queue-*`): each group
 * `null` unless all its headers are there and numeric. `headers` as `errorFromResponse` takes
 * them. Never throws.
 */
function limitsFromHeaders (headers) {
  return limitsOf(native.limitHeaders(...anyHeaderPairs(headers)))
}

function errorOf (data) {
  const error = typedError(data)
  error.limits = limitsOf(data.limits)
  return error
}

function typedError (data) {
  const { status, code, message, requestId, details } = data
  switch (data.kind) {
    case 'Validation':
      return new ValidationError(code, message, status, requestId, details, { pointer: typeof details.pointer === 'string' ? details.pointer : '' })
    case 'RateLimit':
      return new RateLimitError(code, message, status, requestId, details, data.retryAfter ?? null)
    case 'Authentication':
      return new AuthenticationError(code, message, status, requestId, details)
    case 'Authorization':
      return new AuthorizationError(code, message, status, requestId, details)
    case 'NotFound':
      return new NotFoundError(code, message, status, requestId, details)
    case 'Server':
      return new ServerError(code, message, status, requestId, details)
    default:
      return new CmfyCloudError(code, message, status, requestId, details)
  }
}

function statusOf (status) {
  const number = typeof status === 'number' || typeof status === 'string' ? Number(status) : NaN
  return Number.isInteger(number) && number >= 0 && number <= 0xffff ? number : 0
}

/** `headerPairs`, or none at all for headers that cannot be read (a throwing getter, say). */
function anyHeaderPairs (headers) {
  try {
    return headerPairs(headers)
  } catch {
    return [[], []]
  }
}

function read (status, headers, head, length) {
  return errorOf(native.readResponse(statusOf(status), ...anyHeaderPairs(headers), head, length))
}

/**
 * The API's error for any response: the right class (`ValidationError` for 400,
 * `RateLimitError` for 429 with `retryAfter`, `ServerError` for 5xx, ...), whatever the body
 * (an envelope, HTML, empty, huge, not UTF-8). Never throws.
 */
function errorFromResponse (status, headers, body) {
  let head
  let length
  try {
    [head, length] = bodyHead(body)
  } catch {
    [head, length] = [new Uint8Array(0), 0]
  }
  return read(status, headers, head, length)
}

/**
 * `errorFromResponse` for a `fetch` `Response`: reads its body as a stream, keeping only the
 * first bytes that matter (a huge body is counted, not held). Never rejects.
 */
async function errorFromFetch (response) {
  const status = response?.status
  const headers = response?.headers
  const kept = []
  let keptLength = 0
  let length = 0
  try {
    const reader = response.body?.getReader?.()
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        length += value.byteLength
        if (keptLength <= MAX_ERROR_BODY) {
          const piece = value.subarray(0, MAX_ERROR_BODY + 1 - keptLength)
          kept.push(piece)
          keptLength += piece.byteLength
        }
      }
    } else if (typeof response?.arrayBuffer === 'function') {
      const bytes = new Uint8Array(await response.arrayBuffer())
      kept.push(bytes.subarray(0, MAX_ERROR_BODY + 1))
      length = bytes.byteLength
    }
  } catch {
    // A body that fails halfway is judged by what arrived (`length` counts it already).
  }
  return read(status, headers, Buffer.concat(kept), length)
}

// ---------------------------------------------------------------------------------------------
// Retries

function seconds (value, name, otherwise) {
  if (value === undefined) return otherwise
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number of seconds`)
  return value
}

/**
 * Exponential backoff with jitter, and the API's rules of what to retry (the crate's
 * `RetryPolicy`): other 4xx give up; a 429 waits the server's delay (at most `maxServerDelay`)
 * or backs off; 5xx, timeouts and connection errors back off; after `maxAttempts`, give up.
 */
class RetryPolicy {
  constructor ({ base, maxDelay, maxAttempts, maxServerDelay } = {}) {
    this.base = seconds(base, 'base', 1)
    this.maxDelay = seconds(maxDelay, 'maxDelay', 60)
    if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 0)) throw new RangeError('maxAttempts must be a non-negative integer')
    this.maxAttempts = Math.min(maxAttempts ?? 5, 0xffffffff)
    this.maxServerDelay = seconds(maxServerDelay, 'maxServerDelay', 3600)
    Object.freeze(this)
  }

  /**
   * Seconds to wait before attempt `attempt + 1` (`attempt` counts from 0), or `null` to give
   * up. `error` is a `CmfyCloudError`, a timeout (`TimeoutError`, `AbortError` of a timeout
   * signal, `ETIMEDOUT`) or a connection error (`fetch failed`, `ECONNREFUSED`, ...); anything
   * else gives up. `random` in [0, 1) sets the jitter (drawn when not given).
   */
  decide (error, attempt, random = Math.random()) {
    if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError('attempt must be a non-negative integer')
    if (typeof random !== 'number' || !(random >= 0 && random < 1)) throw new RangeError('random must be in [0, 1)')
    const outcome = outcomeOf(error)
    if (outcome === null) return null
    let status = 0
    let body = new Uint8Array(0)
    if (outcome === 'error') {
      status = statusOf(error.statusCode)
      const envelope = { code: error.code ?? '', message: String(error.message), details: plainObject(error.details) }
      if (error instanceof RateLimitError && error.retryAfter !== null) envelope.retry_after = error.retryAfter
      body = Buffer.from(JSON.stringify({ error: envelope }))
    }
    return native.decide(this, outcome, status, body, Math.min(attempt, 0xffffffff), random) ?? null
  }
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])

/** What kind of failure an error is, for the retry policy: 'error', 'timeout', 'connection' or null. */
function outcomeOf (error) {
  if (error instanceof CmfyCloudError) return 'error'
  if (error === null || typeof error !== 'object') return null
  const codes = [error.code, error.cause?.code]
  if (error.name === 'TimeoutError' || codes.some((code) => TIMEOUT_CODES.has(code))) return 'timeout'
  if (codes.some((code) => CONNECTION_CODES.has(code))) return 'connection'
  // undici's fetch rejects with TypeError('fetch failed') and the reason in `cause`.
  if (error instanceof TypeError && error.message === 'fetch failed') return 'connection'
  return null
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal?.aborted) return reject(signal.reason)
  const timer = setTimeout(() => { signal?.removeEventListener('abort', abort); resolve() }, ms)
  const abort = () => { clearTimeout(timer); reject(signal.reason) }
  signal?.addEventListener('abort', abort, { once: true })
})

/**
 * `fetch(url, init)` until it succeeds or the policy gives up: a 2xx or 3xx response is
 * returned; an error response becomes the API's error (`errorFromFetch`) and is retried when
 * the policy says (a 429 after the server's delay, from `retry_after` or `Retry-After` as
 * seconds or an HTTP date); the last error is thrown. `init.body` must be something fetch can
 * send twice (a string, Buffer or Uint8Array), not a stream. `init.signal` also stops the
 * waits. `onRetry({ attempt, delay, error })` is told of each retry.
 */
async function submitWithRetry (url, init = {}, { policy = new RetryPolicy(), fetch: fetchImpl = globalThis.fetch, onRetry, random } = {}) {
  if (!(policy instanceof RetryPolicy)) throw new TypeError('policy must be a RetryPolicy')
  if (typeof fetchImpl !== 'function') throw new TypeError('fetch must be a function')
  for (let attempt = 0; ; attempt++) {
    let error
    try {
      const response = await fetchImpl(url, init)
      if (response.status < 400) return response
      error = await errorFromFetch(response)
    } catch (thrown) {
      if (init?.signal?.aborted) throw thrown
      error = thrown
    }
    const delay = policy.decide(error, attempt, typeof random === 'function' ? random() : Math.random())
    if (delay === null) throw error
    if (typeof onRetry === 'function') onRetry({ attempt, delay, error })
    await sleep(delay * 1000, init?.signal)
  }
}

module.exports = {
  DETAIL_KEYS,
  MAX_ERROR_BODY,
  MAX_REPORTED_ERRORS,
  AuthenticationError,
  AuthorizationError,
  Catalogue,
  CmfyCloudError,
  ErrorCode,
  Link,
  Node,
  NotFoundError,
  RateLimitError,
  RetryPolicy,
  ServerError,
  ValidationError,
  Workflow,
  checkAuthorization,
  errorFromFetch,
  errorFromResponse,
  isUrlLike,
  limitsFromHeaders,
  submitWithRetry,
  validate,
  validateAll,
  validateAllAsync,
  validateAsync
}
