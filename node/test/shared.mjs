// Where the project's shared material is (../shared beside the checkout), and how a test says
// it skipped for want of it: visibly, and as a failure when CMFY_REQUIRE_SHARED=1 (CI).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const packageDir = dirname(dirname(fileURLToPath(import.meta.url)))
export const repoDir = dirname(packageDir)
export const sharedDir = join(repoDir, '..', 'shared')

/** The path of `relative` in ../shared, or null (after saying so) when it is absent. */
export function shared (t, relative) {
  const path = join(sharedDir, relative)
  if (existsSync(path)) return path
  if (process.env.CMFY_REQUIRE_SHARED === '1') throw new Error(`${path} is absent and CMFY_REQUIRE_SHARED=1`)
  process.stderr.write(`SKIPPED ${t.name}: ${path} is absent\n`)
  t.skip(`${path} is absent`)
  return null
}

/** A file of the repository's own examples. */
export function example (relative) {
  return readFileSync(join(repoDir, 'examples', relative))
}
