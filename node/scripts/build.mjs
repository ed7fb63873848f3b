// Builds the native addon when the package is installed from a checkout (`npm install ./node`,
// or `npm install <checkout>/node` from any folder). npm does not install a folder
// dependency's devDependencies, so the build tool (@napi-rs/cli, pinned by package-lock.json)
// is installed here first, into this folder, without running any package's scripts. Needs
// cargo on the PATH; the Rust crate is compiled in release mode (about a minute the first time,
// seconds after).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(dirname(fileURLToPath(import.meta.url)))
const cli = join(here, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')

function run (command, args) {
  execFileSync(command, args, { cwd: here, stdio: 'inherit' })
}

try {
  execFileSync('cargo', ['--version'], { stdio: 'ignore' })
} catch {
  console.error('cmfy-validate: building the native addon needs cargo (Rust, https://rustup.rs) on the PATH')
  process.exit(1)
}

if (!existsSync(cli)) {
  // The npm that runs this script, when there is one, else the one on the PATH.
  const npm = process.env.npm_execpath
  const [command, prefix] = npm && npm.endsWith('.js') ? [process.execPath, [npm]] : ['npm', []]
  const install = existsSync(join(here, 'package-lock.json')) ? 'ci' : 'install'
  run(command, [...prefix, install, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'])
}
run(process.execPath, [cli, 'build', '--platform', '--release', '--js', 'native.js', '--dts', 'native.d.ts'])
