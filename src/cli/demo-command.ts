import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { loadManifestFile } from '../../lib/manifest/loader';
import { DEFAULT_MANIFEST } from '../app/main-constants';
import { VendorEmulator } from '../emulator/server';
import { consoleEdits } from '../emulator/vendors';
import type { SynthesizedStackJson } from './app-stacks';
import { auditStack } from './audit/collect';
import { auditTable, hasFindings } from './audit/report';
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
 * Terraform's back, catch the drift with plan -detailed-exitcode, audit
 * every key, heal the drift and prune the undeclared key with a second
 * deploy, then rotate a key with overlap. Deploy is what `cdktf deploy` does
 * (synthesize, then terraform init and apply), without needing cdktf-cli;
 * output and state go to .apikeys/demo, apart from any pipeline's cdktf.out.
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
const STEPS = 8;
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

/** The organization the demo prunes, and the key it rotates (examples/apikeys.yaml). */
const PRUNED_ORGANIZATION = 'acme-openai';
const ROTATED_KEY = 'ci-deployer';
const ROTATED_ADDRESS = `${PRUNED_ORGANIZATION}_${ROTATED_KEY}`;
/** The rotated key's overlap in the demo: short enough to wait for. */
const DEMO_OVERLAP = '15s';
const DAY_MS = 86_400_000;

/**
 * The example manifest as the demo deploys it: the OpenAI organization
 * prunes undeclared keys (with no minimum age, since the demo's console key
 * is seconds old), and the rotated key's overlap is seconds, not days.
 */
function demoManifest(examplePath: string, demoPath: string): void {
  const document = parseDocument(readFileSync(examplePath, 'utf8'));
  const organizations = document.get('organizations') as { items: { get(key: string): unknown; set(key: string, value: unknown): void }[] };
  const organization = organizations.items.find((item) => item.get('name') === PRUNED_ORGANIZATION);
  if (!organization) throw new DemoFailure(`${DEFAULT_MANIFEST} has no organization ${PRUNED_ORGANIZATION}`);
  organization.set('undeclaredKeys', 'prune');
  organization.set('pruneMinAge', '0s');
  const keys = organization.get('adminKeys') as { items: { get(key: string): unknown; set(key: string, value: unknown): void }[] };
  const key = keys.items.find((item) => item.get('name') === ROTATED_KEY);
  if (!key) throw new DemoFailure(`${DEFAULT_MANIFEST} has no admin key ${ROTATED_KEY} in ${PRUNED_ORGANIZATION}`);
  key.set('rotation', document.createNode({ every: '30d', overlap: DEMO_OVERLAP }, { flow: true }));
  writeFileSync(demoPath, String(document));
}

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

/** The rotated key as the state holds it: its id, its secret, and the previous key a rotation keeps. */
function rotatedKeyState(): { id: string; secret: string; previous: { id: string; revoke_after: string } | null } {
  const state = JSON.parse(readFileSync(DEMO_STATE_FILE, 'utf8')) as { resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[] };
  const resource = state.resources.find((found) => found.type === 'apikeys_openai_admin_key' && found.name === ROTATED_ADDRESS);
  if (!resource) throw new DemoFailure(`the state has no apikeys_openai_admin_key.${ROTATED_ADDRESS}`);
  const attributes = resource.instances[0].attributes;
  return { id: String(attributes.id), secret: String(attributes.secret), previous: attributes.previous_key as { id: string; revoke_after: string } | null };
}

