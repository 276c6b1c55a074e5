import { TerraformWorkspace, expectExit } from '../test/support/terraform';
import { EmulatorFleet, listingRequests, minimumListingRequests } from './fleet';
import { placeKeys, terraformDataJson, terraformJson, type ConfigurationStyle } from './layout';
import { ProviderProcessMonitor, type ProviderProcessFigures } from './provider-processes';

/** A run that has not finished by then is killed: a hang fails the bench instead of blocking it. */
const RUN_DEADLINE_MS = 20 * 60_000;

export interface ScenarioFigures {
  /** Resource instances in state after the apply. */
  resources: number;
  /** The apply that creates every resource, ms. */
  applyMs: number;
  /** Each timed `terraform plan` (a refresh of every resource), ms; `planMs` is their median. */
  plansMs: number[];
  planMs: number;
  /** Provider processes of the plans (the one with the highest peak memory). */
  processes: ProviderProcessFigures;
  /** Per plan (the last): paginated listing requests, and the fewest the layout allows. */
  listingRequests?: number;
  minimumListingRequests?: number;
  /** Per plan (the last): every request the emulators served. */
  vendorRequests?: number;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await action();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

const resourceCount = (workspace: TerraformWorkspace): number =>
  workspace.state().resources.reduce((sum, resource) => sum + resource.instances.length, 0);

/**
 * init, a timed apply creating everything, then `plans` timed plans with
 * nothing to change (exit 0 of -detailed-exitcode), each watched by a
 * provider-process monitor. `beforePlan`/`afterPlan` wrap each plan (request counting).
 */
async function applyThenPlan(workspace: TerraformWorkspace, plans: number, hooks: { beforePlan?: () => void; afterPlan?: () => void } = {}): Promise<Omit<ScenarioFigures, 'listingRequests' | 'minimumListingRequests' | 'vendorRequests'>> {
  const options = { timeoutMs: RUN_DEADLINE_MS };
  expectExit(await workspace.terraform(['init'], {}, options), 0);
  const apply = await timed(() => workspace.terraform(['apply', '-auto-approve'], {}, options));
  expectExit(apply.result, 0);
  const plansMs: number[] = [];
  let processes: ProviderProcessFigures = { started: 0, maxAlive: 0, peakTotalRssMb: 0, peakProcessRssMb: 0 };
  for (let run = 0; run < plans; run++) {
    hooks.beforePlan?.();
    const monitor = await ProviderProcessMonitor.start(workspace.dir);
    const plan = await timed(() => workspace.terraform(['plan', '-detailed-exitcode'], {}, options));
    const figures = await monitor.stop();
    expectExit(plan.result, 0);
    hooks.afterPlan?.();
    plansMs.push(plan.ms);
    if (figures.peakTotalRssMb >= processes.peakTotalRssMb) processes = figures;
  }
  return { resources: resourceCount(workspace), applyMs: apply.ms, plansMs, planMs: median(plansMs), processes };
}

/** The baseline: `count` terraform_data resources, same terraform, same machine. */
export async function runTerraformDataScenario(count: number, plans: number): Promise<ScenarioFigures> {
  const workspace = TerraformWorkspace.create({ 'main.tf.json': JSON.stringify(terraformDataJson(count)) });
  try {
    return await applyThenPlan(workspace, plans);
  } finally {
    workspace.dispose();
  }
}

export interface KeyScenario {
  style: ConfigurationStyle;
  keys: number;
  /** Organizations per vendor (OpenAI, Edge Impulse, Atlas). */
  organizations: number;
  plans: number;
}

/** `keys` keys over 4 families and `organizations` organizations per vendor, on fresh emulators. */
export async function runKeyScenario(scenario: KeyScenario): Promise<ScenarioFigures> {
  const fleet = await EmulatorFleet.start(scenario.organizations);
  const keys = placeKeys(scenario.keys, fleet.organizations);
  const workspace = TerraformWorkspace.create({ 'main.tf.json': JSON.stringify(terraformJson(scenario.style, keys, fleet.organizations)) }, fleet.env);
  try {
    let listing = 0;
    let total = 0;
    const figures = await applyThenPlan(workspace, scenario.plans, {
      beforePlan: () => fleet.clearRequests(),
      afterPlan: () => {
        listing = listingRequests(fleet.requests()).length;
        total = fleet.requests().length;
      },
    });
    return { ...figures, listingRequests: listing, minimumListingRequests: minimumListingRequests(keys), vendorRequests: total };
  } finally {
    workspace.dispose();
    await fleet.stop();
  }
}
