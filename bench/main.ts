/**
 * npm run bench [-- --quick | --targets]: the plan's figures, each against a baseline
 * measured in the same run on the same machine, so that the ratios mean
 * something on any hardware:
 *
 * 1. provider start-up, exec → handshake line, against a bare node process printing one line;
 * 2. plan and apply of 1,000 keys (4 families) against 1,000 terraform_data, on two paths:
 *    plain resources (10 organizations per vendor, hand-written Terraform JSON) and the manifest
 *    path (3 organizations per vendor, a manifest synthesized by the library, with its outputs,
 *    listings and undeclared-key checks, planned as a pipeline plans it), with the default
 *    outputs (one map per organization) and with one output per key;
 * 3. where each plan's CPU goes: the provider processes and Terraform itself;
 * 4. the org-count curve: the same keys over 1, 10 and 100 organizations per vendor, plan time each;
 * 5. peak resident memory of the provider processes during the plan (sum over those alive at once, and per process);
 * 6. listing requests per plan against the fewest the layout allows, and provider processes per plan.
 *
 * Plain resources come in two provider configurations: "connections" (one provider block, a named
 * connection per organization) and "aliases" (one aliased provider block, hence one provider process,
 * per organization). --quick: 100 keys and fewer organizations, one plan each, to check the harness.
 * --targets: only the plan comparisons against terraform_data (no start-up, curve or aliases), for
 * repeated runs. A missed target prints MISS; it never fails the process (the figures depend on the machine).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { assertProviderBuilt } from '../src/cli/paths';
import { markdownTable, mb, ms, type ReportRow } from './report';
import { Scenario, type ScenarioFigures } from './scenario';
import { measureStartup } from './startup';
import type { ConfigurationStyle } from './layout';

interface BenchPlan {
  keys: number;
  /** Timed plans per scenario (median). */
  plans: number;
  startupRuns: number;
  /** Organizations per vendor of plain resources against terraform_data. */
  organizations: number;
  /** Organizations per vendor of the manifest path. */
  manifestOrganizations: number;
  /** The org-count curve (connections). */
  curve: number[];
  /** Aliases: one provider process per organization, so only small counts (3 vendors × 100 aliases would start 300 processes per plan). */
  aliasCurve: number[];
}

const FULL: BenchPlan = { keys: 1000, plans: 3, startupRuns: 15, organizations: 10, manifestOrganizations: 3, curve: [1, 10, 100], aliasCurve: [1, 10] };
const QUICK: BenchPlan = { keys: 100, plans: 1, startupRuns: 5, organizations: 2, manifestOrganizations: 2, curve: [1, 2, 10], aliasCurve: [1, 2] };

/** Targets, as the highest accepted ratio. */
const TARGETS = { startup: 1.5, plainPlan: 3, manifestPlan: 4, orgCurve: 1.2 };

const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

const DATA = 'terraform_data';
const PLAIN = (organizations: number) => `connections/${organizations}`;
const MANIFEST = 'manifest';
/** The same manifest with one output per key (`outputs: key`), to show what per-key outputs cost. */
const MANIFEST_KEY_OUTPUTS = 'manifest, outputs: key';