/** Whether OpenAI (the emulator) accepts a secret as an admin key: a listing with it. Says the status, never the secret. */
async function accepts(baseUrl: string, secret: string): Promise<number> {
  const response = await fetch(`${baseUrl}/organization/admin_api_keys?limit=1`, { headers: { authorization: `Bearer ${secret}` } });
  await response.arrayBuffer();
  return response.status;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function demoCommand(): Promise<number> {
  // What this command and the Terraform it starts write (state, backups, plans, .apikeys/) is private.
  usePrivateUmask();
  assertProviderBuilt();
  ensurePrivateDirectory(WORK_DIR);
  rmSync(DEMO_DIR, { recursive: true, force: true });
  ensurePrivateDirectory(dirname(DEMO_STATE_FILE));
  const manifestPath = join(DEMO_DIR, 'apikeys.yaml');
  demoManifest(join(PACKAGE_ROOT, DEFAULT_MANIFEST), manifestPath);
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
    say(dim(`as ${relative(process.cwd(), manifestPath)}: ${PRUNED_ORGANIZATION} prunes undeclared keys (undeclaredKeys: prune, pruneMinAge: 0s), and ${ROTATED_KEY}'s overlap is ${DEMO_OVERLAP}`));
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

    step(6, 'apikeys audit: every key of every organization, read-only');
    const stackJson = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as SynthesizedStackJson;
    const audit = await auditStack(stackJson, env, {});
    auditTable(audit).split('\n').forEach(indent);
    const undeclared = audit.keys.filter((key) => key.status === 'undeclared');
    if (!hasFindings(audit) || undeclared.length === 0) throw new DemoFailure('the audit did not find the undeclared key');
    say(yellow(`exit status 2: ${undeclared.length} undeclared key${undeclared.length === 1 ? '' : 's'}; the keys the deploy authenticates with are marked (credential)`));

    step(7, 'A second deploy heals the drift, and prunes exactly the key the plan named');
    expectExit('terraform apply', (await deploy(env, indent)).result.exitCode, 0);
    const healed = await auditStack(stackJson, env, {});
    const left = healed.keys.filter((key) => key.status === 'undeclared');
    if (left.length > 0) throw new DemoFailure(`the apply left undeclared keys: ${left.map((key) => key.id).join(', ')}`);
    // (An Atlas key whose description was edited is undeclared by name until the deploy restores it.)
    const revoked = undeclared.filter((key) => !healed.keys.some((found) => found.id === key.id));
    say(`pruned: ${revoked.map((key) => `${key.id} ("${key.name}")`).join(', ')}; audit: ${healed.keys.length} keys, none undeclared`);
    if (revoked.length === 0) throw new DemoFailure('the apply pruned nothing');
    const clean = await planDrift(stackDir, env);
    say(clean.exitCode === 0 ? green('exit status 0: in sync') : red(`exit status ${clean.exitCode}`));
    expectExit('terraform plan -detailed-exitcode', clean.exitCode, 0);

    step(8, `Rotation: ${ROTATED_KEY} turns 31 days old (every 30d), so the plan rotates it, with overlap`);
    const openaiUrl = credentials.OPENAI_BASE_URL ?? emulator.describe().vendors.openai.baseUrl;
    const old = rotatedKeyState();
    const organization = [...emulator.openai.organizations.values()].find((found) => found.adminKeys.get(old.id));
    if (!organization) throw new DemoFailure(`the emulator has no admin key ${old.id}`);
    organization.setAdminKeyTimes(old.id, { created: new Date(Date.now() - 31 * DAY_MS) });
    say(`aged ${old.id} in the emulator's console: created 31 days ago`);
    const due = await planDrift(stackDir, env);
    expectExit('terraform plan -detailed-exitcode', due.exitCode, 2);
    expectInPlan(due, 'is due for rotation since', 'the rotation');
    expectInPlan(due, `apikeys_openai_admin_key.${ROTATED_ADDRESS} will be updated in-place`, 'the update in place');
    say(yellow(`exit status 2: apikeys_openai_admin_key.${ROTATED_ADDRESS} will be updated in-place (a new key; the old one kept ${DEMO_OVERLAP})`));
    expectExit('terraform apply', (await deploy(env, () => undefined)).result.exitCode, 0);
    const rotated = rotatedKeyState();
    if (rotated.id === old.id || rotated.previous?.id !== old.id) throw new DemoFailure('the apply did not rotate the key with overlap');
    const during = [await accepts(openaiUrl, old.secret), await accepts(openaiUrl, rotated.secret)];
    say(`new key ${rotated.id}: HTTP ${during[1]}; previous key ${old.id}: HTTP ${during[0]}, kept until ${rotated.previous.revoke_after}`);
    if (during.some((status) => status !== 200)) throw new DemoFailure('both keys must work during the overlap');
    await pause(Math.max(0, Date.parse(rotated.previous.revoke_after) + 1_000 - Date.now()));
    const revoke = await planDrift(stackDir, env);
    expectExit('terraform plan -detailed-exitcode', revoke.exitCode, 2);
    say(yellow('overlap over: exit status 2, the plan revokes the previous key'));
    expectExit('terraform apply', (await deploy(env, () => undefined)).result.exitCode, 0);
    const after = [await accepts(openaiUrl, old.secret), await accepts(openaiUrl, rotated.secret)];
    say(`new key: HTTP ${after[1]}; previous key: HTTP ${after[0]} (revoked)`);
    if (after[1] !== 200 || after[0] !== 401) throw new DemoFailure('after the overlap, the previous key must be revoked and the new one work');
    const settled = await planDrift(stackDir, env);
    say(settled.exitCode === 0 ? green('exit status 0: in sync') : red(`exit status ${settled.exitCode}`));
    expectExit('terraform plan -detailed-exitcode', settled.exitCode, 0);

    process.stdout.write(`\n${green(bold('Done.'))} Stopping the emulator.\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`\n${red(bold('Demo failed:'))} ${(error as Error).message}\n`);
    return 1;
  } finally {
    await emulator.stop();
  }
}
