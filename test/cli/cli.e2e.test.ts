import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/cli/paths';
import { run } from '../../src/cli/run';
import { firstStdoutLine } from '../support/child-output';

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
      const line = await firstStdoutLine(child, 'the emulator');
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
    // A shared mirror (say, in a Terraform image built as root) must stay usable by the user Terraform runs as.
    const result = await run('/bin/sh', ['-c', `umask 022 && exec "${process.execPath}" "${CLI}" install-provider --plugin-dir "${target}"`]);
    expect(result.exitCode).toBe(0);
    const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
    const executable = join(target, 'registry.terraform.io', 'cdktf-apikeys', 'apikeys', PACKAGE_VERSION, platform, `terraform-provider-apikeys_v${PACKAGE_VERSION}`);
    expect(existsSync(executable)).toBe(true);
    expect(statSync(executable).mode & 0o111).not.toBe(0);
    // umask 077 is for Terraform runs (state, plans), not for the provider copy: read and execute for others.
    expect(statSync(join(target, 'registry.terraform.io')).mode & 0o005).toBe(0o005);
    expect(statSync(executable).mode & 0o005).toBe(0o005);
    expect(result.stdout).toContain('source = "cdktf-apikeys/apikeys"');
  });

  test('the provider executable refuses to run outside Terraform, with a human message', async () => {
    const result = await run(join(PACKAGE_ROOT, 'dist', 'provider', 'terraform-provider-apikeys'), [], { env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: '' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Terraform starts it; it is not meant to be run by hand');
  });

  test('--help and --version work the usual way, for the command and for each subcommand, and run nothing', async () => {
    const help = await run(process.execPath, [CLI, '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('usage: apikeys <command>');
    for (const command of ['init', 'deploy', 'emulator', 'demo', 'drift', 'install-provider']) expect(help.stdout).toContain(`  ${command} `);
    const version = await run(process.execPath, [CLI, '--version']);
    expect(version).toEqual({ exitCode: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
    // drift --help prints drift's help and does not run drift: no cdktf.json here, which drift would report.
    const scratch = mkdtempSync(join(tmpdir(), 'apikeys-help-'));
    const driftHelp = await run(process.execPath, [CLI, 'drift', '--help'], { cwd: scratch });
    expect(driftHelp.exitCode).toBe(0);
    expect(driftHelp.stdout).toMatch(/^usage: apikeys drift /);
    expect(driftHelp.stdout).toContain('Exit status: 0 in sync, 2 drift, 1 error.');
    expect(driftHelp.stderr).toBe('');
    expect(readdirSync(scratch)).toEqual([]);
    expect((await run(process.execPath, [CLI, 'help', 'emulator'])).stdout).toMatch(/^usage: apikeys emulator /);
    expect((await run(process.execPath, [CLI, 'demo', '--version'])).stdout).toBe(`${PACKAGE_VERSION}\n`);
  });

  test('an unknown or missing command is a usage error: exit 1 (never 2, which means drift), the usage on stderr', async () => {
    for (const args of [['launch-rockets'], [], ['help', 'launch-rockets']]) {
      const result = await run(process.execPath, [CLI, ...args]);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^apikeys: (unknown command "launch-rockets"|no command given)\n/);
      expect(result.stderr).toContain('usage: apikeys <command>');
    }
  });

  test('a bad option with --json: the JSON error object on stdout, exit 1', async () => {
    const result = await run(process.execPath, [CLI, 'drift', '--json', '--stak', 'keys']);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'APIKEYS_ERR_USAGE', message: "drift: Unknown option '--stak'", hint: expect.stringMatching(/^usage: apikeys drift /) },
      exitCode: 1,
    });
  });

  test('bad options are one message naming the option and where to look, exit 1, no stack trace', async () => {
    const cases: [string[], string][] = [
      [['emulator', '--port', 'x'], '--port must be a whole number 0..65535 (got "x")'],
      [['drift', '--stak', 'keys'], "drift: Unknown option '--stak'"],
      [['drift', '--stack'], "drift: Option '--stack <value>' argument missing"],
      [['emulator', '--manifest', '/nonexistent/keys.yaml'], '/nonexistent/keys.yaml'],
    ];
    for (const [args, message] of cases) {
      const result = await run(process.execPath, [CLI, ...args]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr.split(message)).toHaveLength(2); // printed once
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
    // A bad option shows the command's usage line.
    expect((await run(process.execPath, [CLI, 'deploy', '--yes'])).stderr).toContain('usage: apikeys deploy [--stack NAME] [--auto-approve]');
    const debug = await run(process.execPath, [CLI, 'emulator', '--port', 'x'], { env: { ...process.env, APIKEYS_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});
