/**
 * The provider executable's launcher (src/provider/launcher.ts), run from the
 * build: a start that makes no vendor call compiles, and caches, only the
 * main payload, not undici; older builds' caches are cleared.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertProviderBuilt, PROVIDER_EXECUTABLE } from '../../src/cli/paths';
import { createServerIdentity } from '../../src/provider/protocol/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/provider/protocol/handshake';

/** Starts the provider, waits for its handshake line, stops it with SIGTERM (an idle provider exits at once). */
function startAndStop(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROVIDER_EXECUTABLE, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    let handshake = '';
    child.stdout!.once('data', (chunk: Buffer) => {
      handshake = chunk.toString().trim();
      child.kill('SIGTERM');
    });
    child.once('error', reject);
    child.once('exit', () => resolve(handshake));
  });
}

describe('provider launcher', () => {
  let cacheHome: string;
  beforeAll(() => {
    assertProviderBuilt();
    cacheHome = mkdtempSync(join(tmpdir(), 'apikeys-launcher-'));
  });
  afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));

  test('a start without vendor calls caches the main payload only, and replaces an older build\'s cache', async () => {
    const directory = join(cacheHome, 'cdktf-apikeys');
    mkdirSync(directory, { recursive: true });
    const stale = `terraform-provider-apikeys-0000000000000000-${process.version}-${process.arch}-node.v8cache`;
    writeFileSync(join(directory, stale), 'an older build');
    const env = {
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: createServerIdentity().certificatePem, XDG_CACHE_HOME: cacheHome,
    };
    expect(await startAndStop(env)).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]{50,}$/);
    const caches = readdirSync(directory);
    expect(caches).toHaveLength(1);
    expect(caches[0]).toMatch(new RegExp(`^terraform-provider-apikeys-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}-node\\.v8cache$`));
    expect(caches[0]).not.toBe(stale);

    // The next start uses that cache and leaves it alone.
    expect(await startAndStop(env)).toMatch(/^1\|6\|/);
    expect(readdirSync(directory)).toEqual(caches);
  });
});
