// index.d.ts compiles under `tsc --strict` against uses like the README's (test/types-check.ts).
import { test } from 'node:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { packageDir } from './shared.mjs'

test('the types compile under tsc --strict', () => {
  const tsc = join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc')
  if (!existsSync(tsc)) throw new Error('typescript is a devDependency: run npm ci in node/')
  execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--types', 'node', join(packageDir, 'test', 'types-check.ts')], { cwd: packageDir, stdio: 'inherit' })
})
