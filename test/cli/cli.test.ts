import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/cli/paths';
import { run } from '../../src/cli/run';

const CLI = join(PACKAGE_ROOT, 'bin', 'apikeys.js');

describe('the apikeys command', () => {
  test('emulator: the first stdout line is one JSON description, nothing else follows, SIGTERM stops it', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
      });
      child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
    });
    const description = JSON.parse(firstLine);
    expect(description.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(description.vendors.openai.baseUrl).toBe(`${description.url}/openai/v1`);
    // The credentials it prints are the ones it accepts.
    const listing = await request(`${description.vendors.openai.baseUrl}/organization/admin_api_keys`, {
      headers: { authorization: `Bearer ${description.vendors.openai.adminKey}` },
    });
    expect(listing.statusCode).toBe(200);
    await listing.body.dump();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  test('emulator --manifest: the manifest\'s organizations exist, and env holds what a deploy of it needs', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--manifest', join(PACKAGE_ROOT, 'examples', 'apikeys.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffered = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          buffered += chunk;
          if (buffered.includes('\n')) resolve(buffered.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
      });
      const { vendors, env } = JSON.parse(line);
      expect(Object.keys(env).sort()).toEqual([
        'ACME_ATLAS_PRIVATE_KEY', 'ACME_ATLAS_PUBLIC_KEY', 'ACME_EI_API_KEY', 'ACME_OPENAI_ADMIN_KEY',
        'APIKEYS_ALLOWED_HOSTS', 'EDGEIMPULSE_BASE_URL', 'MONGODB_ATLAS_BASE_URL', 'OPENAI_BASE_URL',
      ]);
      expect(env.APIKEYS_ALLOWED_HOSTS).toBe(new URL(vendors.openai.baseUrl).host); // the emulator's host:port, nothing wider
      const edge = await request(`${vendors.edgeimpulse.baseUrl}/api/organizations/4242/apikeys`, { headers: { 'x-api-key': env.ACME_EI_API_KEY } });
      expect(edge.statusCode).toBe(200);
      expect((await edge.body.json() as { success: boolean }).success).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('install-provider lays out an implied local mirror with an executable provider', async () => {
    const target = mkdtempSync(join(tmpdir(), 'apikeys-plugins-'));
    const result = await run(process.execPath, [CLI, 'install-provider', '--plugin-dir', target]);
    expect(result.exitCode).toBe(0);
    const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
    const executable = join(target, 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE_VERSION, platform, `terraform-provider-apikeys_v${PACKAGE_VERSION}`);
    expect(existsSync(executable)).toBe(true);
    expect(statSync(executable).mode & 0o111).not.toBe(0);
    expect(result.stdout).toContain('source = "cdktf-apikeys/apikeys"');
  });

  test('the provider executable refuses to run outside Terraform, with a human message', async () => {
    const result = await run(join(PACKAGE_ROOT, 'dist', 'provider', 'terraform-provider-apikeys'), [], { env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: '' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Terraform starts it; it is not meant to be run by hand');
  });

  test('an unknown command prints usage and exits 2; a bad flag is an error', async () => {
    const unknown = await run(process.execPath, [CLI, 'launch-rockets']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stdout).toContain('usage: apikeys <command>');
    const badPort = await run(process.execPath, [CLI, 'emulator', '--port', 'x']);
    expect(badPort.exitCode).toBe(1);
    expect(badPort.stderr).toContain('--port must be 0..65535');
  });
});
