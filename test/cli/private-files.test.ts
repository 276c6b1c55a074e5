/**
 * What keeps the files Terraform writes (state, backups, plans, which hold
 * secrets) private: the umask the CLI runs under, and its private directories.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDirectory, PRIVATE_UMASK, usePrivateUmask } from '../../src/cli/private-files';

let root: string;
let umask: number;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'apikeys-private-'));
  umask = process.umask();
});

afterEach(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

describe('private files', () => {
  test('under the private umask, new files are 0600 and new directories 0700', () => {
    process.umask(0o022);
    usePrivateUmask();
    expect(process.umask()).toBe(PRIVATE_UMASK);
    writeFileSync(join(root, 'terraform.tfstate'), '{}');
    mkdirSync(join(root, '.terraform'));
    expect(statSync(join(root, 'terraform.tfstate')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, '.terraform')).mode & 0o777).toBe(0o700);
  });

  test('ensurePrivateDirectory makes missing parents, and tightens a directory that exists with looser bits', () => {
    process.umask(0o022);
    const nested = join(root, 'a', 'b');
    ensurePrivateDirectory(nested);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    const loose = join(root, 'loose');
    mkdirSync(loose);
    chmodSync(loose, 0o777);
    ensurePrivateDirectory(loose);
    expect(statSync(loose).mode & 0o777).toBe(0o700);
  });
});
