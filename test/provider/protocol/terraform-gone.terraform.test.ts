/**
 * kill -9 of terraform mid-apply, with the real terraform binary and the
 * provider bundle: the provider notices that its parent died, revokes what
 * Terraform may not have saved (delivered keys and a create still in flight),
 * and exits. The next apply then converges with one key per name.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { terraformEnvironment } from '../../../src/cli/terraform-env';
import { VendorEmulator } from '../../../src/emulator/server';
import { TerraformWorkspace, expectExit } from '../../../harness/terraform';

const CONFIG = (baseUrl: string, projectId: string) => `
terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  openai_base_url = "${baseUrl}"
}
resource "apikeys_openai_admin_key" "fast" {
  count = 3
  name  = "gone-fast-\${count.index}"
}
resource "apikeys_openai_project_key" "slow" {
  project_id = "${projectId}"
  name       = "gone-slow"
}
`;

/** Polls until `check` holds; fails with `what` after a generous bound (no timing is asserted). */
async function eventually(what: string, check: () => boolean, boundMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > boundMs) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** Running (not zombie) processes whose parent is `parentPid` and whose command line names the provider. */
function providerChildren(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (Number(fields[1]) === parentPid && commandLine.includes('terraform-provider-apikeys')) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('Terraform killed mid-apply', () => {
  let emulator: VendorEmulator;
  let workspace: TerraformWorkspace;
  let env: NodeJS.ProcessEnv;

  const adminNamed = (name: string) => emulator.openai.adminKeys.all().filter((key) => key.name === name);
  const accountsNamed = (name: string) => emulator.openai.projects.serviceAccounts(projectId()).all().filter((account) => account.name === name);
  const projectId = () => String(emulator.describe().vendors.openai.projectId);

  beforeAll(async () => {
    emulator = await VendorEmulator.start();
    const openai = emulator.describe().vendors.openai;
    const extra = { OPENAI_ADMIN_KEY: String(openai.adminKey), APIKEYS_ALLOWED_HOSTS: '127.0.0.1' };
    workspace = TerraformWorkspace.create({ 'main.tf': CONFIG(openai.baseUrl, String(openai.projectId)) }, extra);
    env = terraformEnvironment(join(workspace.dir, '.cli'), extra);
    expectExit(await workspace.terraform(['init']), 0);
  });

  afterAll(async () => {
    workspace?.dispose();
    await emulator?.stop();
  });

  test('the provider revokes the keys Terraform may not have saved, exits, and the next apply converges with one key per name', async () => {
    // The project key's create is slow, so it is in flight when terraform dies; the admin keys are done by then.
    emulator.faults.inject({ vendor: 'openai', method: 'POST', pathIncludes: '/service_accounts', action: { kind: 'delay', ms: 700 } });
    const terraform = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: workspace.dir, env, stdio: 'ignore' });
    const pid = terraform.pid!;
    const exited = new Promise((resolve) => terraform.on('exit', resolve));

    await eventually('the admin keys are created and the project key create is in flight', () =>
      emulator.requestsTo('openai', 'POST', '/admin_api_keys').filter((record) => record.status === 200).length === 3 &&
      emulator.requestsTo('openai', 'POST', '/service_accounts').length === 1);
    const providers = providerChildren(pid);
    expect(providers.length).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await exited;

    await eventually('every provider process has exited', () => providers.every((provider) => !alive(provider)));
    await eventually('the vendor holds none of the keys that apply made', () =>
      [0, 1, 2].every((index) => adminNamed(`gone-fast-${index}`).length === 0) && accountsNamed('gone-slow').length === 0);
    // The slow create did reach the vendor (it finished after terraform died) and was then revoked.
    expect(emulator.requestsTo('openai', 'DELETE', '/service_accounts/')).toHaveLength(1);
    expect(emulator.requestsTo('openai', 'DELETE', '/admin_api_keys/')).toHaveLength(3);

    const again = await workspace.terraform(['apply', '-auto-approve']);
    expectExit(again, 0);
    for (const index of [0, 1, 2]) {
      const [key] = adminNamed(`gone-fast-${index}`);
      expect(adminNamed(`gone-fast-${index}`)).toHaveLength(1);
      expect(workspace.state().resources.find((resource) => resource.name === 'fast')!.instances[index].attributes.secret).toBe(key.value);
    }
    expect(accountsNamed('gone-slow')).toHaveLength(1);
    expectExit(await workspace.terraform(['plan', '-detailed-exitcode']), 0);
  });
});
