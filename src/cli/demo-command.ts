import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadManifestFile } from '../../lib/manifest/loader';
import { DEFAULT_MANIFEST } from '../app/main-constants';
import { provisionForManifest } from '../emulator/provision';
import { VendorEmulator } from '../emulator/server';
import { assertProviderBuilt, PACKAGE_ROOT, WORK_DIR } from './paths';
import type { RunResult } from './run';
import { cdktfDeploy, planDrift, terraformOutputs, writeProviderLock } from './stack';
import { bold, cyan, dim, green, red, yellow } from './style';
import { terraformEnvironment } from './terraform-env';

/**
 * `apikeys demo` (npm start): the whole story against the local emulator,
 * with no accounts: deploy the example manifest (four key families, three
 * vendors), show that secrets stay <sensitive>, change keys behind
 * Terraform's back, catch the drift with plan -detailed-exitcode, heal it
 * with a second deploy.
 */
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

export async function demoCommand(): Promise<number> {
  assertProviderBuilt();
  const workDir = join(WORK_DIR, 'demo');
  rmSync(workDir, { recursive: true, force: true });
  writeProviderLock();
  const manifestPath = join(PACKAGE_ROOT, DEFAULT_MANIFEST);
  const manifest = loadManifestFile(manifestPath);

  step(1, 'Starting the local vendor emulator');
  const emulator = await VendorEmulator.start();
  try {
    const credentials = provisionForManifest(emulator, manifest);
    for (const [vendor, { baseUrl }] of Object.entries(emulator.describe().vendors)) say(`${vendor.padEnd(12)} ${baseUrl}`);
    say(dim(`credentials in ${Object.keys(credentials).filter((name) => !name.endsWith('_BASE_URL')).join(', ')}`));
    const env = terraformEnvironment(workDir, {
      ...credentials,
      APIKEYS_STATE_FILE: join(workDir, 'terraform.tfstate'),
      APIKEYS_MANIFEST: manifestPath,
      CI: 'true', // plain, line-by-line cdktf output
    });

    step(2, `cdktf deploy ${DEFAULT_MANIFEST}: ${manifest.organizations.length} organizations, three vendors, one stack`);
    expectExit('cdktf deploy', (await cdktfDeploy(env, indent)).exitCode, 0);

    step(3, 'Secrets are in state, and Terraform prints them only as <sensitive>');
    const outputs = await terraformOutputs(env);
    expectExit('terraform output', outputs.exitCode, 0);
    outputs.stdout.split('\n').forEach(indent);
    say(`State file: ${relative(process.cwd(), join(workDir, 'terraform.tfstate'))} (it holds the secrets: protect it like one)`);

    step(4, 'Meanwhile, people work in the vendor consoles');
    const openAiKey = emulator.openai.adminKeys.all().find((key) => key.name === 'cost-reporting');
    const edge = manifest.organizations.find((org) => org.vendor === 'edgeimpulse');
    const edgeKey = edge && emulator.edgeimpulse.keys(edge.organizationId).find((key) => key.name === 'firmware-release');
    const atlasOrg = manifest.organizations.find((org) => org.vendor === 'atlas');
    const atlasKey = atlasOrg && emulator.atlas.organization(atlasOrg.organizationId)?.keys.all().find((key) => key.desc === 'Billing export to the data warehouse');
    const projectId = manifest.organizations.flatMap((org) => (org.vendor === 'openai' ? org.projects ?? [] : []))[0]?.id;
    if (!openAiKey || !edge || !edgeKey || !atlasOrg || !atlasKey || !projectId) throw new DemoFailure('the example keys were not all created');
    emulator.openai.adminKeys.delete(openAiKey.id);
    say(`OpenAI: admin key "cost-reporting" (${openAiKey.id}) revoked`);
    emulator.edgeimpulse.revokeKey(edge.organizationId, edgeKey.id);
    say(`Edge Impulse: key "firmware-release" (${edgeKey.id}) revoked`);
    emulator.atlas.updateKey(atlasOrg.organizationId, atlasKey.id, { desc: 'billing export (edited in console)' });
    say(`Atlas: key ${atlasKey.id} re-described as "billing export (edited in console)"`);
    const rogue = emulator.openai.projects.addUserKey(projectId, { name: 'laptop-test', user: { email: 'dev@acme.example' } });
    say(`OpenAI: a user made key "laptop-test" (${rogue.id}) in ${projectId}, declared nowhere`);

    step(5, 'terraform plan -detailed-exitcode sees all of it');
    const before = emulator.requests.length;
    const drift = await planDrift(env, indent);
    const listings = emulator.requests.slice(before).filter((record) => record.method === 'GET').length;
    say(`${drift.exitCode === 2 ? yellow('exit status 2: drift detected') : red(`exit status ${drift.exitCode}`)} ${dim(`(${listings} listing requests for ${manifest.organizations.length} organizations and their projects; no per-key GETs)`)}`);
    expectExit('terraform plan -detailed-exitcode', drift.exitCode, 2);
    expectInPlan(drift, 'has been deleted', 'the revoked keys');
    expectInPlan(drift, 'will be updated in-place', 'the Atlas description to restore in place');
    expectInPlan(drift, rogue.id, 'the undeclared key');

    step(6, 'Someone judges the undeclared key and revokes it; cdktf deploy heals the rest');
    emulator.openai.projects.keys(projectId).delete(rogue.id);
    expectExit('cdktf deploy', (await cdktfDeploy(env, indent)).exitCode, 0);
    const clean = await planDrift(env);
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
