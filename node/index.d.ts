// Types of the package's public API. The addon's own types (`ClassInfo`, `InputInfo`,
// `ModelUrl`) are generated from the Rust doc comments into native.d.ts by `napi build`.
import type { ClassInfo, ModelUrl } from './native'

export type { ClassInfo, InputInfo, ModelUrl } from './native'

/** A request body: bytes, or a string read as UTF-8. */
export type Body = Buffer | Uint8Array | ArrayBuffer | ArrayBufferView | string

/** The most problems `validateAll` returns. */
export declare const MAX_REPORTED_ERRORS: number
/** Every key a `ValidationError`'s `details` can have (the crate's `Detail` table). */
export declare const DETAIL_KEYS: readonly string[]
/** The most bytes of an error response that are read: a longer body is not an API error. */
export declare const MAX_ERROR_BODY: number

/** The string of every code of the API's error catalogue. */
export type ErrorCodeString =
  | 'invalid_json' | 'missing_prompt' | 'invalid_prompt_type' | 'empty_workflow' | 'too_many_nodes'
  | 'missing_class_type' | 'missing_inputs' | 'invalid_url' | 'insecure_url'
  | 'webhook_must_be_https' | 'webhook_private_host'
  | 'missing_node_type' | 'prompt_no_outputs' | 'dangling_link' | 'bad_linked_input'
  | 'dependency_cycle' | 'required_input_missing' | 'return_type_mismatch' | 'invalid_input_type'
  | 'value_smaller_than_min' | 'value_bigger_than_max' | 'value_not_in_list'
  | 'missing_auth' | 'invalid_auth_format' | 'invalid_api_key' | 'revoked_api_key'
  | 'account_suspended' | 'insufficient_permissions' | 'job_not_found'
  | 'rate_limit_exceeded' | 'concurrent_limit_reached' | 'queue_full'
  | 'internal_error' | 'service_unavailable'

/** One code of the API's error catalogue, with its HTTP status and whether to retry it. */
export declare class ErrorCode {
  private constructor ()
  /** The code as the API writes it, e.g. `"invalid_json"`. */
  readonly code: ErrorCodeString
  /** The HTTP status the API answers with. */
  readonly status: number
  /** Whether a client may retry (429, 500, 503). */
  readonly isRetryable: boolean
  /** The code's exact default message. */
  readonly defaultMessage: string
  /** Its row in the precedence table (the 400s and the catalogue's codes), else `null`. */
  readonly precedence: number | null
  /** The code for its string, or `undefined` for a code this package does not know. */
  static from (code: string): ErrorCode | undefined
  /** Every code: the 400s in precedence order, then the rest. */
  static all (): ErrorCode[]
  toString (): ErrorCodeString
  toJSON (): ErrorCodeString
  static readonly InvalidJson: ErrorCode
  static readonly MissingPrompt: ErrorCode
  static readonly InvalidPromptType: ErrorCode
  static readonly EmptyWorkflow: ErrorCode
  static readonly TooManyNodes: ErrorCode
  static readonly MissingClassType: ErrorCode
  static readonly MissingInputs: ErrorCode
  static readonly InvalidUrl: ErrorCode
  static readonly InsecureUrl: ErrorCode
  static readonly WebhookMustBeHttps: ErrorCode
  static readonly WebhookPrivateHost: ErrorCode
  static readonly MissingNodeType: ErrorCode
  static readonly PromptNoOutputs: ErrorCode
  static readonly DanglingLink: ErrorCode
  static readonly BadLinkedInput: ErrorCode
  static readonly DependencyCycle: ErrorCode
  static readonly RequiredInputMissing: ErrorCode
  static readonly ReturnTypeMismatch: ErrorCode
  static readonly InvalidInputType: ErrorCode
  static readonly ValueSmallerThanMin: ErrorCode
  static readonly ValueBiggerThanMax: ErrorCode
  static readonly ValueNotInList: ErrorCode
  static readonly MissingAuth: ErrorCode
  static readonly InvalidAuthFormat: ErrorCode
  static readonly InvalidApiKey: ErrorCode
  static readonly RevokedApiKey: ErrorCode
  static readonly AccountSuspended: ErrorCode
  static readonly InsufficientPermissions: ErrorCode
  static readonly JobNotFound: ErrorCode
  static readonly RateLimitExceeded: ErrorCode
  static readonly ConcurrentLimitReached: ErrorCode
  static readonly QueueFull: ErrorCode
  static readonly InternalError: ErrorCode
  static readonly ServiceUnavailable: ErrorCode
}

