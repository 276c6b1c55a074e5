import { readFileSync } from 'node:fs';
import { TerraformWorkspace, expectExit } from '../harness/terraform';
import { EmulatorFleet, listingRequests, minimumListingRequests } from './fleet';
import { placeKeys, terraformDataJson, terraformJson, type ConfigurationStyle } from './layout';
import { baseUrlEnv, manifestYaml, synthesizeManifest, type ManifestChoices } from './manifest-stack';
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
  /** Provider processes of the plans: each figure's highest over the plans. */
  processes: ProviderProcessFigures;
  /** Per plan (the last; keys only): paginated listing requests, and the fewest the layout allows. */
  listingRequests?: number;
  minimumListingRequests?: number;
  /** Per plan (the last): every request the emulators served. */
  vendorRequests?: number;
  /**
   * CPU this process used during each plan (median), ms: the emulators answering the provider, plus the
   * process sampler. A real vendor does that work on its own machines; here it shares the cores with Terraform.
   */
  benchCpuMs: number;
  /**
   * Where the CPU of each plan went (medians, ms; Linux, else 0): the provider processes, as sampled,
   * and Terraform itself (all CPU of the terraform command and its children, less the providers').
   */
  providerCpuMs: number;
  terraformCpuMs: number;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await action();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

/** Managed resource instances: data sources (the manifest's listings) are not what was created. */
const resourceCount = (workspace: TerraformWorkspace): number =>
  workspace.state().resources.filter((resource) => (resource as { mode?: string }).mode !== 'data').reduce((sum, resource) => sum + resource.instances.length, 0);

const NO_PROCESSES: ProviderProcessFigures = { started: 0, maxAlive: 0, peakTotalRssMb: 0, peakProcessRssMb: 0, cpuMs: 0 };

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ

/** CPU used by this process's finished (waited-for) children and theirs, ms: cutime + cstime of /proc/self/stat; 0 off Linux. */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
const RUN = { timeoutMs: RUN_DEADLINE_MS };

export interface ManifestScenario {
  keys: number;
  /** Organizations per vendor (OpenAI, Edge Impulse, Atlas). */
  organizations: number;
  choices?: ManifestChoices;
}

export interface KeyScenario {
  style: ConfigurationStyle;
  keys: number;
  /** Organizations per vendor (OpenAI, Edge Impulse, Atlas). */
  organizations: number;
}

/**
 * One Terraform working directory to measure: `apply()` runs init and a timed
 * apply that creates everything; each `plan()` is a timed plan with nothing to
 * change (exit 0 of -detailed-exitcode), a refresh of every resource, watched
 * by a provider-process monitor and, for keys, counted in the emulators' request logs.
 * Scenarios are separate objects so that the bench can interleave their plans:
 * a change in the machine's load then weighs on every scenario alike.
 */
export class Scenario {
  private applyMs = 0;
  private resources = 0;
  private readonly plansMs: number[] = [];
  private readonly benchCpuMs: number[] = [];
  private readonly providerCpuMs: number[] = [];
  private readonly terraformCpuMs: number[] = [];
  private processes = NO_PROCESSES;
  private listing?: number;
  private vendorRequests?: number;

  private constructor(
    private readonly workspace: TerraformWorkspace,
    private readonly fleet?: EmulatorFleet,
    private readonly minimumListing?: number,
  ) {}

  /** The baseline: `count` terraform_data resources, same terraform, same machine, no provider process. */
  static terraformData(count: number): Scenario {
    return new Scenario(TerraformWorkspace.create({ 'main.tf.json': JSON.stringify(terraformDataJson(count)) }));
  }

  /** `keys` keys over 4 families and `organizations` organizations per vendor, on emulators of its own. */
  static async keys(scenario: KeyScenario): Promise<Scenario> {
    const fleet = await EmulatorFleet.start(scenario.organizations);
    const keys = placeKeys(scenario.keys, fleet.organizations);
    const workspace = TerraformWorkspace.create({ 'main.tf.json': JSON.stringify(terraformJson(scenario.style, keys, fleet.organizations)) }, fleet.env);
    return new Scenario(workspace, fleet, minimumListingRequests(keys));
  }

