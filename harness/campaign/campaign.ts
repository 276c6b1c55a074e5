/**
 * The exactly-once campaign: the real terraform binary and the provider from
 * this checkout, the vendor emulator, and the seeded fault proxy between
 * them. Each trial declares 16 keys over the four families, runs a faulty
 * apply (or kills terraform mid-apply), then clean applies, and audits the
 * vendor's truth against Terraform's state (see ./audit.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_LOCK_FILE, assertProviderBuilt } from '../../src/cli/paths';
import { terraformEnvironment } from '../../src/cli/terraform-env';
import { VendorEmulator } from '../../src/emulator/server';
import { DEFAULT_MAX_CREATE_ATTEMPTS } from '../../src/reconcile/exactly-once';
import { FaultProxy, isKeyCall, isKeyCreate, mulberry32, seedFor, type FaultKind, type ProxyRecord } from '../fault-proxy';
import { audit, type Audit, type DeclaredKey, type StateKey, type VendorKey } from './audit';
import { FAMILY_RESOURCE, readVendorKeys, secretAuthenticates } from './vendor-truth';

/** The provider's per-attempt deadline in campaign configurations: "long" proxy delays exceed it. */
export const PROVIDER_TIMEOUT_SECONDS = 2;
const EDGE_IMPULSE_ORG = 1;
const CLEAN_APPLIES = 2;

export interface TerraformResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A scratch Terraform directory with the provider from this checkout; no registry is reached. */
export class Workspace {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(files: Record<string, string>, env: NodeJS.ProcessEnv) {
    assertProviderBuilt();
    this.dir = mkdtempSync(join(tmpdir(), 'apikeys-campaign-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(this.dir, name), content);
    copyFileSync(PROVIDER_LOCK_FILE, join(this.dir, '.terraform.lock.hcl'));
    this.env = terraformEnvironment(join(this.dir, '.cli'), env);
  }

  /** Starts terraform; `pid` is known at once, `done` settles when it exits (or is killed). */
  start(args: string[]): { pid: number; done: Promise<TerraformResult> } {
    const [command, ...rest] = args;
    const child = spawn('terraform', [command, '-no-color', ...(['init', 'plan', 'apply'].includes(command) ? ['-input=false'] : []), ...rest], {
      cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
    const done = new Promise<TerraformResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 + 9 : 1), ...output }));
    });
    return { pid: child.pid!, done };
  }

  terraform(args: string[]): Promise<TerraformResult> {
    return this.start(args).done;
  }

  /** Resource instances from `terraform show -json` (works for every backend). */
  async state(): Promise<StateKey[]> {
    const shown = await this.terraform(['show', '-json']);
    if (shown.exitCode !== 0) throw new Error(`terraform show -json failed: ${shown.stderr}`);
    const parsed = JSON.parse(shown.stdout) as { values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } } };
    return (parsed.values?.root_module?.resources ?? []).map((resource) => ({
      address: resource.address,
      id: typeof resource.values.id === 'string' ? resource.values.id : null,
      secret: typeof resource.values.secret === 'string' && resource.values.secret !== '' ? resource.values.secret : null,
    }));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The emulator, a second OpenAI project, the fault proxy in front, and the 16 declared keys. */
export class CampaignStage {
  readonly declared: DeclaredKey[];
  private baseline = new Set<string>();

  private constructor(readonly emulator: VendorEmulator, readonly proxy: FaultProxy, projects: string[], atlasOrgs: string[]) {
    this.declared = declareKeys(projects, atlasOrgs);
  }

  static async start(seed: number, proxyOptions: { faultRate?: number; kinds?: readonly FaultKind[]; matches?: (method: string, path: string) => boolean } = {}): Promise<CampaignStage> {
    const emulator = await VendorEmulator.start();
    const secondProject = emulator.openai.projects.createProject('campaign second project').id;
    const proxy = await FaultProxy.start({ target: emulator.url, seed, providerTimeoutMs: PROVIDER_TIMEOUT_SECONDS * 1000, ...proxyOptions });
    const atlas = emulator.describe().vendors.atlas;
    const stage = new CampaignStage(emulator, proxy, [emulator.openai.projects.defaultProjectId, secondProject], [String(atlas.orgId), String(atlas.orgId_1)]);
    stage.baseline = new Set((await stage.liveKeys(true)).map((key) => `${key.family}/${key.id}`));
    return stage;
  }