/** An error of the API: its code, message, HTTP status and request id. */
export declare class CmfyCloudError extends Error {
  constructor (code: string | null, message: string, statusCode: number, requestId?: string | null, details?: Record<string, unknown>)
  /** The API's code (`null` when the response had none, such as a proxy's HTML page). */
  code: string | null
  statusCode: number
  requestId: string | null
  /** The envelope's `details` (for a body that was not an envelope: `body_excerpt`). */
  details: Record<string, unknown>
  /** The code as an `ErrorCode`, or `null` for a code this package does not know. */
  readonly errorCode: ErrorCode | null
  /** The response's limit headers, for an error read from a response (`null` otherwise). */
  limits: Limits | null
  toJSON (): object
}

/** The limit headers of a response; a group is `null` unless all its headers were sent. */
export interface Limits {
  /** `X-RateLimit-Limit`, `-Remaining`, `-Reset` (Unix seconds). */
  readonly rate: { readonly limit: number, readonly remaining: number, readonly reset: number } | null
  /** `X-Concurrent-Limit`, `X-Concurrent-Current`. */
  readonly concurrent: { readonly limit: number, readonly current: number } | null
  /** `X-Queue-Limit`, `X-Queue-Current`. */
  readonly queue: { readonly limit: number, readonly current: number } | null
}
/** 401: no key, or a bad one. */
export declare class AuthenticationError extends CmfyCloudError {}
/** 403: the key may not do this. */
export declare class AuthorizationError extends CmfyCloudError {}
/** 404: no such job. */
export declare class NotFoundError extends CmfyCloudError {}
/** 5xx: the server's fault; worth retrying. */
export declare class ServerError extends CmfyCloudError {}
/** 429: too many requests or jobs, or a full queue. */
export declare class RateLimitError extends CmfyCloudError {
  constructor (code: string | null, message: string, statusCode?: number, requestId?: string | null, details?: Record<string, unknown>, retryAfter?: number | null)
  /** The server's delay in seconds (from `retry_after` or `Retry-After`), if it gave one. */
  retryAfter: number | null
}

/** ComfyUI's `node_errors` map: node id to its class and problems. */
export type NodeErrors = Record<string, {
  class_type: string
  errors: Array<{ type: string, message: string, details: string, extra_info: Record<string, unknown> }>
  dependent_outputs: string[]
}>

/** 400: the request is wrong (what `validate` throws, and what the API answers). */
export declare class ValidationError extends CmfyCloudError {
  constructor (code: string | null, message: string, statusCode?: number, requestId?: string | null, details?: Record<string, unknown>,
    extra?: { pointer?: string, offset?: number, nodeErrors?: NodeErrors | null })
  /** RFC 6901 pointer to the offending value (`""` for the whole body). */
  pointer: string
  /** Byte offset in the body of the offending value. */
  offset: number
  /** The catalogue check's problems of this answer as ComfyUI's `node_errors`; `null` for the request's own codes. */
  nodeErrors: NodeErrors | null
  /** The HTTP status: 400. */
  readonly status: number
  /** The error envelope: `{error: {code, message, details, request_id?}}`. */
  toBody (requestId?: string | null): { error: { code: string, message: string, details: Record<string, unknown>, request_id?: string } }
  /** The error envelope as JSON text, exactly as a server sends it. */
  toBodyText (requestId?: string | null): string
  /** `JSON.stringify(error)` writes the envelope. */
  toJSON (): { error: { code: string, message: string, details: Record<string, unknown>, request_id?: string } }
}

/** What a server may change. */
export interface ValidateOptions {
  /** The node limit (default 500; at least 1). */
  maxNodes?: number
  /** Judge whether workflow URL hosts are private (default true). */
  checkWorkflowUrlHosts?: boolean
  /** Let `webhook_url` name a private host (default false). */
  allowPrivateWebhooks?: boolean
  /** Also check the workflow against the server's nodes. */
  catalogue?: Catalogue | null
  /** Workflow URLs must match one of these patterns (`"huggingface.co/*"`, `"*.hf.co/*"`). */
  allowedSources?: Iterable<string> | null
}

/** A link to output `output` of node `nodeId`. */
export declare class Link {
  readonly nodeId: string
  readonly output: number
  /** `[nodeId, output]`, as the API writes it. */
  toJSON (): [string, number]
}

/** An input's value: a link, or the literal as `JSON.parse` reads it. */
export type InputValue = Link | string | number | boolean | null | unknown[] | Record<string, unknown>