  /**
   * The manifest path: the same layout of keys in a key manifest, synthesized
   * by the library (outputs, listings and checks included) and planned as a
   * pipeline plans the stack.
   */
  static async manifest(scenario: ManifestScenario): Promise<Scenario> {
    const fleet = await EmulatorFleet.start(scenario.organizations);
    const keys = placeKeys(scenario.keys, fleet.organizations);
    const stack = synthesizeManifest(manifestYaml(keys, fleet.organizations, scenario.choices));
    const workspace = TerraformWorkspace.create({ 'cdk.tf.json': stack }, { ...fleet.env, ...baseUrlEnv(fleet.organizations) });
    return new Scenario(workspace, fleet, minimumListingRequests(keys));
  }

  async apply(): Promise<void> {
    expectExit(await this.workspace.terraform(['init'], {}, RUN), 0);
    const apply = await timed(() => this.workspace.terraform(['apply', '-auto-approve'], {}, RUN));
    expectExit(apply.result, 0);
    this.applyMs = apply.ms;
    this.resources = resourceCount(this.workspace);
  }

  /** `env`: for this plan only (bench/profile.ts swaps the provider through a CLI configuration). */
  async plan(env: NodeJS.ProcessEnv = {}): Promise<void> {
    this.fleet?.clearRequests();
    const monitor = await ProviderProcessMonitor.start(this.workspace.dir);
    const cpuBefore = process.cpuUsage();
    const childrenBefore = childrenCpuMs();
    const plan = await timed(() => this.workspace.terraform(['plan', '-detailed-exitcode'], env, RUN));
    const cpu = process.cpuUsage(cpuBefore);
    const children = childrenCpuMs() - childrenBefore;
    const processes = await monitor.stop();
    this.benchCpuMs.push((cpu.user + cpu.system) / 1000);
    this.providerCpuMs.push(processes.cpuMs);
    this.terraformCpuMs.push(Math.max(0, children - processes.cpuMs));
    expectExit(plan.result, 0);
    this.plansMs.push(plan.ms);
    // Each figure's highest over the plans: a sample can come too late for a short-lived process, never too early.
    this.processes = {
      started: Math.max(this.processes.started, processes.started), maxAlive: Math.max(this.processes.maxAlive, processes.maxAlive),
      peakTotalRssMb: Math.max(this.processes.peakTotalRssMb, processes.peakTotalRssMb), peakProcessRssMb: Math.max(this.processes.peakProcessRssMb, processes.peakProcessRssMb),
      cpuMs: Math.max(this.processes.cpuMs, processes.cpuMs),
    };
    if (this.fleet) {
      this.listing = listingRequests(this.fleet.requests()).length;
      this.vendorRequests = this.fleet.requests().length;
    }
  }

  figures(): ScenarioFigures {
    return {
      resources: this.resources, applyMs: this.applyMs, plansMs: [...this.plansMs], planMs: median(this.plansMs), processes: this.processes,
      listingRequests: this.listing, minimumListingRequests: this.minimumListing, vendorRequests: this.vendorRequests,
      benchCpuMs: median(this.benchCpuMs), providerCpuMs: median(this.providerCpuMs), terraformCpuMs: median(this.terraformCpuMs),
    };
  }

  async dispose(): Promise<void> {
    this.workspace.dispose();
    await this.fleet?.stop();
  }
}

/** A scenario on its own: apply, `plans` plans, figures. */
export async function runScenario(scenario: Scenario, plans: number): Promise<ScenarioFigures> {
  try {
    await scenario.apply();
    for (let run = 0; run < plans; run++) await scenario.plan();
    return scenario.figures();
  } finally {
    await scenario.dispose();
  }
}
