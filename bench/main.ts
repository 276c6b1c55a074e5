/**
 * npm run bench [-- --quick]: the figures of issue 8, each against a baseline
 * measured in the same run on the same machine, so that the ratios mean
 * something on any hardware:
 *
 * 1. provider start-up, exec → handshake line, against a bare node process printing one line;
 * 2. plan and apply of 1,000 keys (4 families, 10 organizations per vendor) against 1,000 terraform_data;
 * 3. the org-count curve: the same keys over 1, 10 and 100 organizations per vendor, plan time each;
 * 4. peak resident memory of the provider processes during the plan (sum over those alive at once, and per process);
 * 5. listing requests per plan against the fewest the layout allows, and provider processes per plan.
 *
 * Two provider configurations: "connections" (one provider block, a named connection per
 * organization) and "aliases" (one aliased provider block, hence one provider process, per
 * organization). --quick: 100 keys and fewer organizations, one plan each, to check the harness.
 * A missed target prints MISS; it never fails the process (the figures depend on the machine).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { assertProviderBuilt } from '../src/cli/paths';
import { apiKeysProvider } from '../src/provider/provider';
import { markdownTable, mb, ms, type ReportRow } from './report';
import { Scenario } from './scenario';
import { measureStartup } from './startup';
import type { ConfigurationStyle } from './layout';

interface BenchPlan {
  keys: number;
  /** Timed plans per scenario (median). */
  plans: number;
  startupRuns: number;
  /** Organizations per vendor of the main comparison against terraform_data. */
  organizations: number;
  /** The org-count curve (connections). */
  curve: number[];
  /** Aliases: one provider process per organization, so only small counts (3 vendors × 100 aliases would start 300 processes per plan). */
  aliasCurve: number[];
}

const FULL: BenchPlan = { keys: 1000, plans: 3, startupRuns: 15, organizations: 10, curve: [1, 10, 100], aliasCurve: [1, 10] };
const QUICK: BenchPlan = { keys: 100, plans: 1, startupRuns: 5, organizations: 2, curve: [1, 2, 10], aliasCurve: [1, 2] };

/** Targets of issue 8, as the highest accepted ratio. */
const TARGETS = { startup: 1.5, planVsTerraformData: 3, orgCurve: 1.2 };

