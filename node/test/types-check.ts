// Compiled by test/types.test.mjs with `tsc --noEmit --strict`: the README's uses, typed.
import { validate, validateAll, ValidationError, ErrorCode, RetryPolicy, errorFromResponse, RateLimitError, Catalogue, submitWithRetry, checkAuthorization, validateAsync, validateAllAsync, limitsFromHeaders, Limits } from '../index'

const workflow = validate('{"prompt": {"1": {"class_type": "A", "inputs": {}}}}', { maxNodes: 10 })
const count: number = workflow.length
const classes: string[] = workflow.nodes.map((node) => node.classType)
const problems: ValidationError[] = validateAll(Buffer.from('{}'))
const status: number = ErrorCode.QueueFull.status
const error = errorFromResponse(429, { 'retry-after': '3' }, '')
const wait: number | null = error instanceof RateLimitError ? error.retryAfter : new RetryPolicy({ base: 0.5 }).decide(error, 0)
const catalogue: Catalogue = Catalogue.fromObjectInfo({ A: { input: {} } })
const sent: Promise<Response> = submitWithRetry('http://127.0.0.1:1/v1/jobs', { method: 'POST' }, { policy: new RetryPolicy() })
const key: 'live' | 'test' = checkAuthorization('Bearer x').mode
const later: Promise<number> = validateAsync('{}').then((w) => w.length)
const laterProblems: Promise<ValidationError[]> = validateAllAsync(new Uint8Array(0), { maxNodes: 5 })
const limits: Limits = limitsFromHeaders(new Headers())
const remaining: number | undefined = (error.limits ?? limits).rate?.remaining
void [count, classes, problems, status, wait, catalogue, sent, key, later, laterProblems, remaining]
