import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, PROVIDER_EXECUTABLE } from '../src/cli/paths';
import { createServerIdentity } from '../src/provider/protocol/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/provider/protocol/handshake';

export interface StartupFigures {
  providerMs: number;
  baselineMs: number;
  providerRssMb?: number;
  baselineRssMb?: number;
  /** The standalone (single-executable) provider for this machine, when `npm run release` has built it. */
  standaloneMs?: number;
  standaloneRssMb?: number;
}

/** The standalone provider scripts/release.mjs builds for this machine, if any. */
export const STANDALONE_EXECUTABLE = join(PACKAGE_ROOT, 'dist', 'sea', `sea-linux-${process.arch === 'x64' ? 'amd64' : process.arch}`);

/** Resident set size of a live process, from /proc (Linux); undefined elsewhere. */
function residentMb(child: ChildProcess): number | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kilobytes) ? kilobytes / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Spawns, waits for the first stdout line, samples memory, stops the process (SIGTERM, a clean exit). */
function firstLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb?: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout!.once('data', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rssMb = residentMb(child);
      child.once('exit', () => resolve({ ms, rssMb }));
      child.kill('SIGTERM');
    });
    child.once('error', reject);
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

type Sample = { ms: number; rssMb?: number };
const rss = (samples: Sample[]) => (samples.every((sample) => sample.rssMb !== undefined) ? median(samples.map((sample) => sample.rssMb!)) : undefined);

export async function measureStartup(runs: number): Promise<StartupFigures> {
  const client = createServerIdentity(); // stands in for Terraform's AutoMTLS client certificate
  // A code cache of their own, so that providers of other checkouts on this machine cannot replace it mid-run.
  const cacheHome = mkdtempSync(join(tmpdir(), 'apikeys-bench-cache-'));
  const env = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: client.certificatePem, XDG_CACHE_HOME: cacheHome };
  // The baseline prints one line and stays alive like the provider, so memory is comparable.
  const baselineArgs = ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000)'];
  const standalone = existsSync(STANDALONE_EXECUTABLE) ? STANDALONE_EXECUTABLE : undefined;
  // Warm-up: fills each provider's code cache, as Terraform's first start does.
  await firstLine(PROVIDER_EXECUTABLE, [], env);
  if (standalone) await firstLine(standalone, [], env);
  const provider: Sample[] = [];
  const baseline: Sample[] = [];
  const standaloneSamples: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    provider.push(await firstLine(PROVIDER_EXECUTABLE, [], env));
    if (standalone) standaloneSamples.push(await firstLine(standalone, [], env));
    baseline.push(await firstLine(process.execPath, baselineArgs, {}));
  }
  rmSync(cacheHome, { recursive: true, force: true });
  return {
    providerMs: median(provider.map((sample) => sample.ms)),
    baselineMs: median(baseline.map((sample) => sample.ms)),
    providerRssMb: rss(provider),
    baselineRssMb: rss(baseline),
    ...(standalone ? { standaloneMs: median(standaloneSamples.map((sample) => sample.ms)), standaloneRssMb: rss(standaloneSamples) } : {}),
  };
}

// `node -r ts-node/register/transpile-only bench/startup.ts [RUNS]`: exec → handshake line, medians.
if (require.main === module) {
  measureStartup(Number(process.argv[2] ?? 15)).then((figures) => {
    const line = (label: string, ms?: number, mb?: number) => ms !== undefined && console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms  ${mb === undefined ? '' : `${mb.toFixed(0)} MB`}`);
    line('baseline: node printing one line', figures.baselineMs, figures.baselineRssMb);
    line('provider bundle (node + code cache)', figures.providerMs, figures.providerRssMb);
    line('standalone provider (single executable)', figures.standaloneMs, figures.standaloneRssMb);
    if (figures.standaloneMs === undefined) console.log(`(no standalone provider at ${STANDALONE_EXECUTABLE}: run npm run release)`);
  });
}