  /** Credentials in variables whose names follow the credential policy, and the emulator's host allowed. */
  env(): NodeJS.ProcessEnv {
    const vendors = this.emulator.describe().vendors;
    return {
      APIKEYS_ALLOWED_HOSTS: '127.0.0.1',
      CAMPAIGN_OPENAI_ADMIN_KEY: String(vendors.openai.adminKey),
      CAMPAIGN_EI_API_KEY: String(vendors.edgeimpulse.apiKey),
      CAMPAIGN_ATLAS_PUBLIC_KEY: String(vendors.atlas.publicKey),
      CAMPAIGN_ATLAS_PRIVATE_KEY: String(vendors.atlas.privateKey),
      SA_ATLAS_CLIENT_ID: String(vendors.atlas.clientId_1),
      SA_ATLAS_CLIENT_SECRET: String(vendors.atlas.clientSecret_1),
    };
  }

  /** Plain HCL: every base URL points at the proxy; `backend` is an optional backend block. */
  config(backend = ''): string {
    return campaignConfig(this.proxy.url, this.declared, backend);
  }

  /** Live keys at the vendor; without `all`, only those made since the stage started. */
  async liveKeys(all = false): Promise<VendorKey[]> {
    const keys = await readVendorKeys(this.emulator.url, [EDGE_IMPULSE_ORG]);
    return all ? keys : keys.filter((key) => !this.baseline.has(`${key.family}/${key.id}`));
  }

  async audit(state: StateKey[], converged: boolean): Promise<Audit> {
    const vendor = await this.liveKeys();
    const secrets = new Map<string, boolean>();
    const stateById = new Map(state.map((entry) => [entry.id, entry]));
    for (const key of vendor) {
      const secret = stateById.get(key.id)?.secret;
      if (secret) secrets.set(key.id, await secretAuthenticates(this.emulator.url, key, secret));
    }
    return audit({ declared: this.declared, vendor, state, converged, secretIsRight: (key) => secrets.get(key.id) === true });
  }

  /** The faults the proxy applied to creates of one key name: for classifying findings. */
  faultsFor(name: string): string[] {
    return this.proxy.records.filter((record) => record.label === name && (record.fault !== 'passthrough' || record.hookFault))
      .map((record) => record.hookFault ?? record.fault);
  }

  /** Findings annotated with the faults their key's creates met. */
  explain(result: Audit): string[] {
    return result.findings.map((finding) => {
      const name = /"([^"]+)"/.exec(finding)?.[1];
      const faults = name ? this.faultsFor(name) : [];
      return faults.length ? `${finding} [faults on its creates: ${faults.join(', ')}]` : finding;
    });
  }

  async stop(): Promise<void> {
    await this.proxy.stop();
    await this.emulator.stop();
  }
}

function declareKeys(projects: string[], atlasOrgs: string[]): DeclaredKey[] {
  const keys: DeclaredKey[] = [];
  const add = (family: DeclaredKey['family'], scope: string, name: string) =>
    keys.push({ family, scope, name, address: `${FAMILY_RESOURCE[family]}.${name.replace(/-/g, '_')}` });
  for (let index = 0; index < 4; index++) add('openai_admin', 'org', `admin-${index}`);
  for (let index = 0; index < 4; index++) add('openai_project', projects[index % 2], `project-${index}`);
  for (let index = 0; index < 4; index++) add('edgeimpulse', String(EDGE_IMPULSE_ORG), `ei-${index}`);
  for (let index = 0; index < 4; index++) add('atlas', atlasOrgs[index < 2 ? 0 : 1], `atlas-${index}`);
  return keys;
}

