import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Catalogue, DETAIL_KEYS, validate, validateAll, ValidationError } from '../index.js'
import { example, shared } from './shared.mjs'

const snapshot = example('catalogue/object_info.json')
const catalogue = Catalogue.fromObjectInfo(snapshot)

function codeOf (body, options) {
  try {
    validate(body, options)
    return 'ok'
  } catch (error) {
    assert.ok(error instanceof ValidationError)
    return error.code
  }
}

test('the bundled examples answer as the README says', () => {
  assert.equal(codeOf(example('requests/catalogue-ok.json'), { catalogue }), 'ok')
  let error
  try { validate(example('requests/invalid-catalogue-several.json'), { catalogue }) } catch (e) { error = e }
  assert.deepEqual([error.code, error.pointer, error.details.suggestions[0]], ['missing_node_type', '/prompt/8/class_type', 'VAEDecode'])
  // ComfyUI's node_errors for the problems of this answer.
  assert.deepEqual(Object.keys(error.nodeErrors), ['8'])
  assert.equal(error.nodeErrors['8'].class_type, 'VAEDecoder')
  assert.equal(error.nodeErrors['8'].errors[0].type, 'missing_node_type')
  const all = validateAll(example('requests/invalid-catalogue-several.json'), { catalogue })
  assert.ok(all.length > 1)
  assert.equal(all[0].code, error.code)
  assert.ok(all.every((problem) => problem.nodeErrors === all[0].nodeErrors))
  const notInList = validateAll(example('requests/invalid-catalogue-not-in-list.json'), { catalogue })
  assert.deepEqual(notInList.map((e) => e.code), ['value_not_in_list'])
  assert.deepEqual(notInList[0].details.suggestions, ['euler'])
})

test('every key of every details object is one of DETAIL_KEYS', () => {
  const seen = new Set()
  for (const name of ['invalid-catalogue-several.json', 'invalid-catalogue-not-in-list.json', 'invalid-several-problems.json', 'invalid-private-webhook.json']) {
    for (const problem of validateAll(example(`requests/${name}`), { catalogue })) {
      for (const key of Object.keys(problem.details)) seen.add(key)
    }
  }
  const table = new Set(DETAIL_KEYS)
  assert.deepEqual([...seen].filter((key) => !table.has(key)), [])
  assert.ok(['pointer', 'node_id', 'suggestions', 'field'].every((key) => seen.has(key)), [...seen].join())
  assert.equal(table.size, DETAIL_KEYS.length)
  assert.ok(Object.isFrozen(DETAIL_KEYS))
})

test('the request is judged first: the catalogue only judges a valid request', () => {
  const body = '{"prompt": {"1": {"class_type": "Nope", "inputs": {"u": "http://x.example"}}}}'
  const errors = validateAll(body, { catalogue })
  assert.deepEqual(errors.map((e) => e.code), ['insecure_url'])
  assert.equal(errors[0].nodeErrors, null)
  assert.equal(codeOf(body.replace('http:', 'https:'), { catalogue }), 'missing_node_type')
})

