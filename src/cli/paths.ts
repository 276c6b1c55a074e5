import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where things are in this package, whether running from dist/ or from source. */
export const PACKAGE_ROOT = (() => {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = resolve(directory, '..');
    if (parent === directory) throw new Error('apikeys: cannot find the package root');
    directory = parent;
  }
  return directory;
})();

export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

/** The built provider laid out as a Terraform implied local mirror (an XDG data directory). */
export const PROVIDER_SHARE_DIR = join(PACKAGE_ROOT, 'dist', 'share');
export const PROVIDER_PLUGINS_DIR = join(PROVIDER_SHARE_DIR, 'terraform', 'plugins');
export const PROVIDER_EXECUTABLE = join(PACKAGE_ROOT, 'dist', 'provider', 'terraform-provider-apikeys');
/** A .terraform.lock.hcl holding the built provider's hash for every platform. */
export const PROVIDER_LOCK_FILE = join(PACKAGE_ROOT, 'dist', 'provider', 'terraform.lock.hcl');

/**
 * The demo's scratch space (CLI config, output, state), mode 0700, in the
 * directory the command runs from: never inside an installed package.
 */
export const WORK_DIR = join(process.cwd(), '.apikeys');
/** The demo's own folders, apart from any pipeline's cdktf.out and state. */
export const DEMO_DIR = join(WORK_DIR, 'demo');
export const DEMO_OUTDIR = join(DEMO_DIR, 'cdktf.out');
export const DEMO_STATE_FILE = join(DEMO_DIR, 'state', 'terraform.tfstate');

/** This package's own cdktf app: compiled in dist/, or the TypeScript source when running from source. */
export const APP_COMMAND = (() => {
  const compiled = join(__dirname, '..', 'app', 'main.js');
  const quote = (path: string) => JSON.stringify(path);
  if (existsSync(compiled)) return `${quote(process.execPath)} ${quote(compiled)}`;
  return `${quote(process.execPath)} --require ts-node/register/transpile-only ${quote(join(__dirname, '..', 'app', 'main.ts'))}`;
})();

/** cdktf-cli, a development dependency (tests use it to check that our steps match `cdktf deploy`); the CLI never runs it. */
export const CDKTF_BIN = join(PACKAGE_ROOT, 'node_modules', '.bin', 'cdktf');

export function assertProviderBuilt(): void {
  if (!existsSync(PROVIDER_EXECUTABLE)) {
    throw new Error(`The provider is not built (${PROVIDER_EXECUTABLE} is missing). Run "npm ci" or "npm run build" first.`);
  }
}