function campaignConfig(proxyUrl: string, declared: DeclaredKey[], backend: string): string {
  const blocks = declared.map((key) => {
    const [type, name] = key.address.split('.');
    const body = {
      openai_admin: `  name = "${key.name}"`,
      openai_project: `  project_id = "${key.scope}"\n  name       = "${key.name}"`,
      edgeimpulse: `  organization_id = ${key.scope}\n  name            = "${key.name}"\n  role            = "${key.name.endsWith('1') ? 'member' : 'admin'}"`,
      atlas: `${key.name === 'atlas-2' || key.name === 'atlas-3' ? '  provider        = apikeys.service_account\n' : ''}  organization_id = "${key.scope}"\n  description     = "${key.name}"\n  roles           = ["ORG_MEMBER"]`,
    }[key.family];
    return `resource "${type}" "${name}" {\n${body}\n}\n`;
  });
  const transport = `  request_timeout_seconds = ${PROVIDER_TIMEOUT_SECONDS}`;
  return `terraform {
  required_providers {
    apikeys = { source = "cdktf-apikeys/apikeys", version = "0.1.0" }
  }
${backend}}
provider "apikeys" {
  openai_base_url         = "${proxyUrl}/openai/v1"
  openai_admin_key_env    = "CAMPAIGN_OPENAI_ADMIN_KEY"
  edgeimpulse_base_url    = "${proxyUrl}/edgeimpulse/v1"
  edgeimpulse_api_key_env = "CAMPAIGN_EI_API_KEY"
  atlas_base_url          = "${proxyUrl}/atlas"
  atlas_public_key_env    = "CAMPAIGN_ATLAS_PUBLIC_KEY"
  atlas_private_key_env   = "CAMPAIGN_ATLAS_PRIVATE_KEY"
${transport}
}
provider "apikeys" {
  alias                   = "service_account"
  atlas_base_url          = "${proxyUrl}/atlas"
  atlas_client_id_env     = "SA_ATLAS_CLIENT_ID"
  atlas_client_secret_env = "SA_ATLAS_CLIENT_SECRET"
${transport}
}
${blocks.join('')}`;
}

export const pgBackend = (connection: string, schema: string): string =>
  `  backend "pg" {\n    conn_str    = "${connection}"\n    schema_name = "${schema}"\n  }\n`;

export interface TrialResult extends Audit {
  seed: number;
  faults: Record<string, number>;
  /** Findings with the faults their keys met, for the report. */
  explained: string[];
}

/** Clean applies (the proxy off) until a clean plan exits 0, at most CLEAN_APPLIES of them. */
async function converge(workspace: Workspace, stage: CampaignStage, notes: string[]): Promise<boolean> {
  stage.proxy.enabled = false;
  for (let attempt = 1; attempt <= CLEAN_APPLIES; attempt++) {
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    if (apply.exitCode !== 0) notes.push(`clean apply ${attempt} exited ${apply.exitCode}: ${firstError(apply)}`);
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    if (plan.exitCode === 0) return true;
  }
  return false;
}

const firstError = (result: TerraformResult) => (/Error: (.*)/.exec(result.stderr)?.[1] ?? result.stderr.trim().split('\n')[0] ?? '').slice(0, 200);

/**
 * One fault trial: a faulty apply through the proxy, clean applies, then the audit.
 * Faults hit the creates; with `allKeyCalls`, also the lists, reads and deletes.
 */
export async function runFaultTrial(seed: number, options: { faultRate?: number; allKeyCalls?: boolean } = {}): Promise<TrialResult> {
  const stage = await CampaignStage.start(seed, { faultRate: options.faultRate ?? 0.5, matches: options.allKeyCalls ? isKeyCall : isKeyCreate });
  const workspace = new Workspace({ 'main.tf': stage.config() }, stage.env());
  const notes: string[] = [];
  try {
    const init = await workspace.terraform(['init']);
    if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    await workspace.terraform(['apply', '-auto-approve']);
    const faults = stage.proxy.faultCounts();
    const converged = await converge(workspace, stage, notes);
    const result = await stage.audit(await workspace.state(), converged);
    return { ...result, seed, faults, explained: [...stage.explain(result), ...(converged ? [] : notes)] };
  } finally {
    workspace.dispose();
    await stage.stop();
  }
}