test('catalogue cases: types, ranges, lists, links, cycles, outputs', () => {
  const small = Catalogue.fromObjectInfo({
    Source: { input: { required: { n: ['INT', { min: 0, max: 9 }], pick: [['a', 'b']] } }, output: ['IMAGE'] },
    Save: { input: { required: { images: ['IMAGE'] } }, output_node: true }
  })
  assert.equal(small.length, 2)
  assert.deepEqual(small.classNames(), ['Source', 'Save'])
  assert.equal(small.classInfo('Save').outputNode, true)
  assert.deepEqual(small.classInfo('Source').inputs.map((i) => [i.name, i.type, i.required, i.options]), [['n', 'INT', true, null], ['pick', 'COMBO', true, ['a', 'b']]])
  assert.equal(small.classInfo('Missing'), null)
  const run = (source, save) => codeOf(JSON.stringify({ prompt: { 1: { class_type: 'Source', inputs: source }, 2: { class_type: 'Save', inputs: save } } }), { catalogue: small })
  assert.equal(run({ n: 1, pick: 'a' }, { images: ['1', 0] }), 'ok')
  assert.equal(run({ n: 10, pick: 'a' }, { images: ['1', 0] }), 'value_bigger_than_max')
  assert.equal(run({ n: -1, pick: 'a' }, { images: ['1', 0] }), 'value_smaller_than_min')
  assert.equal(run({ n: 'one', pick: 'a' }, { images: ['1', 0] }), 'invalid_input_type')
  assert.equal(run({ n: 1, pick: 'c' }, { images: ['1', 0] }), 'value_not_in_list')
  assert.equal(run({ n: 1 }, { images: ['1', 0] }), 'required_input_missing')
  assert.equal(run({ n: 1, pick: 'a' }, { images: ['7', 0] }), 'dangling_link')
  assert.equal(run({ n: 1, pick: 'a' }, { images: ['2', 0] }), 'bad_linked_input')
  const loop = Catalogue.fromObjectInfo({
    Pass: { input: { required: { x: ['IMAGE'] } }, output: ['IMAGE'] },
    Latent: { input: {}, output: ['LATENT'] },
    Save: { input: { required: { images: ['IMAGE'] } }, output_node: true }
  })
  const cycle = { 1: { class_type: 'Pass', inputs: { x: ['2', 0] } }, 2: { class_type: 'Pass', inputs: { x: ['1', 0] } }, 3: { class_type: 'Save', inputs: { images: ['1', 0] } } }
  assert.equal(codeOf(JSON.stringify({ prompt: cycle }), { catalogue: loop }), 'dependency_cycle')
  assert.equal(codeOf(JSON.stringify({ prompt: { 1: cycle[1] } }), { catalogue: loop }), 'prompt_no_outputs')
  const mismatch = { 1: { class_type: 'Latent', inputs: {} }, 2: { class_type: 'Save', inputs: { images: ['1', 0] } } }
  assert.equal(codeOf(JSON.stringify({ prompt: mismatch }), { catalogue: loop }), 'return_type_mismatch')
  assert.equal(run({ n: 1, pick: 'a' }, { images: ['1', 5] }), 'bad_linked_input')
})

test('a snapshot that is not object_info is an Error that says why; another type is a TypeError', () => {
  for (const bad of ['', '[]', 'null', Buffer.from([0xff]), '"text"']) {
    assert.throws(() => Catalogue.fromObjectInfo(bad), (error) => error instanceof Error && !(error instanceof TypeError) && error.message.length > 0)
  }
  for (const bad of [undefined, null, 3, true]) assert.throws(() => Catalogue.fromObjectInfo(bad), TypeError)
  assert.throws(() => catalogue.classInfo(3), TypeError)
})

test('the real installs load once and check the corpus workflows', (t) => {
  const dir = shared(t, 'catalogue')
  const corpus = shared(t, 'corpus/api')
  if (!dir || !corpus) return
  const installs = ['core_v0.26_object_info.json', 'full_install_2122_object_info.json']
  const workflows = readdirSync(corpus).filter((name) => name.endsWith('.json')).map((name) => readFileSync(join(corpus, name)))
  for (const name of installs) {
    const real = Catalogue.fromObjectInfo(readFileSync(join(dir, name)))
    assert.ok(real.length > 100, name)
    const codes = new Map()
    for (const workflow of workflows) {
      const body = Buffer.concat([Buffer.from('{"prompt": '), workflow, Buffer.from('}')])
      const code = codeOf(body, { catalogue: real })
      codes.set(code, (codes.get(code) ?? 0) + 1)
      // The Node answer is the crate's: validateAll's first problem is validate's.
      const all = validateAll(body, { catalogue: real })
      assert.equal(all.length === 0 ? 'ok' : all[0].code, code)
    }
    assert.ok(codes.get('missing_node_type') > 0, `${name}: ${[...codes]}`)
  }
})
