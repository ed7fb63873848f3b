// The README's examples, run as written (from the repository root, as the README says).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { packageDir, repoDir } from './shared.mjs'

const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1])

test('the README has its four examples, and each runs as written', () => {
  assert.equal(blocks.length, 4)
  for (const code of blocks) {
    // `require('cmfy-validate')` is this package; console.assert failures are made fatal.
    const prelude = `const Module = require('node:module'); const load = Module._load; Module._load = function (request, ...rest) { return load.call(this, request === 'cmfy-validate' ? ${JSON.stringify(packageDir)} : request, ...rest) }; console.assert = (ok, ...what) => { if (!ok) { console.error('assertion failed', ...what); process.exit(1) } };\n`
    execFileSync(process.execPath, ['-e', prelude + code], { cwd: repoDir, stdio: ['ignore', 'inherit', 'inherit'] })
  }
})
