import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadManifestFile } from '../../lib/manifest/loader';
import { DEFAULT_MANIFEST } from '../app/main-constants';
import { VendorEmulator } from '../emulator/server';
import { consoleEdits } from '../emulator/vendors';
import { organizationsOfManifest, provisionEmulator } from './emulated-organizations';
import { selectStack, synthesize, synthesizedStacks, type CdktfApp } from './cdktf-app';
import { APP_COMMAND, assertProviderBuilt, DEMO_DIR, DEMO_OUTDIR, DEMO_STATE_FILE, PACKAGE_ROOT, WORK_DIR } from './paths';
import { ensurePrivateDirectory, usePrivateUmask } from './private-files';
import type { RunResult } from './run';
import { STACK, terraformApply, terraformInit, terraformOutputs, terraformPlan, writeProviderLock } from './stack';
import { bold, cyan, dim, green, red, yellow } from './style';
import { terraformEnvironment } from './terraform-env';

/**
 * `apikeys demo` (npm start): the whole story against the local emulator,
 * with no accounts: deploy the example manifest (four key families, three
 * vendors), show that secrets stay <sensitive>, change keys behind
 * Terraform's back, catch the drift with plan -detailed-exitcode, heal it
 * with a second deploy. Deploy is what `cdktf deploy` does (synthesize, then
 * terraform init and apply), without needing cdktf-cli; output and state go
 * to .apikeys/demo, apart from any pipeline's cdktf.out.
 */
// eslint-disable-next-line no-control-regex -- matches ANSI colour sequences, which start with ESC
const ANSI = /\u001b\[[0-9;]*m/g;
const indent = (line: string): void => {
  const text = process.stdout.isTTY ? line : line.replace(ANSI, '');
  if (text.trim() !== '') process.stdout.write(`${dim('  │')} ${text}\n`);
};
const say = (line: string): void => {
  process.stdout.write(`  ${line}\n`);
};
const STEPS = 6;
const step = (number: number, text: string): void => {
  process.stdout.write(`\n${cyan(bold(`[${number}/${STEPS}]`))} ${bold(text)}\n`);
};

class DemoFailure extends Error {}

function expectExit(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new DemoFailure(`${what} exited ${actual}, expected ${expected}`);
}

function expectInPlan(plan: RunResult, text: string, why: string): void {
  if (!(plan.stdout + plan.stderr).replace(/\s+/g, ' ').includes(text)) throw new DemoFailure(`the plan did not show ${why} ("${text}")`);
}

const DEMO_APP: CdktfApp = { projectDir: PACKAGE_ROOT, command: APP_COMMAND, outdir: DEMO_OUTDIR, context: {} };

/** cdktf deploy, step by step: synthesize the app, pin the provider, terraform init and apply. */
async function deploy(env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<{ result: RunResult; stackDir: string }> {
  const synth = await synthesize(DEMO_APP, env);
  `${synth.stdout}${synth.stderr}`.split('\n').forEach(onLine);
  if (synth.exitCode !== 0) throw new DemoFailure(`synthesis exited ${synth.exitCode}`);
  const stackDir = selectStack(synthesizedStacks(DEMO_APP), STACK).dir;
  writeProviderLock(stackDir);
  const init = await terraformInit(stackDir, env);
  if (init.exitCode !== 0) return { result: init, stackDir };
  return { result: await terraformApply(stackDir, env, { onLine }), stackDir };
}

async function planDrift(stackDir: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<RunResult> {
  return terraformPlan(stackDir, env, { onLine });
}

export async function demoCommand(): Promise<number> {
  // What this command and the Terraform it starts write (state, backups, plans, .apikeys/) is private.
  usePrivateUmask();
  assertProviderBuilt();
  ensurePrivateDirectory(WORK_DIR);
  rmSync(DEMO_DIR, { recursive: true, force: true });
  ensurePrivateDirectory(dirname(DEMO_STATE_FILE));
  const manifestPath = join(PACKAGE_ROOT, DEFAULT_MANIFEST);
  const manifest = loadManifestFile(manifestPath);
  const organizations = organizationsOfManifest(manifest);

  step(1, 'Starting the local vendor emulator');
  const emulator = await VendorEmulator.start();
  try {
    const credentials = provisionEmulator(emulator, organizations, 'the manifest');
    for (const [vendor, { baseUrl }] of Object.entries(emulator.describe().vendors)) say(`${vendor.padEnd(12)} ${baseUrl}`);
    say(dim(`credentials in ${Object.keys(credentials).filter((name) => !name.endsWith('_BASE_URL') && !name.startsWith('APIKEYS_')).join(', ')}`));
    const env = terraformEnvironment(DEMO_DIR, {
      ...credentials,
      // The emulator serves on 127.0.0.1: the operator allows it (credentials go nowhere else).
      APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
      APIKEYS_STATE_FILE: DEMO_STATE_FILE,
      APIKEYS_MANIFEST: manifestPath,
    });

    step(2, `Deploy ${DEFAULT_MANIFEST} (synthesize, terraform init, apply): ${manifest.organizations.length} organizations, ${new Set(manifest.organizations.map((org) => org.vendor)).size} vendors, one stack`);
    const first = await deploy(env, indent);
    expectExit('terraform apply', first.result.exitCode, 0);
    const { stackDir } = first;

    step(3, 'Secrets are in state, and Terraform prints them only as <sensitive>');
    const outputs = await terraformOutputs(stackDir, env);
    expectExit('terraform output', outputs.exitCode, 0);
    outputs.stdout.split('\n').forEach(indent);
    say(`State file: ${relative(process.cwd(), DEMO_STATE_FILE)} (mode 0600: it holds the secrets; protect it like one)`);

    step(4, 'Meanwhile, people work in the vendor consoles');
    // Each vendor family knows what people do in its console (src/emulator/vendors/<vendor>/console-edits.ts).
    const edits = organizations.flatMap((organization) => consoleEdits(emulator, organization));
    if (edits.length === 0 || edits.length < manifest.organizations.length) throw new DemoFailure('the example keys were not all created');
    for (const edit of edits) say(edit.said);

    step(5, 'terraform plan -detailed-exitcode sees all of it');
    const before = emulator.requests.length;
    const drift = await planDrift(stackDir, env, indent);
    const listings = emulator.requests.slice(before).filter((record) => record.method === 'GET').length;
    say(`${drift.exitCode === 2 ? yellow('exit status 2: drift detected') : red(`exit status ${drift.exitCode}`)} ${dim(`(${listings} listing requests for ${manifest.organizations.length} organizations and their projects; no per-key GETs)`)}`);
    expectExit('terraform plan -detailed-exitcode', drift.exitCode, 2);
    for (const { planShows } of edits) expectInPlan(drift, planShows.text, planShows.why);

    step(6, 'Someone judges the undeclared key and revokes it; a second deploy heals the rest');
    for (const edit of edits) edit.revokeUndeclared?.();
    expectExit('terraform apply', (await deploy(env, indent)).result.exitCode, 0);
    const clean = await planDrift(stackDir, env);
    say(clean.exitCode === 0 ? green('exit status 0: in sync') : red(`exit status ${clean.exitCode}`));
    expectExit('terraform plan -detailed-exitcode', clean.exitCode, 0);

    process.stdout.write(`\n${green(bold('Done.'))} Stopping the emulator.\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`\n${red(bold('Demo failed:'))} ${(error as Error).message}\n`);
    return 1;
  } finally {
    await emulator.stop();
  }
}
