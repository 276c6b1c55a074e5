/**
 * npm run soak -- --trials N [--seed-base B] [--fault-rate R] [--verbose]
 *
 * Runs N fault-campaign trials (seeds B .. B+N-1, one at a time) and prints
 * one summary line; exits 1 when any count is not zero. Findings of failed
 * trials go to stderr with their seeds, so a failure can be replayed with
 * --seed-base <seed> --trials 1.
 */
import { parseArgs } from 'node:util';
import { ZERO_COUNTS, addCounts, isClean } from '../test/campaign/audit';
import { runFaultTrial } from '../test/campaign/campaign';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string', default: '20' },
      'seed-base': { type: 'string', default: '1' },
      'fault-rate': { type: 'string', default: '0.5' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const trials = Number(values.trials);
  const seedBase = Number(values['seed-base']);
  const faultRate = Number(values['fault-rate']);
  if (!Number.isInteger(trials) || trials < 1) throw new Error('--trials must be a whole number of at least 1');
  if (!Number.isInteger(seedBase)) throw new Error('--seed-base must be a whole number');
  if (!(faultRate >= 0 && faultRate <= 1)) throw new Error('--fault-rate must be between 0 and 1');

  let total = ZERO_COUNTS;
  const faultTotals: Record<string, number> = {};
  for (let index = 0; index < trials; index++) {
    const seed = seedBase + index;
    const result = await runFaultTrial(seed, { faultRate });
    total = addCounts(total, result);
    for (const [kind, count] of Object.entries(result.faults)) faultTotals[kind] = (faultTotals[kind] ?? 0) + count;
    if (!isClean(result)) for (const finding of result.explained) process.stderr.write(`soak: seed ${seed}: ${finding}\n`);
    if (values.verbose) process.stderr.write(`soak: seed ${seed} done (${index + 1}/${trials}): faults ${JSON.stringify(result.faults)}\n`);
  }
  if (values.verbose) process.stderr.write(`soak: faults applied ${JSON.stringify(faultTotals)}\n`);
  process.stdout.write(`soak: ${trials} trials, ${total.keys} keys, ${total.lost} lost, ${total.duplicates} duplicates, ${total.orphans} orphans, ` +
    `${total.wrongSecrets} wrong secrets, ${total.failedToConverge} failed to converge (seed base ${seedBase})\n`);
  return isClean(total) ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