// ---- kill -9 ---------------------------------------------------------------------------------------

/** Parent pid and state of a process from /proc, or undefined when it is gone. */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Every descendant of `root`, found through /proc by parent pid. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      queue.push(child);
      found.push(child);
    }
  }
  return found;
}

/** Alive means present and not a zombie (an exited child nobody has reaped yet is gone for our purposes). */
const isAlive = (pid: number) => {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
};

/** Polls until every pid is gone, up to `limitMs`; returns those still alive then. */
async function survivorsAfter(pids: number[], limitMs: number): Promise<number[]> {
  const deadline = Date.now() + limitMs;
  let alive = pids.filter(isAlive);
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    alive = alive.filter(isAlive);
  }
  return alive;
}

export interface KillTrialResult extends TrialResult {
  backend: 'local' | 'pg';
  /** Provider processes that were children of terraform when it was killed. */
  providerProcesses: number;
  /** Of those, how many were still alive 2 s after the kill. */
  outlived: number;
  /** Whether terraform died mid-apply (false when the apply finished before the kill point). */
  killedMidApply: boolean;
}

export const PROVIDER_EXIT_LIMIT_MS = 2_000;

/**
 * kill -9 of terraform during an apply, at one of two points:
 * - `create` (default): a seeded point, after the vendor acted on the n-th
 *   create (n in 1..16) and a seeded pause (0..800 ms) while that create's
 *   answer is held; other creates meet short answer delays, so some are in
 *   flight;
 * - `after-provider-closed`: the aliased provider (Atlas, service account)
 *   has delivered its two keys and Terraform has closed it, while the default
 *   provider's creates are held at the proxy unforwarded (and dropped at the
 *   kill). The aliased keys then live only in Terraform's memory, which a
 *   remote backend has not persisted yet. (Before the journal this lost
 *   them on pg every time, and random `create` kills hit it whenever the
 *   aliased provider finished first; even the local backend once had not
 *   written them when terraform died a few hundred ms after "Creation
 *   complete".)
 * - `during-recovery`: 1..3 seeded keys of the default provider have the
 *   answers of their first 1..3 sends (seeded; Edge Impulse: the first only,
 *   since it adopts the key the first recovery finds) withheld: forwarded,
 *   the vendor acts, and no answer ever comes, so the provider times out,
 *   finds the key by re-listing, revokes it and sends again. Once the
 *   provider has timed out on a key's LAST withheld send (the proxy saw it
 *   close the connection) and a listing of that key's scope arrives, the
 *   provider is re-listing for that create: terraform is killed there, and
 *   that scope's listings are held until the provider processes are gone,
 *   then dropped. The provider exits without having found the key: only
 *   what it noted before sending (the journal's create intents) lets the
 *   next apply revoke it (before create intents: orphans and duplicates in
 *   every trial, e.g. 7 in 5 local trials, seeds 101-105).
 * Then one more apply, then the audit.
 */
export type KillPoint = 'create' | 'after-provider-closed' | 'during-recovery';
export const KILL_POINTS: readonly KillPoint[] = ['create', 'after-provider-closed', 'during-recovery'];

/** The keys whose answers a `during-recovery` trial withholds, with how many of their sends (the first ones) go unanswered. */
export function recoveryPlan(seed: number, declared: DeclaredKey[]): Map<string, number> {
  const random = mulberry32(seedFor(seed, 'during-recovery'));
  // The aliased provider's keys (atlas-2, atlas-3) are left out: it may be closed before the kill.
  const candidates = declared.filter((key) => key.name !== 'atlas-2' && key.name !== 'atlas-3');
  const count = 1 + Math.floor(random() * 3);
  const plan = new Map<string, number>();
  while (plan.size < count) {
    const key = candidates[Math.floor(random() * candidates.length)];
    if (!plan.has(key.name)) plan.set(key.name, key.family === 'edgeimpulse' ? 1 : 1 + Math.floor(random() * DEFAULT_MAX_CREATE_ATTEMPTS));
  }
  return plan;
}