/** Named connections are in the provider schema once the provider serves them (a labelled block per vendor). */
const providerHasConnections = (): boolean => apiKeysProvider.schema.blocks?.openai_connection !== undefined;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const plan = process.argv.includes('--quick') ? QUICK : FULL;
  assertProviderBuilt();
  const terraformVersion = execFileSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } }).split('\n')[0];
  const started = Date.now();
  console.log(`cdktf-apikeys benchmarks${plan === QUICK ? ' (--quick)' : ''}: node ${process.version}, ${terraformVersion}, ${cpus().length} cores, load ${loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
  const connections = providerHasConnections();
  const styles: ConfigurationStyle[] = connections ? ['connections', 'aliases'] : ['aliases'];
  if (!connections) console.log('(this provider build has no named connections: only the "aliases" configuration is measured)\n');

  const rows: ReportRow[] = [];

  log(`start-up: ${plan.startupRuns} runs each`);
  const startup = await measureStartup(plan.startupRuns);
  rows.push({ measure: 'provider start-up, exec → handshake (median)', value: ms(startup.providerMs), baseline: `${ms(startup.baselineMs)} bare node`, ratio: startup.providerMs / startup.baselineMs, target: TARGETS.startup });
  if (startup.standaloneMs !== undefined) {
    rows.push({ measure: 'standalone provider start-up', value: ms(startup.standaloneMs), baseline: `${ms(startup.baselineMs)} bare node`, ratio: startup.standaloneMs / startup.baselineMs, target: TARGETS.startup });
  }
  // CPU used by the handshake, when startup.ts measures it (Linux): less sensitive to a busy machine than wall time.
  const cpu = startup as { providerCpuMs?: number; baselineCpuMs?: number };
  if (cpu.providerCpuMs !== undefined && cpu.baselineCpuMs !== undefined) {
    rows.push({ measure: 'provider start-up, CPU used by the handshake (median)', value: ms(cpu.providerCpuMs), baseline: `${ms(cpu.baselineCpuMs)} bare node`, ratio: cpu.providerCpuMs / cpu.baselineCpuMs });
  }
  if (startup.providerRssMb !== undefined && startup.baselineRssMb !== undefined) {
    rows.push({ measure: 'provider memory after the handshake (RSS)', value: mb(startup.providerRssMb), baseline: `${mb(startup.baselineRssMb)} idle node`, ratio: startup.providerRssMb / startup.baselineRssMb });
  }

  // Every scenario is applied first; then the plans go round robin over the scenarios, so that a
  // change in the machine's load weighs on each alike. A scenario that fails is reported, the others go on.
  const curves = (style: ConfigurationStyle) => (style === 'connections' ? plan.curve : plan.aliasCurve);
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
  const DATA = 'terraform_data';
  scenarios.set(DATA, Scenario.terraformData(plan.keys));
  for (const style of styles) {
    for (const organizations of [plan.organizations, ...curves(style).filter((count) => count !== plan.organizations)]) {
      const id = `${style}/${organizations}`;
      await attempt(id, async () => {
        scenarios.set(id, await Scenario.keys({ style, keys: plan.keys, organizations }));
      });
    }
  }
  try {
    for (const [id, scenario] of [...scenarios]) {
      log(`apply: ${id} (${plan.keys} resources)`);
      await attempt(id, () => scenario.apply());
    }
    for (let round = 1; round <= plan.plans; round++) {
      for (const [id, scenario] of [...scenarios]) {
        log(`plan ${round}/${plan.plans}: ${id}`);
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
  for (const style of styles) {
    const figures = results.get(`${style}/${plan.organizations}`);
    if (!figures) continue;
    const what = `${keysLabel}, ${plan.organizations} orgs/vendor, ${style}`;
    rows.push({ measure: `plan: ${what}`, value: ms(figures.planMs), baseline: `${ms(data.planMs)} ${data.resources} terraform_data`, ratio: figures.planMs / data.planMs, target: TARGETS.planVsTerraformData });
    rows.push({ measure: `apply (creates): ${what}`, value: ms(figures.applyMs), baseline: `${ms(data.applyMs)} ${data.resources} terraform_data`, ratio: figures.applyMs / data.applyMs });
  }

  // The target applies to the design's configuration: connections once the provider has them.
  const curveStyle: ConfigurationStyle = connections ? 'connections' : 'aliases';
  for (const style of styles) {
    const counts = curves(style);
    const base = results.get(`${style}/${counts[0]}`);
    for (const organizations of counts.slice(1)) {
      const figures = results.get(`${style}/${organizations}`);
      if (!base || !figures) continue;
      rows.push({
        measure: `org curve, ${style}: plan over ${organizations} orgs/vendor`, value: ms(figures.planMs), baseline: `${ms(base.planMs)} over ${counts[0]} org`,
        ratio: figures.planMs / base.planMs, target: style === curveStyle && organizations === counts[counts.length - 1] ? TARGETS.orgCurve : undefined,
      });
    }
  }

  for (const [id, figures] of results) {
    const [style, organizations] = id.split('/');
    const what = `${style}, ${organizations} org${organizations === '1' ? "" : "s"}/vendor`;
    rows.push({ measure: `provider processes per plan: ${what}`, value: `${figures.processes.started}`, baseline: `${figures.processes.maxAlive} alive at once` });
    rows.push({
      measure: `peak provider memory, all alive at once: ${what}`, value: mb(figures.processes.peakTotalRssMb),
      baseline: startup.baselineRssMb === undefined ? '' : `${mb(startup.baselineRssMb)} idle node`,
      ratio: startup.baselineRssMb === undefined ? undefined : figures.processes.peakTotalRssMb / startup.baselineRssMb,
    });
    rows.push({
      measure: `peak provider memory, one process (VmHWM): ${what}`, value: mb(figures.processes.peakProcessRssMb),
      baseline: startup.baselineRssMb === undefined ? '' : `${mb(startup.baselineRssMb)} idle node`,
      ratio: startup.baselineRssMb === undefined ? undefined : figures.processes.peakProcessRssMb / startup.baselineRssMb,
    });
    rows.push({
      measure: `listing requests per plan: ${what}`, value: `${figures.listingRequests}`, baseline: `${figures.minimumListingRequests} minimum`,
      ratio: figures.listingRequests! / figures.minimumListingRequests!,
    });
  }

  console.log(markdownTable(rows));
  console.log(`\nterraform_data baseline: plan ${data.plansMs.map(ms).join(', ')}; apply ${ms(data.applyMs)}; bench process CPU per plan ${ms(data.benchCpuMs)}.`);
  for (const [id, figures] of results) {
    console.log(`${id}: ${figures.resources} resources; plans ${figures.plansMs.map(ms).join(', ')}; apply ${ms(figures.applyMs)}; ` +
      `${figures.vendorRequests} vendor requests per plan; bench process CPU per plan (emulators, sampler) ${ms(figures.benchCpuMs)}.`);
  }
  for (const failure of failures) console.log(`FAILED ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
  console.log(`\n(${plan.plans === 1 ? 'one plan' : `median of ${plan.plans} plans`} per figure; wall time ${((Date.now() - started) / 1000).toFixed(0)} s; load now ${loadavg().map((value) => value.toFixed(2)).join(' ')})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
