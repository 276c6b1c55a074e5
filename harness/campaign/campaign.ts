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
import { FaultProxy, isKeyCall, isKeyCreate, isKeyWrite, mulberry32, seedFor, type FaultKind, type ProxyRecord } from '../fault-proxy';
import { audit, type Audit, type DeclaredKey, type DueRotation, type StateKey, type VendorKey } from './audit';
import { FAMILY_RESOURCE, ageKey, atlasCreatedAtMs, readVendorKeys, secretAuthenticates } from './vendor-truth';

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

  write(name: string, content: string): void {
    writeFileSync(join(this.dir, name), content);
  }

  /** Resource instances and their values from `terraform show -json` (works for every backend). */
  async resources(): Promise<{ address: string; values: Record<string, unknown> }[]> {
    const shown = await this.terraform(['show', '-json']);
    if (shown.exitCode !== 0) throw new Error(`terraform show -json failed: ${shown.stderr}`);
    const parsed = JSON.parse(shown.stdout) as { values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } } };
    return parsed.values?.root_module?.resources ?? [];
  }

  /** The state's keys: each instance's key, its secret, and the previous key a rotation keeps. */
  async state(): Promise<StateKey[]> {
    return (await this.resources()).map((resource) => {
      const previous = resource.values.previous_key as Record<string, unknown> | null | undefined;
      return {
        address: resource.address,
        id: typeof resource.values.id === 'string' ? resource.values.id : null,
        secret: typeof resource.values.secret === 'string' && resource.values.secret !== '' ? resource.values.secret : null,
        previousId: typeof previous?.id === 'string' ? previous.id : null,
      };
    });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A view of one moment: the vendor's live keys and the state, with the state's secrets checked against the keys they claim. */
export interface TrialView {
  vendor: VendorKey[];
  state: StateKey[];
  secretIsRight: (key: VendorKey, secret: string) => boolean;
}

/** The emulator, a second OpenAI project, the fault proxy in front, and the 16 declared keys. */
export class CampaignStage {
  readonly declared: DeclaredKey[];
  /** Set for a rotation trial: which keys rotate, and how. */
  rotation?: RotationSetup;
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

  /**
   * Plain HCL: every base URL points at the proxy; `backend` is an optional backend block. In a rotation trial,
   * the rotating Atlas keys named in `atlasDue` get `every = "1m"` (due once a minute has passed on the real clock);
   * every other rotation is `every = "90d"`, so that no key made during the trial becomes due.
   */
  config(backend = '', atlasDue: ReadonlySet<string> = new Set()): string {
    return campaignConfig(this.proxy.url, this.declared, backend, this.rotation, atlasDue);
  }

  /** Live keys at the vendor; without `all`, only those made since the stage started. */
  async liveKeys(all = false): Promise<VendorKey[]> {
    const keys = await readVendorKeys(this.emulator.url, [EDGE_IMPULSE_ORG]);
    return all ? keys : keys.filter((key) => !this.baseline.has(`${key.family}/${key.id}`));
  }

  /** The vendor's live keys now, against `state`, with the state's secrets checked. */
  async view(state: StateKey[]): Promise<TrialView> {
    const vendor = await this.liveKeys();
    const secrets = new Map<string, boolean>();
    const stateById = new Map(state.map((entry) => [entry.id, entry]));
    for (const key of vendor) {
      const secret = stateById.get(key.id)?.secret;
      if (secret) secrets.set(key.id, await secretAuthenticates(this.emulator.url, key, secret));
    }
    return { vendor, state, secretIsRight: (key) => secrets.get(key.id) === true };
  }

  /** The audit of `state` now; for a rotation trial, with what the rotating apply started from and the view right after it. */
  async audit(state: StateKey[], converged: boolean, rotation?: RotationStart & { after: TrialView; later?: TrialView[] }): Promise<Audit> {
    const { vendor, secretIsRight } = await this.view(state);
    return audit({ declared: this.declared, vendor, state, converged, secretIsRight, rotation });
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

/**
 * The overlap each rotation mode configures (see RotationMode). An Atlas key's must be shorter than its minute; it is
 * short (5s), so that the trial waits little for it to end before the clean applies (see settleRotations).
 */
const overlapOf = (mode: RotationMode, family: DeclaredKey['family']): string =>
  ({ keep: family === 'atlas' ? '5s' : '7d', 'at-once': '0s', chain: '1s' })[mode];

function campaignConfig(proxyUrl: string, declared: DeclaredKey[], backend: string, rotation: RotationSetup | undefined, atlasDue: ReadonlySet<string>): string {
  const blocks = declared.map((key) => {
    const [type, name] = key.address.split('.');
    const mode = rotation?.modes.get(key.name);
    const every = atlasDue.has(key.name) ? '1m' : '90d';
    const rotates = mode ? `\n  rotation = { every = "${every}", overlap = "${overlapOf(mode, key.family)}" }` : '';
    const body = {
      openai_admin: `  name = "${key.name}"`,
      openai_project: `  project_id = "${key.scope}"\n  name       = "${key.name}"`,
      edgeimpulse: `  organization_id = ${key.scope}\n  name            = "${key.name}"\n  role            = "${key.name.endsWith('1') ? 'member' : 'admin'}"`,
      atlas: `${key.name === 'atlas-2' || key.name === 'atlas-3' ? '  provider        = apikeys.service_account\n' : ''}  organization_id = "${key.scope}"\n  description     = "${key.name}"\n  roles           = ["ORG_MEMBER"]`,
    }[key.family];
    return `resource "${type}" "${name}" {\n${body}${rotates}\n}\n`;
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

/** Where a kill trial keeps its state: the local backend, or a schema of its own in PostgreSQL. */
export type KillBackend = { kind: 'local' } | { kind: 'pg'; connection: string };

/** A kill trial's workspace and its backend block (a fresh pg schema per trial). */
function killTrialWorkspace(stage: CampaignStage, seed: number, backend: KillBackend): { workspace: Workspace; backendBlock: string } {
  const backendBlock = backend.kind === 'pg' ? pgBackend(backend.connection, `campaign_kill_${seed}_${process.pid}_${Date.now()}`) : '';
  return { workspace: new Workspace({ 'main.tf': stage.config(backendBlock) }, stage.env()), backendBlock };
}

// ---- rotating applies ------------------------------------------------------------------------------

/**
 * How a key's rotation meets the rotating apply (the faulty or killed one):
 * - `keep`: overlap 7d (Atlas keys on the real clock: 5s), the old key is kept as previous_key;
 * - `at-once`: overlap 0s, the old key is revoked once the new key exists;
 * - `chain`: overlap 1s, rotated once before by a clean apply, so the rotating
 *   apply first revokes that rotation's previous key (its overlap ended), then
 *   makes the new key and keeps the old one as previous_key.
 */
export type RotationMode = 'keep' | 'at-once' | 'chain';

/**
 * Making rotations due: OpenAI and Edge Impulse keys are aged through the emulator (created 100 days ago, every 90d).
 * An Atlas key's creation time is its ObjectId, so `aged` leaves the Atlas keys out of the rotation, and `real` waits
 * once on the real clock until they are a minute old and rotates them with `every = "1m"` until they are rotated.
 */
export type AtlasClock = 'aged' | 'real';
export const ATLAS_CLOCKS: readonly AtlasClock[] = ['aged', 'real'];

export interface RotationSetup {
  /** The rotating keys by name, with their mode. */
  modes: Map<string, RotationMode>;
  atlasClock: AtlasClock;
}

/** Share of rotation trials that wait on the real clock for the Atlas keys when the seed chooses. */
const REAL_CLOCK_SHARE = 0.25;
const AGED_BY_MS = 100 * 86_400_000;
const ATLAS_EVERY_MS = 60_000;

/**
 * The seeded rotation of a trial: whether the Atlas keys rotate (`atlasClock`, or drawn: real in a quarter of the
 * seeds), and each rotating key's mode, dealt in turn over the keys in a seeded order, so that every mode meets
 * every trial (Atlas keys: keep and at-once, since chain needs a second rotation).
 */
export function rotationSetup(seed: number, declared: readonly DeclaredKey[], atlasClock?: AtlasClock): RotationSetup {
  const random = mulberry32(seedFor(seed, 'rotation'));
  const drawn: AtlasClock = random() < REAL_CLOCK_SHARE ? 'real' : 'aged';
  const clock = atlasClock ?? drawn;
  const shuffled = (keys: DeclaredKey[]) => keys.map((key) => ({ key, order: random() })).sort((a, b) => a.order - b.order).map(({ key }) => key);
  const modes = new Map<string, RotationMode>();
  const deal = (keys: DeclaredKey[], kinds: RotationMode[]) => shuffled(keys).forEach((key, index) => modes.set(key.name, kinds[index % kinds.length]));
  deal(declared.filter((key) => key.family !== 'atlas'), ['keep', 'at-once', 'chain']);
  if (clock === 'real') deal(declared.filter((key) => key.family === 'atlas'), ['keep', 'at-once']);
  return { modes, atlasClock: clock };
}

/** What the rotating apply starts from: the rotations due, and every key a state tracks. */
export interface RotationStart {
  due: DueRotation[];
  trackedBefore: string[];
}

/** A clean apply that must succeed: a step of a trial's setup, not something under test. */
async function applyCleanly(workspace: Workspace, step: string): Promise<void> {
  const apply = await workspace.terraform(['apply', '-auto-approve']);
  if (apply.exitCode !== 0) throw new Error(`${step} failed (exit ${apply.exitCode}): ${firstError(apply)}`);
}

/** Waits until the real clock has passed `at` (ms since the epoch). */
async function waitUntil(at: number): Promise<void> {
  while (Date.now() < at) await pause(Math.min(1_000, at - Date.now()));
}

/** Dates the current keys of the named resources 100 days back. */
async function ageCurrentKeys(stage: CampaignStage, workspace: Workspace, names: string[]): Promise<void> {
  const ids = new Map((await workspace.state()).map((entry) => [entry.address, entry.id]));
  const live = new Map((await stage.liveKeys()).map((key) => [key.id, key]));
  for (const declared of stage.declared.filter((key) => names.includes(key.name))) {
    const key = live.get(ids.get(declared.address) ?? '');
    if (!key) throw new Error(`${declared.address} has no live key to age`);
    await ageKey(stage.emulator.url, key, Date.now() - AGED_BY_MS);
  }
}

/**
 * Brings a rotation trial to its rotating apply: with the proxy off, a clean apply makes the 16 keys; the chain keys
 * are aged and rotated once (overlap 1s) and their overlap waited out; then every rotating OpenAI and Edge Impulse key
 * is aged, and with the real clock the Atlas keys' minute is waited out and the configuration makes them due. The
 * proxy maps the ids of the keys a rotation revokes (and of their service accounts) to key names, for its draws.
 */
async function prepareRotatingApply(workspace: Workspace, stage: CampaignStage, backend: string): Promise<RotationStart> {
  const setup = stage.rotation!;
  const rotating = [...setup.modes.keys()];
  const named = (mode: RotationMode) => rotating.filter((name) => setup.modes.get(name) === mode);
  stage.proxy.enabled = false;
  await applyCleanly(workspace, 'the first apply');
  if (named('chain').length) {
    await ageCurrentKeys(stage, workspace, named('chain'));
    await applyCleanly(workspace, 'the chain keys\' first rotation');
    const resources = await workspace.resources();
    const ends = named('chain').map((name) => {
      const address = stage.declared.find((key) => key.name === name)!.address;
      const previous = resources.find((resource) => resource.address === address)?.values.previous_key as { revoke_after?: string } | null | undefined;
      if (!previous?.revoke_after) throw new Error(`the first rotation of ${address} kept no previous key`);
      return Date.parse(previous.revoke_after);
    });
    await waitUntil(Math.max(...ends) + 1_000);
  }
  await ageCurrentKeys(stage, workspace, rotating.filter((name) => !name.startsWith('atlas-')));
  if (setup.atlasClock === 'real') {
    const atlasIds = (await workspace.state()).filter((entry) => entry.address.startsWith(FAMILY_RESOURCE.atlas)).map((entry) => entry.id!);
    await waitUntil(Math.max(...atlasIds.map(atlasCreatedAtMs)) + ATLAS_EVERY_MS + 1_000);
    workspace.write('main.tf', stage.config(backend, new Set(rotating.filter((name) => name.startsWith('atlas-')))));
  }
  const before = await workspace.resources();
  const names = new Map<string, string>();
  const due: DueRotation[] = [];
  for (const resource of before) {
    const name = stage.declared.find((key) => key.address === resource.address)?.name;
    if (!name) continue;
    const previous = resource.values.previous_key as Record<string, unknown> | null;
    for (const id of [resource.values.id, resource.values.service_account_id, previous?.id, previous?.service_account_id]) {
      if (typeof id === 'string') names.set(id, name);
    }
    const mode = setup.modes.get(name);
    if (mode) due.push({ address: resource.address, oldId: String(resource.values.id), keepsPrevious: mode !== 'at-once' });
  }
  stage.proxy.labelOf = (method, path) => (method === 'DELETE' ? names.get(decodeURIComponent(path.slice(path.lastIndexOf('/') + 1))) : undefined);
  const trackedBefore = (await workspace.state()).flatMap((entry) => [entry.id, entry.previousId]).filter((id): id is string => typeof id === 'string');
  stage.proxy.enabled = true;
  return { due, trackedBefore };
}

/** A previous key whose overlap ends within this is waited out before each clean step (the chain keys' 1s, the Atlas keys' 5s). */
const SHORT_OVERLAP_MS = 120_000;

/**
 * Before each step after the rotating apply (each apply and plan), so that no step races the real clock:
 * - the Atlas keys that have rotated go back to `every = "90d"` (the keys the trial made never come due), while those
 *   still holding their old key keep `every = "1m"` (they are still due, so a clean apply rotates them);
 * - every previous key whose overlap ends soon (within SHORT_OVERLAP_MS) is waited out (plus 1 s), so the next plan
 *   revokes it for sure rather than depending on when it runs.
 */
async function settleRotations(workspace: Workspace, stage: CampaignStage, backend: string, due: readonly DueRotation[]): Promise<void> {
  const resources = await workspace.resources();
  if (stage.rotation?.atlasClock === 'real') {
    const stillDue = new Set(due.filter((rotation) => {
      const name = stage.declared.find((key) => key.address === rotation.address)!.name;
      const id = resources.find((resource) => resource.address === rotation.address)?.values.id;
      return name.startsWith('atlas-') && id === rotation.oldId;
    }).map((rotation) => stage.declared.find((key) => key.address === rotation.address)!.name));
    workspace.write('main.tf', stage.config(backend, stillDue));
  }
  const ends = resources.map((resource) => (resource.values.previous_key as { revoke_after?: string } | null | undefined)?.revoke_after)
    .filter((at): at is string => typeof at === 'string').map(Date.parse).filter((at) => at < Date.now() + SHORT_OVERLAP_MS);
  if (ends.length) await waitUntil(Math.max(...ends) + 1_000);
}

/** The proxy's faults on the writes of a rotating apply (records after `firstRecord`): on creates and on revocations. */
function faultsOnWrites(stage: CampaignStage, firstRecord: number): { creates: number; revocations: number } {
  const faulted = stage.proxy.records.filter((record) => record.seq > firstRecord && isKeyWrite(record.method, record.path) &&
    ((record.fault !== 'none' && record.fault !== 'passthrough') || record.hookFault));
  return { creates: faulted.filter((record) => record.method === 'POST').length, revocations: faulted.filter((record) => record.method === 'DELETE').length };
}

export interface TrialResult extends Audit {
  seed: number;
  faults: Record<string, number>;
  /** In a rotation trial: how the Atlas keys met it. */
  atlasClock?: AtlasClock;
  /** In a rotation trial: the rotating apply's faulted creates and revocations (requests). */
  faultedWrites?: { creates: number; revocations: number };
  /** Kills of terraform mid-apply (kill trials). */
  kills?: number;
  /** Findings with the faults their keys met, for the report. */
  explained: string[];
}

/** Clean applies (the proxy off) until a clean plan exits 0, at most CLEAN_APPLIES of them; `settle` runs before each step. */
async function converge(workspace: Workspace, stage: CampaignStage, notes: string[], settle: () => Promise<void> = async () => {}): Promise<boolean> {
  stage.proxy.enabled = false;
  for (let attempt = 1; attempt <= CLEAN_APPLIES; attempt++) {
    await settle();
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    if (apply.exitCode !== 0) notes.push(`clean apply ${attempt} exited ${apply.exitCode}: ${firstError(apply)}`);
    await settle();
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    if (plan.exitCode === 0) return true;
  }
  return false;
}

const firstError = (result: TerraformResult) => (/Error: (.*)/.exec(result.stderr)?.[1] ?? result.stderr.trim().split('\n')[0] ?? '').slice(0, 200);

/**
 * One fault trial: a faulty apply through the proxy, clean applies, then the audit.
 * Faults hit the creates; with `allKeyCalls`, also the lists, reads and deletes.
 * With `rotation`, the faulty apply is a rotating apply (see prepareRotatingApply): every rotating key is due, and
 * faults hit its creates and revocations (with `allKeyCalls`, every key call); the audit judges the rotations too.
 */
export async function runFaultTrial(seed: number, options: { faultRate?: number; allKeyCalls?: boolean; rotation?: boolean; atlasClock?: AtlasClock } = {}): Promise<TrialResult> {
  const matches = options.allKeyCalls ? isKeyCall : options.rotation ? isKeyWrite : isKeyCreate;
  const stage = await CampaignStage.start(seed, { faultRate: options.faultRate ?? 0.5, matches });
  if (options.rotation) stage.rotation = rotationSetup(seed, stage.declared, options.atlasClock);
  const workspace = new Workspace({ 'main.tf': stage.config() }, stage.env());
  const notes: string[] = [];
  try {
    const init = await workspace.terraform(['init']);
    if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const start = options.rotation ? await prepareRotatingApply(workspace, stage, '') : undefined;
    const firstRecord = stage.proxy.records.length;
    const faulty = await workspace.terraform(['apply', '-auto-approve']);
    if (process.env.CAMPAIGN_DEBUG) process.stderr.write(`faulty apply exit ${faulty.exitCode}\n${faulty.stdout.slice(-3000)}\n${faulty.stderr}\n`);
    const faults = stage.proxy.faultCounts();
    const after = start && await stage.view(await workspace.state());
    const settle = start ? () => settleRotations(workspace, stage, '', start.due) : undefined;
    const converged = await converge(workspace, stage, notes, settle);
    const result = await stage.audit(await workspace.state(), converged, start && after && { ...start, after });
    return {
      ...result, seed, faults, kills: 0, atlasClock: stage.rotation?.atlasClock, ...(start ? { faultedWrites: faultsOnWrites(stage, firstRecord) } : {}),
      explained: [...stage.explain(result), ...(converged ? [] : notes)],
    };
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
  /** Whether terraform died mid-apply (false when the apply finished before the kill point); with several kills, every one did. */
  killedMidApply: boolean;
  kills: number;
  /** A rotation trial's kills: the held write each one came at, e.g. `DELETE "admin-2" (revocation 3)`. */
  killedOn: string[];
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
export function recoveryPlan(seed: number, declared: DeclaredKey[], eligible: (key: DeclaredKey) => boolean = () => true): Map<string, number> {
  const random = mulberry32(seedFor(seed, 'during-recovery'));
  // The aliased provider's keys (atlas-2, atlas-3) are left out: it may be closed before the kill.
  const candidates = declared.filter((key) => key.name !== 'atlas-2' && key.name !== 'atlas-3' && eligible(key));
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
  seed: number, backend: KillBackend, point: KillPoint = 'create',
  options: { rotation?: boolean; atlasClock?: AtlasClock } = {},
): Promise<KillTrialResult> {
  if (options.rotation && point === 'create') return runRotatingKillTrial(seed, backend);
  const stage = await CampaignStage.start(seed, point === 'create' ? { faultRate: 0.6, kinds: ['delay-after-short'] } : { faultRate: 0 });
  // Killed after the aliased provider closed: it must have work in the rotating apply, so the Atlas keys rotate.
  if (options.rotation) stage.rotation = rotationSetup(seed, stage.declared, point === 'after-provider-closed' ? 'real' : options.atlasClock);
  const modes = [...(stage.rotation?.modes.values() ?? [])];
  // The writes the apply is sure to make: 16 creates, or per rotation its create and each revocation (one request at least).
  const writes = options.rotation ? modes.length + modes.filter((mode) => mode !== 'keep').length : 16;
  const random = mulberry32(seed);
  const killAfterWrites = 1 + Math.floor(random() * writes);
  const pauseMs = Math.floor(random() * 800);
  const { workspace, backendBlock } = killTrialWorkspace(stage, seed, backend);
  const notes: string[] = [];
  try {
    const init = await workspace.terraform(['init']);
    if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const start = options.rotation ? await prepareRotatingApply(workspace, stage, backendBlock) : undefined;
    /** The proxy's records of the apply under test (a rotation trial's setup made others before). */
    const firstRecord = stage.proxy.records.length;
    const ofThisApply = (record: ProxyRecord) => record.seq > firstRecord;
    // Held creates occupy Terraform's parallelism slots: leave room for the aliased provider's resources.
    const apply = workspace.start(['apply', '-auto-approve', ...(point === 'create' ? [] : ['-parallelism=32'])]);
    let providers: number[] = [];
    let releaseListings = () => {};
    // Listings held at the kill (during-recovery) are dropped only once the provider processes are gone.
    const providersGone = new Promise<void>((resolve) => (releaseListings = resolve));
    let writes = 0;
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
      // Killed while the vendor has acted on the n-th create (rotating apply: the n-th create or revocation) and its answer
      // is held: terraform is mid-apply by construction.
      const counts = options.rotation ? isKeyWrite : isKeyCreate;
      stage.proxy.beforeAnswer = async (record) => {
        if (!counts(record.method, record.path) || record.upstreamStatus === 401 || ++writes !== killAfterWrites) return;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        kill();
      };
    } else if (point === 'during-recovery') {
      const plan = recoveryPlan(seed, stage.declared, stage.rotation && ((key) => stage.rotation!.modes.has(key.name)));
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
        stage.proxy.records.some((record) => ofThisApply(record) && record.label === name && isKeyCreate(record.method, record.path) && record.answered === 200));
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
    const after = start && await stage.view(await workspace.state());
    const settle = async () => start && settleRotations(workspace, stage, backendBlock, start.due);
    await settle();
    const again = await workspace.terraform(['apply', '-auto-approve']);
    if (again.exitCode !== 0) notes.push(`apply after the kill exited ${again.exitCode}: ${firstError(again)}`);
    await settle();
    const plan = await workspace.terraform(['plan', '-detailed-exitcode']);
    const result = await stage.audit(await workspace.state(), plan.exitCode === 0, start && after && { ...start, after });
    return {
      ...result, seed, backend: backend.kind, faults: stage.proxy.faultCounts(), atlasClock: stage.rotation?.atlasClock,
      providerProcesses: providers.length, outlived: survivors.length, killedMidApply, kills: killedMidApply ? 1 : 0, killedOn: [],
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

/** The vendor's 2xx to a key write: it acted. */
const acted = (record: ProxyRecord) => record.upstreamStatus !== undefined && record.upstreamStatus >= 200 && record.upstreamStatus < 300;

/**
 * One apply of `workspace`, killed (kill -9) once the vendor has acted on the n-th write that `target` matches and a
 * pause has passed while that write's answer is held. Then waits up to PROVIDER_EXIT_LIMIT_MS for terraform's provider
 * processes to exit, and stops (and counts) those that outlived it.
 */
async function killedApply(
  workspace: Workspace, stage: CampaignStage, target: (record: ProxyRecord) => boolean, n: number, pauseMs: number,
): Promise<{ killedMidApply: boolean; providers: number; outlived: number; on?: ProxyRecord; notes: string[] }> {
  const apply = workspace.start(['apply', '-auto-approve']);
  let providers: number[] = [];
  let seen = 0;
  let killed = false;
  let on: ProxyRecord | undefined;
  stage.proxy.beforeAnswer = async (record) => {
    if (!target(record) || !acted(record) || ++seen !== n) return;
    on = record;
    await pause(pauseMs);
    providers = descendants(apply.pid);
    try {
      process.kill(apply.pid, 'SIGKILL');
      killed = true;
    } catch {
      // terraform already exited
    }
  };
  const outcome = await apply.done;
  stage.proxy.beforeAnswer = undefined;
  if (process.env.CAMPAIGN_DEBUG) process.stderr.write(`killed apply (write ${n}, exit ${outcome.exitCode}):\n${outcome.stdout}\n${outcome.stderr}\n`);
  const notes = killed ? [] : [`terraform was not killed: the apply ended (exit ${outcome.exitCode}) before its write ${n}`];
  const survivors = await survivorsAfter(providers, PROVIDER_EXIT_LIMIT_MS);
  for (const pid of survivors) {
    try {
      process.kill(pid, 'SIGKILL'); // recorded, then stopped so the next apply starts clean
    } catch {
      // gone meanwhile
    }
  }
  return { killedMidApply: killed && outcome.exitCode === 137, providers: providers.length, outlived: survivors.length, on, notes };
}

/**
 * kill -9 of rotating applies (the `create` point of a rotation trial; the Atlas keys do not rotate, see AtlasClock):
 * after prepareRotatingApply, the rotating apply is killed while the vendor has revoked the n-th key (a chain key's
 * previous key, or an at-once key's old key after its new one exists; n seeded among the revocations the apply is
 * sure to make) and the answer is held for a seeded 0..800 ms. The next apply is rotating too (every rotation that
 * did not reach the state is still due, or its resource gone with its revoked key): it is killed the same way on the
 * m-th create (m seeded among the resources still holding their old key or none). Then, the proxy off, clean applies
 * (at most 2, as in fault trials: a chain key rotated by the first has its 1s overlap revoked by the second) and the
 * audit, which judges the rotations right after each killed apply. Other creates and revocations meet short
 * answer delays (seeded), so some are in flight at each kill.
 */
async function runRotatingKillTrial(seed: number, backend: KillBackend): Promise<KillTrialResult> {
  const stage = await CampaignStage.start(seed, { faultRate: 0.6, kinds: ['delay-after-short'], matches: isKeyWrite });
  stage.rotation = rotationSetup(seed, stage.declared, 'aged');
  const random = mulberry32(seedFor(seed, 'rotating kills'));
  const { workspace, backendBlock } = killTrialWorkspace(stage, seed, backend);
  const notes: string[] = [];
  try {
    const init = await workspace.terraform(['init']);
    if (init.exitCode !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const start = await prepareRotatingApply(workspace, stage, backendBlock);
    const trackedBefore = new Set(start.trackedBefore);
    const views: TrialView[] = [];
    const killedOn: string[] = [];
    let providers = 0;
    let outlived = 0;
    let kills = 0;
    let allMidApply = true;
    const revocations = [...stage.rotation.modes.values()].filter((mode) => mode !== 'keep').length;
    for (const kind of ['revocation', 'create'] as const) {
      const state = await workspace.state();
      for (const entry of state) for (const id of [entry.id, entry.previousId]) if (id) trackedBefore.add(id);
      // Every rotation whose resource still holds its old key (or none) makes a create in this apply.
      const pendingCreates = start.due.filter((rotation) => {
        const entry = state.find((candidate) => candidate.address === rotation.address);
        return !entry?.id || entry.id === rotation.oldId;
      }).length;
      const sure = kind === 'revocation' ? revocations : pendingCreates;
      const n = 1 + Math.floor(random() * sure);
      const pauseMs = Math.floor(random() * 800);
      const target = kind === 'revocation' ? (record: ProxyRecord) => record.method === 'DELETE' && isKeyWrite(record.method, record.path)
        : (record: ProxyRecord) => isKeyCreate(record.method, record.path);
      const killedAt = await killedApply(workspace, stage, target, n, pauseMs);
      providers += killedAt.providers;
      outlived += killedAt.outlived;
      notes.push(...killedAt.notes);
      if (killedAt.killedMidApply) kills++;
      else allMidApply = false;
      if (killedAt.on) killedOn.push(`${killedAt.on.method} "${killedAt.on.label ?? '?'}" (${kind} ${n} of ${sure})`);
      views.push(await stage.view(await workspace.state()));
      if (process.env.CAMPAIGN_DEBUG) process.stderr.write(`after the ${kind} kill: state ${JSON.stringify(views.at(-1)!.state)}\nlive ${JSON.stringify(views.at(-1)!.vendor.map((key) => `${key.name}:${key.id}`))}\n`);
    }
    // Clean applies: a rotation made by the first (still due after the kills) keeps its old key for the chain keys' 1s,
    // whose revocation is the second's.
    const converged = await converge(workspace, stage, notes, () => settleRotations(workspace, stage, backendBlock, start.due));
    const result = await stage.audit(await workspace.state(), converged,
      { due: start.due, trackedBefore: [...trackedBefore], after: views[0], later: views.slice(1) });
    return {
      ...result, seed, backend: backend.kind, faults: stage.proxy.faultCounts(), atlasClock: stage.rotation.atlasClock,
      providerProcesses: providers, outlived, killedMidApply: allMidApply, kills, killedOn,
      explained: [
        ...(outlived ? [`${outlived} of ${providers} provider processes were alive ${PROVIDER_EXIT_LIMIT_MS} ms after terraform's death`] : []),
        ...stage.explain(result), ...(converged ? notes.filter((note) => !note.startsWith('clean apply')) : notes),
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