/** The path the provider lists a create's scope on: the create's collection (OpenAI project keys: the project's api_keys). */
const listingPathOf = (createPath: string) => createPath.replace(/\/service_accounts$/, '/api_keys');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runKillTrial(
  seed: number, backend: { kind: 'local' } | { kind: 'pg'; connection: string }, point: KillPoint = 'create',
): Promise<KillTrialResult> {
  const random = mulberry32(seed);
  const killAfterCreates = 1 + Math.floor(random() * 16);
  const pauseMs = Math.floor(random() * 800);
  const stage = await CampaignStage.start(seed, point === 'create' ? { faultRate: 0.6, kinds: ['delay-after-short'] } : { faultRate: 0 });
  const schema = `campaign_kill_${seed}_${process.pid}_${Date.now()}`;
  const backendBlock = backend.kind === 'pg' ? pgBackend(backend.connection, schema) : '';
  const workspace = new Workspace({ 'main.tf': stage.config(backendBlock) }, stage.env());
  const notes: string[] = [];
  try {
    const init = await workspace.terraform(['init']);
    if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    // Held creates occupy Terraform's parallelism slots: leave room for the aliased provider's resources.
    const apply = workspace.start(['apply', '-auto-approve', ...(point === 'create' ? [] : ['-parallelism=32'])]);
    let providers: number[] = [];
    let releaseListings = () => {};
    // Listings held at the kill (during-recovery) are dropped only once the provider processes are gone.
    const providersGone = new Promise<void>((resolve) => (releaseListings = resolve));
    let creates = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      providers = descendants(apply.pid);
      try {
        process.kill(apply.pid, 'SIGKILL');
        killed = true;
      } catch {
        // terraform already exited
      }
    };
    if (point === 'create') {
      // Killed while the vendor has acted on the n-th create and its answer is held: terraform is mid-apply by construction.
      stage.proxy.beforeAnswer = async (record) => {
        if (!isKeyCreate(record.method, record.path) || record.upstreamStatus === 401 || ++creates !== killAfterCreates) return;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        kill();
      };
    } else if (point === 'during-recovery') {
      const plan = recoveryPlan(seed, stage.declared);
      const sends = new Map<string, number>();
      const lastWithheld: ProxyRecord[] = [];
      // Never answered: held until the provider's request timeout closes the connection (bounded, in case it never does).
      stage.proxy.beforeAnswer = async (record) => {
        const withheld = record.label === undefined ? undefined : plan.get(record.label);
        if (!withheld || !isKeyCreate(record.method, record.path) || !(record.upstreamStatus! >= 200 && record.upstreamStatus! < 300)) return;
        const send = (sends.get(record.label!) ?? 0) + 1;
        sends.set(record.label!, send);
        if (send > withheld) return;
        if (send === withheld) lastWithheld.push(record);
        record.hookFault = 'answer-withheld';
        const deadline = Date.now() + 30_000;
        while (record.clientClosedAt === undefined && Date.now() < deadline) await pause(20);
        if (record.clientClosedAt === undefined) notes.push(`the provider never gave up on the withheld create of "${record.label}"`);
      };
      // A listing of a scope whose last withheld create the provider has given up on: it is settling that create.
      stage.proxy.beforeForward = async (record) => {
        if (record.method !== 'GET' || !lastWithheld.some((create) => create.clientClosedAt !== undefined && listingPathOf(create.path) === record.path)) return true;
        kill();
        await providersGone;
        return false;
      };
    } else {
      const aliasOrg = stage.declared.find((key) => key.name === 'atlas-2')!.scope;
      const aliasDelivered = () => ['atlas-2', 'atlas-3'].every((name) =>
        stage.proxy.records.some((record) => record.label === name && isKeyCreate(record.method, record.path) && record.answered === 200));
      // Terraform's provider processes, counted from the start: the most seen at once is both providers.
      let most = 0;
      let aliasClosed = false;
      const counter = setInterval(() => {
        const alive = descendants(apply.pid).filter(isAlive).length;
        most = Math.max(most, alive);
        if (aliasDelivered() && alive >= 1 && alive < most) aliasClosed = true;
      }, 20);
      void apply.done.finally(() => clearInterval(counter));
      // The default provider's creates wait at the proxy, unforwarded, until the aliased provider has exited;
      // then terraform dies and they are dropped, so the vendor never acts on them.
      stage.proxy.beforeForward = async (record) => {
        if (!isKeyCreate(record.method, record.path) || record.path.includes(aliasOrg)) return true;
        const deadline = Date.now() + 15_000;
        while (!killed && !aliasClosed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        if (!killed && !aliasClosed) notes.push('the aliased provider did not exit while the default provider\'s creates were held');
        kill();
        return false;
      };
    }
    const outcome = await apply.done;
    const killedMidApply = killed && outcome.exitCode === 137;
    if (!killed) notes.push(`terraform was not killed: the apply ended (exit ${outcome.exitCode}) before the kill point`);
    stage.proxy.beforeAnswer = undefined;
    stage.proxy.beforeForward = undefined;
    const survivors = await survivorsAfter(providers, PROVIDER_EXIT_LIMIT_MS);
    for (const pid of survivors) {
      try {
        process.kill(pid, 'SIGKILL'); // a provider that outlived terraform: recorded, then stopped so the next apply starts clean
      } catch {
        // gone meanwhile
      }
    }
    releaseListings();
    stage.proxy.enabled = false;
    const again = await workspace.terraform(['apply', '-auto-approve']);
    if (again.exitCode !== 0) notes.push(`apply after the kill exited ${again.exitCode}: ${firstError(again)}`);
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    const result = await stage.audit(await workspace.state(), plan.exitCode === 0);
    return {
      ...result, seed, backend: backend.kind, faults: stage.proxy.faultCounts(), providerProcesses: providers.length, outlived: survivors.length, killedMidApply,
      explained: [
        ...(survivors.length ? [`${survivors.length} of ${providers.length} provider processes were alive ${PROVIDER_EXIT_LIMIT_MS} ms after terraform's death`] : []),
        ...stage.explain(result), ...(plan.exitCode === 0 ? notes.filter((note) => !note.startsWith('apply after the kill')) : notes),
      ],
    };
  } finally {
    workspace.dispose();
    await stage.stop();
  }
}