/** One node of an accepted workflow. */
export declare class Node {
  readonly id: string
  readonly classType: string
  /** `_meta.title`, or `null`. */
  readonly title: string | null
  /** The inputs in document order: links as `Link`, literals as values. */
  readonly inputs: Record<string, InputValue>
}

/** An accepted request. */
export declare class Workflow {
  private constructor ()
  /** How many nodes it has. */
  readonly length: number
  /** The webhook URL, parsed and serialised (WHATWG), or `null`. */
  readonly webhookUrl: string | null
  /** `idempotency_key`, if it was a string, else `null`. */
  readonly idempotencyKey: string | null
  /** The nodes, in the order of the body (built when first asked for). */
  readonly nodes: readonly Node[]
  /** The node with this id. */
  node (id: string): Node | undefined
  /** Every URL-like input string (nested ones included), in document order. */
  urls (): ModelUrl[]
  /** The `prompt` as JSON text, numbers exactly as written. */
  promptText (): string
  /** The request as accepted: `{prompt, webhook_url?, idempotency_key?}`. */
  toJSON (): { prompt: Record<string, unknown>, webhook_url?: string, idempotency_key?: string }
}

/** Validates a `POST /v1/jobs` body; returns the workflow or throws the `ValidationError` the API answers with. */
export declare function validate (body: Body, options?: ValidateOptions | null): Workflow
/** Every problem of a body, in precedence order (at most `MAX_REPORTED_ERRORS`); empty when valid. */
export declare function validateAll (body: Body, options?: ValidateOptions | null): ValidationError[]
/** `validate` on a thread of libuv's pool, so a large body does not hold up the event loop; rejects with the same `ValidationError`. */
export declare function validateAsync (body: Body, options?: ValidateOptions | null): Promise<Workflow>
/** `validateAll` on a thread of libuv's pool. */
export declare function validateAllAsync (body: Body, options?: ValidateOptions | null): Promise<ValidationError[]>

/** A server's node catalogue from its `GET /object_info` snapshot: load it once, share it. */
export declare class Catalogue {
  private constructor ()
  /** Loads a snapshot (bytes, text, or an object already parsed); throws an `Error` that says why it cannot be used. */
  static fromObjectInfo (data: Body | Record<string, unknown>): Catalogue
  /** How many classes it has. */
  readonly length: number
  /** Every class name, in snapshot order. */
  classNames (): string[]
  /** A class as the check reads it, or `null`. */
  classInfo (name: string): ClassInfo | null
}

/** Whether a string counts as a URL under the contract. */
export declare function isUrlLike (text: string): boolean

/** Checks an `Authorization` header value; throws `AuthenticationError` when it is missing or wrong. */
export declare function checkAuthorization (header: string | Uint8Array | null | undefined): { mode: 'live' | 'test', key: string }

/** Anything `errorFromResponse` reads headers from. */
export type HeadersLike = Headers | Map<string, string> | Iterable<[string, string]> | Record<string, string | string[] | undefined> | null | undefined

/** The limit headers of a response (`X-RateLimit-*`, `X-Concurrent-*`, `X-Queue-*`); never throws. */
export declare function limitsFromHeaders (headers: HeadersLike): Limits
/** The API's error for any response; never throws, whatever the body. */
export declare function errorFromResponse (status: number, headers?: HeadersLike, body?: Body | object | null): CmfyCloudError
/** `errorFromResponse` for a `fetch` `Response` (its body read as a stream; a huge one is counted, not held). Never rejects. */
export declare function errorFromFetch (response: Response): Promise<CmfyCloudError>

/** Exponential backoff with jitter, and the API's rules of what to retry. */
export declare class RetryPolicy {
  constructor (options?: { base?: number, maxDelay?: number, maxAttempts?: number, maxServerDelay?: number })
  /** Seconds of the first backoff (default 1). */
  readonly base: number
  /** The longest backoff, in seconds (default 60). */
  readonly maxDelay: number
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts: number
  /** The longest server delay honoured, in seconds (default 3600). */
  readonly maxServerDelay: number
  /** Seconds to wait before attempt `attempt + 1`, or `null` to give up. */
  decide (error: unknown, attempt: number, random?: number): number | null
}

/** `fetch` until it succeeds or the policy gives up; throws the last error. */
export declare function submitWithRetry (url: string | URL, init?: RequestInit, options?: {
  policy?: RetryPolicy
  fetch?: typeof fetch
  onRetry?: (retry: { attempt: number, delay: number, error: unknown }) => void
  random?: () => number
}): Promise<Response>
