import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PROVIDER_EXECUTABLE } from '../src/cli/paths';
import { createServerIdentity } from '../src/provider/protocol/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/provider/protocol/handshake';

export interface StartupFigures {
  providerMs: number;
  baselineMs: number;
  providerRssMb?: number;
  baselineRssMb?: number;
}

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

export async function measureStartup(runs: number): Promise<StartupFigures> {
  const client = createServerIdentity(); // stands in for Terraform's AutoMTLS client certificate
  const env = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: client.certificatePem };
  // The baseline prints one line and stays alive like the provider, so memory is comparable.
  const baselineArgs = ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000)'];
  await firstLine(PROVIDER_EXECUTABLE, [], env); // warm-up: fills the provider's code cache, as Terraform's first start does
  const provider: { ms: number; rssMb?: number }[] = [];
  const baseline: { ms: number; rssMb?: number }[] = [];
  for (let run = 0; run < runs; run++) {
    provider.push(await firstLine(PROVIDER_EXECUTABLE, [], env));
    baseline.push(await firstLine(process.execPath, baselineArgs, {}));
  }
  const rss = (samples: { rssMb?: number }[]) => (samples.every((sample) => sample.rssMb !== undefined) ? median(samples.map((sample) => sample.rssMb!)) : undefined);
  return {
    providerMs: median(provider.map((sample) => sample.ms)),
    baselineMs: median(baseline.map((sample) => sample.ms)),
    providerRssMb: rss(provider),
    baselineRssMb: rss(baseline),
  };
}