async function main(): Promise<void> {
  const plan = process.argv.includes('--quick') ? QUICK : FULL;
  const targetsOnly = process.argv.includes('--targets');
  assertProviderBuilt();
  const terraformVersion = execFileSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } }).split('\n')[0];
  const started = Date.now();
  const mode = [plan === QUICK ? '--quick' : '', targetsOnly ? '--targets' : ''].filter(Boolean).join(' ');
  console.log(`cdktf-apikeys benchmarks${mode ? ` (${mode})` : ''}: node ${process.version}, ${terraformVersion}, ${cpus().length} cores, load ${load()}\n`);

  const rows: ReportRow[] = [];
  let idleNodeRssMb: number | undefined;
  if (!targetsOnly) {
    log(`start-up: ${plan.startupRuns} runs each`);
    const startup = await measureStartup(plan.startupRuns);
    idleNodeRssMb = startup.baselineRssMb;
    rows.push({ measure: 'provider start-up, exec → handshake (median)', value: ms(startup.providerMs), baseline: `${ms(startup.baselineMs)} bare node`, ratio: startup.providerMs / startup.baselineMs, target: TARGETS.startup });
    if (startup.standaloneMs !== undefined) {
      rows.push({ measure: 'standalone provider start-up', value: ms(startup.standaloneMs), baseline: `${ms(startup.baselineMs)} bare node`, ratio: startup.standaloneMs / startup.baselineMs, target: TARGETS.startup });
    }
    if (startup.providerCpuMs !== undefined && startup.baselineCpuMs !== undefined) {
      rows.push({ measure: 'provider start-up, CPU used by the handshake (median)', value: ms(startup.providerCpuMs), baseline: `${ms(startup.baselineCpuMs)} bare node`, ratio: startup.providerCpuMs / startup.baselineCpuMs });
    }
    if (startup.providerRssMb !== undefined && startup.baselineRssMb !== undefined) {
      rows.push({ measure: 'provider memory after the handshake (RSS)', value: mb(startup.providerRssMb), baseline: `${mb(startup.baselineRssMb)} idle node`, ratio: startup.providerRssMb / startup.baselineRssMb });
    }
  }

  // Every scenario is applied first; then the plans go round robin over the scenarios, so that a
  // change in the machine's load weighs on each alike. A scenario that fails is reported, the others go on.
  const styles: ConfigurationStyle[] = targetsOnly ? ['connections'] : ['connections', 'aliases'];
  const curves = (style: ConfigurationStyle) => (targetsOnly ? [] : style === 'connections' ? plan.curve : plan.aliasCurve);
  const scenarios = new Map<string, Scenario>();
  const failures: string[] = [];
  const attempt = async (id: string, action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      failures.push(`${id}: ${(error instanceof Error ? error.message : String(error)).split('\n').slice(0, 12).join('\n  ')}`);
      await scenarios.get(id)?.dispose();
      scenarios.delete(id);
    }
  };
  const add = (id: string, create: () => Promise<Scenario>) => attempt(id, async () => {
    scenarios.set(id, await create());
  });
  scenarios.set(DATA, Scenario.terraformData(plan.keys));
  await add(MANIFEST, () => Scenario.manifest({ keys: plan.keys, organizations: plan.manifestOrganizations }));
  await add(MANIFEST_KEY_OUTPUTS, () => Scenario.manifest({ keys: plan.keys, organizations: plan.manifestOrganizations, choices: { outputs: 'key' } }));
  for (const style of styles) {
    for (const organizations of [plan.organizations, ...curves(style).filter((count) => count !== plan.organizations)]) {
      await add(`${style}/${organizations}`, () => Scenario.keys({ style, keys: plan.keys, organizations }));
    }
  }
  try {
    for (const [id, scenario] of [...scenarios]) {
      log(`apply: ${id} (${plan.keys} resources)`);
      await attempt(id, () => scenario.apply());
    }
    for (let round = 1; round <= plan.plans; round++) {
      for (const [id, scenario] of [...scenarios]) {
        log(`plan ${round}/${plan.plans}: ${id} (load ${load()})`);
        await attempt(id, () => scenario.plan());
      }
    }
  } finally {
    for (const scenario of scenarios.values()) await scenario.dispose();
  }
  const results = new Map([...scenarios].filter(([id]) => id !== DATA).map(([id, scenario]) => [id, scenario.figures()]));
  const dataScenario = scenarios.get(DATA);
  if (!dataScenario) throw new Error(`the terraform_data baseline failed, so no ratio can be computed:\n${failures.join('\n')}`);
  const data = dataScenario.figures();

  const keysLabel = `${plan.keys.toLocaleString('en')} keys`;
  const againstData = (what: string, figures: ScenarioFigures, target?: number) => {
    rows.push({ measure: `plan: ${what}`, value: ms(figures.planMs), baseline: `${ms(data.planMs)} ${data.resources} terraform_data`, ratio: figures.planMs / data.planMs, target });
    rows.push({
      measure: `plan CPU, provider + Terraform: ${what}`, value: `${ms(figures.providerCpuMs)} + ${ms(figures.terraformCpuMs)}`,
      baseline: `${ms(data.terraformCpuMs)} terraform_data`, ratio: (figures.providerCpuMs + figures.terraformCpuMs) / data.terraformCpuMs,
    });
    rows.push({ measure: `apply (creates): ${what}`, value: ms(figures.applyMs), baseline: `${ms(data.applyMs)} ${data.resources} terraform_data`, ratio: figures.applyMs / data.applyMs });
  };
  const plain = results.get(PLAIN(plan.organizations));
  if (plain) againstData(`${keysLabel}, plain resources, ${plan.organizations} orgs/vendor, one provider block`, plain, TARGETS.plainPlan);
  const manifest = results.get(MANIFEST);
  if (manifest) againstData(`${keysLabel}, manifest path, ${plan.manifestOrganizations} orgs/vendor (outputs: organization, the default)`, manifest, TARGETS.manifestPlan);
  const keyOutputs = results.get(MANIFEST_KEY_OUTPUTS);
  if (keyOutputs) againstData(`${keysLabel}, manifest path, ${plan.manifestOrganizations} orgs/vendor, outputs: key`, keyOutputs);
  const aliases = results.get(`aliases/${plan.organizations}`);
  if (aliases) againstData(`${keysLabel}, plain resources, ${plan.organizations} orgs/vendor, an aliased provider per organization`, aliases);

  for (const style of styles) {
    const counts = curves(style);
    const base = results.get(`${style}/${counts[0]}`);
    for (const organizations of counts.slice(1)) {
      const figures = results.get(`${style}/${organizations}`);
      if (!base || !figures) continue;
      rows.push({
        measure: `org curve, ${style}: plan over ${organizations} orgs/vendor`, value: ms(figures.planMs), baseline: `${ms(base.planMs)} over ${counts[0]} org`,
        ratio: figures.planMs / base.planMs, target: style === 'connections' && organizations === counts[counts.length - 1] ? TARGETS.orgCurve : undefined,
      });
    }
  }

  for (const [id, figures] of results) {
    rows.push({ measure: `provider processes per plan: ${id}`, value: `${figures.processes.started}`, baseline: `${figures.processes.maxAlive} alive at once` });
    const againstIdleNode = (rssMb: number) => (idleNodeRssMb === undefined ? { baseline: '' } : { baseline: `${mb(idleNodeRssMb)} idle node`, ratio: rssMb / idleNodeRssMb });
    rows.push({ measure: `peak provider memory, all alive at once: ${id}`, value: mb(figures.processes.peakTotalRssMb), ...againstIdleNode(figures.processes.peakTotalRssMb) });
    rows.push({ measure: `peak provider memory, one process (VmHWM): ${id}`, value: mb(figures.processes.peakProcessRssMb), ...againstIdleNode(figures.processes.peakProcessRssMb) });
    rows.push({
      measure: `listing requests per plan: ${id}`, value: `${figures.listingRequests}`, baseline: `${figures.minimumListingRequests} minimum`,
      ratio: figures.listingRequests! / figures.minimumListingRequests!,
    });
  }

  console.log(markdownTable(rows));
  console.log(`\nterraform_data baseline: plans ${data.plansMs.map(ms).join(', ')}; apply ${ms(data.applyMs)}; bench process CPU per plan ${ms(data.benchCpuMs)}.`);
  for (const [id, figures] of results) {
    console.log(`${id}: ${figures.resources} resources; plans ${figures.plansMs.map(ms).join(', ')}; apply ${ms(figures.applyMs)}; ` +
      `${figures.vendorRequests} vendor requests per plan; bench process CPU per plan (emulators, sampler) ${ms(figures.benchCpuMs)}.`);
  }
  for (const failure of failures) console.log(`FAILED ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
  console.log(`\n(${plan.plans === 1 ? 'one plan' : `median of ${plan.plans} plans`} per figure; wall time ${((Date.now() - started) / 1000).toFixed(0)} s; load now ${load()})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
