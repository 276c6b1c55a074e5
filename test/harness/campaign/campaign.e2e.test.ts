/**
 * The exactly-once fault campaign, a fixed set of seeds (npm run soak runs
 * as many as you like). Each trial: 16 keys over the four families, a faulty
 * apply through the seeded proxy, clean applies, then the vendor's truth
 * against Terraform's state: 0 lost, 0 duplicates, 0 orphans, 0 wrong
 * secrets, and a clean plan within 2 applies.
 *
 * A rotating trial makes the faulty apply a rotating one: every key is due
 * (OpenAI and Edge Impulse keys aged through the emulator, the Atlas keys
 * waited out on the real clock), in the three modes (overlap kept, 0s, and a
 * chain whose previous key is revoked first), and faults hit its creates and
 * revocations; then every rotation is made, no old key is orphaned, and none
 * ended the rotating apply with neither key.
 *
 * The first block proves the audit sees failures through the real stack, so
 * a green campaign means something. The figures of every trial are printed
 * (and written to CAMPAIGN_FIGURES_FILE when set).
 */
import { request } from 'undici';
import { FAULT_KINDS } from '../../../harness/fault-proxy';
import { CampaignStage, Workspace, runFaultTrial, type TrialResult } from '../../../harness/campaign/campaign';
import { figuresOf, reportFigures } from '../../../harness/campaign/figures';
import { secretAuthenticates } from '../../../harness/campaign/vendor-truth';

/** Together their first create attempts meet every fault kind (checked below). */
const SEEDS = [1, 2, 5];
/** A rotating trial whose faults hit creates and revocations alike. */
const ROTATION_SEED = 1;
/** Every trial of this file, for the figures. */
const trials: TrialResult[] = [];

afterAll(() => {
  if (trials.length) reportFigures('Fault campaign, local backend', figuresOf(trials));
});

describe('the campaign audit, through the real stack', () => {
  let stage: CampaignStage;
  let workspace: Workspace;

  beforeAll(async () => {
    stage = await CampaignStage.start(0, { faultRate: 0 });
    workspace = new Workspace({ 'main.tf': stage.config() }, stage.env());
    expect((await workspace.terraform(['init'])).exitCode).toBe(0);
    const apply = await workspace.terraform(['apply', '-auto-approve']);
    expect({ exitCode: apply.exitCode, stderr: apply.stderr }).toEqual({ exitCode: 0, stderr: '' });
  });

  afterAll(async () => {
    workspace?.dispose();
    await stage?.stop();
  });

  test('a fault-free apply audits clean: 16 keys, each live once, in state, with a secret that is the key\'s', async () => {
    const state = await workspace.state();
    expect(state).toHaveLength(16);
    expect(await stage.audit(state, true)).toMatchObject({ keys: 16, lost: 0, duplicates: 0, orphans: 0, wrongSecrets: 0, findings: [] });
  });

  test('a secret of another key of the same family is a wrong secret in every family', async () => {
    const state = await workspace.state();
    const live = await stage.liveKeys();
    for (const family of ['openai_admin', 'openai_project', 'edgeimpulse', 'atlas'] as const) {
      const [first, second] = live.filter((key) => key.family === family && key.scope === live.find((other) => other.family === family)!.scope);
      const secretOf = (id: string) => state.find((entry) => entry.id === id)!.secret!;
      expect(await secretAuthenticates(stage.emulator.url, first, secretOf(first.id))).toBe(true);
      expect(await secretAuthenticates(stage.emulator.url, first, secretOf(second.id))).toBe(false);
    }
  });

  test('a key made behind Terraform\'s back with a declared name counts as orphan, lost secret and duplicate', async () => {
    const answer = await request(`${stage.emulator.url}/_emulator/openai/admin_api_keys`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'admin-2' }),
    });
    const made = (await answer.body.json()) as { id: string };
    const result = await stage.audit(await workspace.state(), true);
    expect(result).toMatchObject({ lost: 1, orphans: 1, duplicates: 1, wrongSecrets: 0 });
    expect(result.findings.join('\n')).toContain(made.id);
  });
});

describe('fault campaign, fixed seeds', () => {
  const results: TrialResult[] = [];

  test.each(SEEDS)('seed %i: 0 lost, 0 duplicates, 0 orphans, 0 wrong secrets, converged within 2 clean applies', async (seed) => {
    const result = await runFaultTrial(seed);
    results.push(result);
    trials.push(result);
    expect(Object.values(result.faults).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    expect(result.explained).toEqual([]);
    expect(result).toMatchObject({ keys: 16, lost: 0, duplicates: 0, orphans: 0, wrongSecrets: 0, failedToConverge: 0 });
  });

  test('the seeds together applied every fault kind', () => {
    expect(results).toHaveLength(SEEDS.length);
    const applied = new Set(results.flatMap((result) => Object.keys(result.faults)));
    expect([...FAULT_KINDS].filter((kind) => !applied.has(kind))).toEqual([]);
  });
});

describe('fault campaign, a rotating apply', () => {
  test(`seed ${ROTATION_SEED}: faults on the rotation's creates and revocations; every key rotated, no previous key lost, none with neither key, 0 lost, duplicates, orphans, wrong secrets`, async () => {
    const result = await runFaultTrial(ROTATION_SEED, { rotation: true, atlasClock: 'real' });
    trials.push(result);
    expect(result.atlasClock).toBe('real');
    expect(result.faultedWrites!.creates).toBeGreaterThan(0);
    expect(result.faultedWrites!.revocations).toBeGreaterThan(0);
    expect(result.explained).toEqual([]);
    expect(result).toMatchObject({
      keys: 16, lost: 0, duplicates: 0, orphans: 0, wrongSecrets: 0, failedToConverge: 0,
      rotations: 16, rotated: 16, previousLost: 0, bothLost: 0, bothLostAtOnce: 0,
    });
  }, 360_000);
});
