/**
 * npm run bench: speed and memory figures, each printed as a ratio against a
 * baseline measured in the same run on the same machine, so the numbers
 * mean something on any hardware.
 *
 * 1. provider start-up, exec → handshake line, against a bare node process printing one line;
 * 2. provider memory (RSS) after the handshake, against an idle node process;
 * 3. terraform plan with 200 keys in state against 200 terraform_data resources;
 * 4. terraform apply creating 200 keys against creating 200 terraform_data resources.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { VendorEmulator } from '../src/emulator/server';
import { assertProviderBuilt } from '../src/cli/paths';
import { TerraformWorkspace, expectExit } from '../test/support/terraform';
import { measureStartup } from './startup';

const KEYS = 200;
const PLAN_RUNS = 5;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const row = (label: string, value: string, ratio?: number) =>
  console.log(`  ${label.padEnd(44)} ${value.padStart(9)}${ratio === undefined ? '' : `   ${ratio.toFixed(2)}× baseline`}`);

async function timed(action: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const PROVIDER_BLOCK = (baseUrl: string) => `terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
}
provider "apikeys" {
  openai_base_url = "${baseUrl}"
}
`;

async function planAndApply(workspace: TerraformWorkspace): Promise<{ apply: number; plan: number }> {
  expectExit(await workspace.terraform(['init']), 0);
  let applyResult;
  const apply = await timed(async () => {
    applyResult = await workspace.terraform(['apply', '-auto-approve']);
  });
  expectExit(applyResult!, 0);
  const plans: number[] = [];
  for (let run = 0; run < PLAN_RUNS; run++) {
    let planResult;
    plans.push(await timed(async () => {
      planResult = await workspace.terraform(['plan', '-detailed-exitcode']);
    }));
    expectExit(planResult!, 0);
  }
  return { apply, plan: median(plans) };
}

async function main(): Promise<void> {
  assertProviderBuilt();
  const terraformVersion = execFileSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } }).split('\n')[0];
  console.log(`cdktf-apikeys benchmarks: node ${process.version}, ${terraformVersion}, ${cpus().length} cores\n`);

  const startup = await measureStartup(15);
  console.log('provider start-up, exec → handshake line (median of 15)');
  row('baseline: node printing one line', `${startup.baselineMs.toFixed(0)} ms`);
  row('terraform-provider-apikeys', `${startup.providerMs.toFixed(0)} ms`, startup.providerMs / startup.baselineMs);
  if (startup.standaloneMs !== undefined) {
    row('standalone executable (no Node.js)', `${startup.standaloneMs.toFixed(0)} ms`, startup.standaloneMs / startup.baselineMs);
  } else {
    console.log('  (standalone executable not built: run `npm run release` first to measure it)');
  }
  if (startup.providerRssMb !== undefined && startup.baselineRssMb !== undefined) {
    console.log('\nmemory after the handshake (resident set)');
    row('baseline: idle node', `${startup.baselineRssMb.toFixed(0)} MB`);
    row('terraform-provider-apikeys', `${startup.providerRssMb.toFixed(0)} MB`, startup.providerRssMb / startup.baselineRssMb);
    if (startup.standaloneRssMb !== undefined) {
      row('standalone executable (no Node.js)', `${startup.standaloneRssMb.toFixed(0)} MB`, startup.standaloneRssMb / startup.baselineRssMb);
    }
  }

  const emulator = await VendorEmulator.start();
  const openai = emulator.describe().vendors.openai;
  const keys = TerraformWorkspace.create({
    'main.tf': `${PROVIDER_BLOCK(openai.baseUrl)}
resource "apikeys_openai_admin_key" "bench" {
  count = ${KEYS}
  name  = "bench-\${count.index}"
}
`,
  }, { OPENAI_ADMIN_KEY: String(openai.adminKey) });
  const data = TerraformWorkspace.create({
    'main.tf': `resource "terraform_data" "bench" {
  count = ${KEYS}
  input = "bench-\${count.index}"
}
`,
  });
  try {
    const baseline = await planAndApply(data);
    emulator.requests.length = 0;
    const ours = await planAndApply(keys);
    const listingCalls = emulator.requestsTo('openai', 'GET').length / PLAN_RUNS;
    const perKeyGets = emulator.requestsTo('openai', 'GET').filter((record) => /admin_api_keys\/key_/.test(record.path)).length;

    console.log(`\nterraform plan, ${KEYS} resources in state (refresh; median of ${PLAN_RUNS})`);
    row(`baseline: ${KEYS} terraform_data`, `${baseline.plan.toFixed(0)} ms`);
    row(`${KEYS} apikeys_openai_admin_key`, `${ours.plan.toFixed(0)} ms`, ours.plan / baseline.plan);
    console.log(`  (${listingCalls} paginated listing requests per plan, ${perKeyGets} per-key GETs)`);

    console.log(`\nterraform apply, ${KEYS} creates`);
    row(`baseline: ${KEYS} terraform_data`, `${baseline.apply.toFixed(0)} ms`);
    row(`${KEYS} apikeys_openai_admin_key`, `${ours.apply.toFixed(0)} ms`, ours.apply / baseline.apply);
  } finally {
    keys.dispose();
    data.dispose();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
