/**
 * npm run soak -- --trials N [--seed-base B] [--fault-rate R] [--all-key-calls] [--jobs J] [--kill local|pg [--kill-point create|after-provider-closed|during-recovery]]
 *                  [--rotation [--atlas-clock aged|real]] [--verbose]
 *
 * Runs N campaign trials (seeds B .. B+N-1, J at a time) and prints one
 * summary line; exits 1 when any count is not zero. Findings of failed
 * trials go to stderr with their seeds, so a failure can be replayed with
 * --seed-base <seed> --trials 1.
 *
 * Default: fault trials (a faulty apply through the seeded proxy, clean
 * applies, the audit); faults hit creates, or with --all-key-calls also the
 * lists, reads and deletes of keys.
 *
 * --kill local|pg: kill -9 trials instead, with the local backend or
 * Terraform's pg backend (needs APIKEYS_TEST_PG_CONN, see
 * scripts/with-postgres.sh), at a seeded create, or (--kill-point
 * after-provider-closed) once Terraform has closed the aliased provider,
 * or (--kill-point during-recovery) while the provider re-lists for creates
 * whose answers were lost after the vendor acted.
 * Their line adds how many provider processes outlived terraform by 2 s.
 *
 * --rotation: the faulty (or killed) apply is a rotating apply (see
 * harness/campaign/README.md): the rotating keys are due, faults (or the kill)
 * hit its creates and revocations, and the line adds the rotations' counts.
 * --atlas-clock real makes every trial wait out the Atlas keys' minute so that
 * they rotate too; aged leaves them out; by default each seed draws.
 */
import { parseArgs } from 'node:util';
import { ZERO_COUNTS, addCounts, isClean, type AuditCounts } from '../harness/campaign/audit';
import { ATLAS_CLOCKS, KILL_POINTS, runFaultTrial, runKillTrial, type AtlasClock, type KillPoint, type TrialResult } from '../harness/campaign/campaign';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string', default: '20' },
      'seed-base': { type: 'string', default: '1' },
      'fault-rate': { type: 'string', default: '0.5' },
      'all-key-calls': { type: 'boolean', default: false },
      jobs: { type: 'string', default: '1' },
      kill: { type: 'string' },
      'kill-point': { type: 'string', default: 'create' },
      rotation: { type: 'boolean', default: false },
      'atlas-clock': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const trials = Number(values.trials);
  const seedBase = Number(values['seed-base']);
  const faultRate = Number(values['fault-rate']);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(trials) || trials < 1) throw new Error('--trials must be a whole number of at least 1');
  if (!Number.isInteger(seedBase)) throw new Error('--seed-base must be a whole number');
  if (!(faultRate >= 0 && faultRate <= 1)) throw new Error('--fault-rate must be between 0 and 1');
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 4) throw new Error('--jobs must be 1 to 4');
  const kill = values.kill;
  if (kill !== undefined && kill !== 'local' && kill !== 'pg') throw new Error('--kill must be local or pg');
  const killPoint = values['kill-point'] as KillPoint;
  if (!KILL_POINTS.includes(killPoint)) throw new Error(`--kill-point must be one of ${KILL_POINTS.join(', ')}`);
  const atlasClock = values['atlas-clock'] as AtlasClock | undefined;
  if (atlasClock !== undefined && !ATLAS_CLOCKS.includes(atlasClock)) throw new Error(`--atlas-clock must be one of ${ATLAS_CLOCKS.join(', ')}`);
  const rotation = values.rotation ? { rotation: true, atlasClock } : {};
  const connection = process.env.APIKEYS_TEST_PG_CONN;
  if (kill === 'pg' && !connection) throw new Error('--kill pg needs APIKEYS_TEST_PG_CONN: run it under scripts/with-postgres.sh');

  const trial = (seed: number): Promise<TrialResult & { outlived?: number; killedMidApply?: boolean }> =>
    kill === undefined ? runFaultTrial(seed, { faultRate, allKeyCalls: values['all-key-calls'], ...rotation })
      : runKillTrial(seed, kill === 'pg' ? { kind: 'pg', connection: connection! } : { kind: 'local' }, killPoint, rotation);

  let total: AuditCounts = ZERO_COUNTS;
  let outlived = 0;
  let notMidApply = 0;
  let done = 0;
  const faultTotals: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < trials) {
      const seed = seedBase + next++;
      const result = await trial(seed);
      total = addCounts(total, result);
      outlived += result.outlived ?? 0;
      if (result.killedMidApply === false) notMidApply++;
      for (const [kind, count] of Object.entries(result.faults)) faultTotals[kind] = (faultTotals[kind] ?? 0) + count;
      if (!isClean(result) || result.outlived) for (const finding of result.explained) process.stderr.write(`soak: seed ${seed}: ${finding}\n`);
      done++;
      if (values.verbose) {
        const kills = 'killedOn' in result && Array.isArray(result.killedOn) && result.killedOn.length ? `, killed on ${result.killedOn.join('; ')}` : '';
        process.stderr.write(`soak: seed ${seed} done (${done}/${trials}): faults ${JSON.stringify(result.faults)}${kills}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  if (values.verbose) process.stderr.write(`soak: faults applied ${JSON.stringify(faultTotals)}\n`);

  const counts = `${total.keys} keys, ${total.lost} lost, ${total.duplicates} duplicates, ${total.orphans} orphans, ` +
    `${total.wrongSecrets} wrong secrets, ${total.failedToConverge} failed to converge` +
    (values.rotation ? `, ${total.rotations} rotations due, ${total.rotatedInApply} rotated by the rotating apply, ${total.rotated} rotated, ` +
      `${total.previousLost} previous keys lost, ${total.bothLost} both lost, ${total.bothLostAtOnce} both lost with overlap 0s` : '');
  if (kill === undefined) {
    process.stdout.write(`soak: ${trials} trials, ${counts} (seed base ${seedBase})\n`);
    return isClean(total) ? 0 : 1;
  }
  process.stdout.write(`soak: kill -9 (${kill} backend${killPoint === 'create' ? '' : `, ${killPoint}`}): ${trials} trials, ${counts}, ${outlived} provider processes alive 2 s after terraform's death` +
    `${notMidApply ? `, ${notMidApply} kills not mid-apply` : ''} (seed base ${seedBase})\n`);
  // After a kill the audit counts keys lost by the kill itself too; the issue's bar is 0 orphans, 0 duplicates and no surviving provider.
  return total.orphans === 0 && total.duplicates === 0 && outlived === 0 && total.previousLost === 0 && total.bothLost === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