// ---- two concurrent applies on pg ------------------------------------------------------------------

export interface ConcurrentResult extends Audit {
  exitCodes: number[];
  lockRefusals: number;
  /** Output of an apply that failed for another reason than the lock (empty when none). */
  otherFailures: string[];
}

/** Two workspaces sharing one pg state apply at once; then a clean apply from one, and the audit. */
export async function runConcurrentApplies(seed: number, connection: string): Promise<ConcurrentResult> {
  const stage = await CampaignStage.start(seed, { faultRate: 1, kinds: ['delay-after-short'] });
  const schema = `campaign_concurrent_${seed}_${process.pid}_${Date.now()}`;
  const config = stage.config(pgBackend(connection, schema));
  const workspaces = [new Workspace({ 'main.tf': config }, stage.env()), new Workspace({ 'main.tf': config }, stage.env())];
  try {
    for (const workspace of workspaces) {
      const init = await workspace.terraform(['init']);
      if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    }
    const results = await Promise.all(workspaces.map((workspace) => workspace.terraform(['apply', '-auto-approve'])));
    const lockRefused = (result: TerraformResult) => result.exitCode !== 0 && /Error acquiring the state lock/.test(result.stderr);
    const otherFailures = results.filter((result) => result.exitCode !== 0 && !lockRefused(result)).map(firstError);
    const notes: string[] = [];
    const converged = await converge(workspaces[0], stage, notes);
    const result = await stage.audit(await workspaces[0].state(), converged);
    return { ...result, exitCodes: results.map((result) => result.exitCode), lockRefusals: results.filter(lockRefused).length, otherFailures };
  } finally {
    workspaces.forEach((workspace) => workspace.dispose());
    await stage.stop();
  }
}
