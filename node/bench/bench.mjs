// Times cmfy-validate's validate() beside what a Node server would reach for, on the bodies of
// the Rust and Python benchmarks (written by `cargo run --release --example bench_bodies -- DIR`),
// in one run, one process:
//   * JSON.parse alone (the floor: reading the JSON at all, into objects);
//   * JSON.parse plus ajv with the Rust bench's structural schema (benches/structural-schema.json);
//   * JSON.parse plus zod with the same rules;
//   * the crate's validate timed inside Rust, on the same bytes: the difference is the cost of
//     crossing into the addon and building the JavaScript answer.
// None of the peers checks URLs, hosts, duplicate keys or number ranges, which validate does.
//
//   node bench/bench.mjs BODIES_DIR
import { readFileSync, readdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import os from 'node:os'
import Ajv from 'ajv'
import { z } from 'zod'

const require = createRequire(import.meta.url)
const cmfy = require('../index.js')
const native = require('../native.js')
const here = dirname(fileURLToPath(import.meta.url))
const dir = process.argv[2]
if (!dir) {
  console.error('usage: node bench/bench.mjs BODIES_DIR   (write them with: cargo run --release --example bench_bodies -- BODIES_DIR)')
  process.exit(2)
}

const schema = JSON.parse(readFileSync(join(here, '..', '..', 'benches', 'structural-schema.json'), 'utf8'))
delete schema.$schema
const ajv = new Ajv({ allErrors: false }).compile(schema)
const ZRequest = z.object({
  prompt: z.record(z.string(), z.object({ class_type: z.string().regex(/\S/), inputs: z.record(z.string(), z.unknown()) }))
    .refine((nodes) => { const n = Object.keys(nodes).length; return n >= 1 && n <= 500 }),
  webhook_url: z.string().regex(/^https:\/\//).nullable().optional()
})

const peers = {
  'cmfy-validate': (body) => { try { cmfy.validate(body) } catch (e) { if (!(e instanceof cmfy.ValidationError)) throw e } },
  'JSON.parse': (body) => JSON.parse(body),
  'JSON.parse+ajv': (body) => ajv(JSON.parse(body)),
  'JSON.parse+zod': (body) => ZRequest.safeParse(JSON.parse(body))
}

/** Median seconds per call over 9 rounds of about 50 ms each. */
function time (fn) {
  let calls = 1
  for (;;) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) fn()
    if (Number(process.hrtime.bigint() - start) > 5e6) break
    calls *= 2
  }
  calls = Math.max(1, Math.round(calls * 10))
  const rounds = []
  for (let r = 0; r < 9; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) fn()
    rounds.push(Number(process.hrtime.bigint() - start) / 1e9 / calls)
  }
  return rounds.sort((a, b) => a - b)[4]
}

const show = (s) => s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : s >= 1e-6 ? `${(s * 1e6).toFixed(2)} µs` : `${(s * 1e9).toFixed(0)} ns`
const names = readdirSync(dir).filter((name) => name.endsWith('.json') && name !== 'object_info.json').sort()
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}\n`)
console.log(`| body | bytes | ${Object.keys(peers).join(' | ')} | Rust validate | crossing | vs JSON.parse |`)
console.log(`|---|---:|${Object.keys(peers).map(() => '---:').join('|')}|---:|---:|---:|`)
for (const name of names) {
  const bytes = readFileSync(join(dir, name))
  const text = bytes.toString('utf8')
  const times = {}
  for (const [peer, fn] of Object.entries(peers)) times[peer] = peer === 'cmfy-validate' ? time(() => fn(bytes)) : time(() => fn(text))
  let calls = 1
  while (native.timeRustValidate(bytes, calls) * calls < 0.05 && calls < 1e7) calls *= 4
  const rust = [0, 0, 0, 0, 0].map(() => native.timeRustValidate(bytes, calls)).sort((a, b) => a - b)[2]
  const row = Object.values(times).map(show)
  console.log(`| ${name.replace(/\.json$/, '')} | ${bytes.length.toLocaleString('en')} | ${row.join(' | ')} | ${show(rust)} | ${show(times['cmfy-validate'] - rust)} | ${(times['cmfy-validate'] / times['JSON.parse']).toFixed(2)}× |`)
}
