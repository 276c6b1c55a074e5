import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_LOCK_FILE } from '../../src/cli/paths';
import { writeProviderLock } from '../../src/cli/stack';

describe('writeProviderLock', () => {
  const built = () => /"(h1:[^"]+)"/.exec(readFileSync(PROVIDER_LOCK_FILE, 'utf8'))![1];
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apikeys-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a stack with no lock file gets the built provider\'s entry', () => {
    writeProviderLock(dir);
    const lock = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock.match(/^provider "registry\.terraform\.io\/cdktf-apikeys\/apikeys"/gm)).toHaveLength(1);
    expect(lock).toContain(built());
  });

  test('an earlier build\'s entry is replaced; other providers\' entries are kept as they were', () => {
    const random = 'provider "registry.terraform.io/hashicorp/random" {\n  version = "3.6.0"\n  hashes = [\n    "h1:random=",\n  ]\n}\n';
    const stale = 'provider "registry.terraform.io/cdktf-apikeys/apikeys" {\n  version     = "0.0.9"\n  hashes = [\n    "h1:stale=",\n  ]\n}\n';
    writeFileSync(join(dir, '.terraform.lock.hcl'), `# header\n\n${random}\n${stale}`);
    writeProviderLock(dir);
    writeProviderLock(dir); // idempotent
    const lock = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain(random);
    expect(lock).not.toContain('h1:stale=');
    expect(lock.match(/cdktf-apikeys\/apikeys/g)).toHaveLength(1);
    expect(lock).toContain(built());
  });
});
