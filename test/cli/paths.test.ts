/**
 * Where the CLI finds this package's parts, whether it runs from dist/ or
 * from source (as here): the package root, the built provider, the demo's
 * scratch space, and the command that runs this package's own cdktf app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  APP_COMMAND, assertProviderBuilt, DEMO_DIR, DEMO_STATE_FILE, PACKAGE_ROOT, PACKAGE_VERSION, PROVIDER_EXECUTABLE, PROVIDER_LOCK_FILE, PROVIDER_PLUGINS_DIR,
  WORK_DIR,
} from '../../src/cli/paths';

describe('paths', () => {
  test('the package root is the nearest directory above the CLI holding package.json: this package, at its version', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@cdktf-apikeys/apikeys');
    expect(PACKAGE_VERSION).toBe(manifest.version);
    expect(relative(PACKAGE_ROOT, join(__dirname, '..', '..'))).toBe('');
  });

  test('the built provider (npm ci builds it) is where the CLI looks: executable, lock file, mirror of this version', () => {
    expect(() => assertProviderBuilt()).not.toThrow();
    expect(existsSync(PROVIDER_EXECUTABLE)).toBe(true);
    expect(readFileSync(PROVIDER_LOCK_FILE, 'utf8')).toContain('provider "registry.terraform.io/cdktf-apikeys/apikeys"');
    expect(existsSync(join(PROVIDER_PLUGINS_DIR, 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE_VERSION))).toBe(true);
  });

  test('the app command runs this node on an entry that exists (from source: through ts-node), every path quoted', () => {
    const quoted = [...APP_COMMAND.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(match[0]) as string);
    expect(quoted[0]).toBe(process.execPath);
    expect(existsSync(quoted[quoted.length - 1])).toBe(true);
    expect(quoted[quoted.length - 1]).toBe(join(PACKAGE_ROOT, 'src', 'app', 'main.ts'));
    expect(APP_COMMAND).toContain(' --require ts-node/register/transpile-only ');
  });

  test('the demo\'s scratch space is under the directory the command runs from (not the installed package\'s)', () => {
    expect(WORK_DIR).toBe(join(process.cwd(), '.apikeys'));
    expect(relative(WORK_DIR, DEMO_STATE_FILE).startsWith('..')).toBe(false);
    expect(relative(WORK_DIR, DEMO_DIR)).toBe('demo');
  });
});
