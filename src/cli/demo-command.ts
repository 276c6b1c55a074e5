import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VendorEmulator } from '../emulator/server';
import { DEFAULT_MANIFEST } from '../app/main-constants';
import { assertProviderBuilt, PACKAGE_ROOT, WORK_DIR } from './paths';
import { cdktfDeploy, writeProviderLock, planDrift, terraformOutputs } from './stack';
import { bold, cyan, dim, green, red, yellow } from './style';
import { terraformEnvironment } from './terraform-env';

/**
 * `apikeys demo` (npm start): the whole story against the local emulator,
 * with no accounts: deploy the example manifest, show that secrets stay
 * <sensitive>, revoke a key behind Terraform's back, catch the drift with
 * plan -detailed-exitcode, heal it with a second deploy.
 */
const ANSI = /\u001b\[[0-9;]*m/g;
const indent = (line: string): void => {
  const text = process.stdout.isTTY ? line : line.replace(ANSI, '');
  if (text.trim() !== '') process.stdout.write(`${dim('  │')} ${text}\n`);
};
const step = (number: number, total: number, text: string): void => {
  process.stdout.write(`\n${cyan(bold(`[${number}/${total}]`))} ${bold(text)}\n`);
};

class DemoFailure extends Error {}

function expectExit(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new DemoFailure(`${what} exited ${actual}, expected ${expected}`);
}

export async function demoCommand(): Promise<number> {
  assertProviderBuilt();
  const steps = 6;
  const workDir = join(WORK_DIR, 'demo');
  rmSync(workDir, { recursive: true, force: true });
  writeProviderLock();

  step(1, steps, 'Starting the local vendor emulator');
  const emulator = await VendorEmulator.start();
  try {
    const openai = emulator.describe().vendors.openai;
    process.stdout.write(`  OpenAI API at ${openai.baseUrl}\n`);
    const env = terraformEnvironment(workDir, {
      APIKEYS_STATE_FILE: join(workDir, 'terraform.tfstate'),
      APIKEYS_MANIFEST: join(PACKAGE_ROOT, DEFAULT_MANIFEST),
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_ADMIN_KEY: String(openai.adminKey),
      CI: 'true', // plain, line-by-line cdktf output
    });

    step(2, steps, `cdktf deploy ${DEFAULT_MANIFEST}`);
    expectExit('cdktf deploy', (await cdktfDeploy(env, indent)).exitCode, 0);

    step(3, steps, 'Secrets are in state, and Terraform prints them only as <sensitive>');
    const outputs = await terraformOutputs(env);
    expectExit('terraform output', outputs.exitCode, 0);
    outputs.stdout.split('\n').forEach(indent);
    process.stdout.write(`  State file: ${relative(process.cwd(), join(workDir, 'terraform.tfstate'))} (holds the secrets: protect it like one)\n`);

    step(4, steps, 'Someone works in the vendor console, behind Terraform\'s back');
    const victim = emulator.openai.adminKeys.all().find((key) => key.name === 'cost-reporting');
    if (!victim) throw new DemoFailure('the example key "cost-reporting" was not created');
    emulator.openai.adminKeys.delete(victim.id);
    process.stdout.write(`  Revoked OpenAI admin key "cost-reporting" (${victim.id})\n`);
    const rogue = emulator.openai.addAdminKey('quick-test-from-laptop');
    process.stdout.write(`  Created OpenAI admin key "quick-test-from-laptop" (${rogue.id}), declared nowhere\n`);

    step(5, steps, 'terraform plan -detailed-exitcode sees the drift, and warns about the undeclared key');
    const beforeListings = emulator.requestsTo('openai', 'GET').length;
    const drift = await planDrift(env, indent);
    const listings = emulator.requestsTo('openai', 'GET').length - beforeListings;
    process.stdout.write(`  ${drift.exitCode === 2 ? yellow('exit status 2: drift detected') : red(`exit status ${drift.exitCode}`)} ${dim(`(${listings} paginated listing call${listings === 1 ? '' : 's'}, no per-key GETs)`)}\n`);
    expectExit('terraform plan -detailed-exitcode', drift.exitCode, 2);
    if (!drift.stdout.includes(rogue.id) && !drift.stderr.includes(rogue.id)) throw new DemoFailure(`the plan did not name the undeclared key ${rogue.id}`);

    step(6, steps, 'Someone judges the undeclared key and revokes it; cdktf deploy re-creates the revoked one');
    emulator.openai.adminKeys.delete(rogue.id);
    expectExit('cdktf deploy', (await cdktfDeploy(env, indent)).exitCode, 0);
    const clean = await planDrift(env);
    process.stdout.write(`  ${clean.exitCode === 0 ? green('exit status 0: in sync') : red(`exit status ${clean.exitCode}`)}\n`);
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
