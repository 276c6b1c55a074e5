import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, PROVIDER_EXECUTABLE } from '../src/cli/paths';
import { encodeMsgpack } from '../src/provider/cty/codec';
import type { CtyObject, CtyValue } from '../src/provider/cty/value';
import { schemaType } from '../src/provider/framework/schema';
import { apiKeysProvider } from '../src/provider/provider';
import { createServerIdentity, type ServerIdentity } from '../src/provider/protocol/certificate';
import { frameMessage, MessageReader } from '../src/provider/protocol/grpc-framing';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/provider/protocol/handshake';
import { MESSAGES } from '../src/provider/protocol/tfplugin6.generated';
import { WireCodec } from '../src/provider/protocol/wire-codec';

export interface StartupFigures {
  providerMs: number;
  baselineMs: number;
  providerRssMb?: number;
  baselineRssMb?: number;
  /** The standalone (single-executable) provider for this machine, when `npm run release` has built it. */
  standaloneMs?: number;
  standaloneRssMb?: number;
  /** Another provider executable measured in the same run (`bench/startup.ts RUNS OTHER`), e.g. a build of main. */
  otherMs?: number;
  /** CPU time used by the handshake (Linux), same order: bare node, bundle, standalone, other. */
  baselineCpuMs?: number;
  providerCpuMs?: number;
  standaloneCpuMs?: number;
  otherCpuMs?: number;
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
function firstLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout!.once('data', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rssMb = residentMb(child);
      const cpu = process.platform === 'linux' ? cpuMs(child.pid!) : undefined;
      child.once('exit', () => resolve({ ms, rssMb, cpuMs: cpu }));
      child.kill('SIGTERM');
    });
    child.once('error', reject);
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Wall time to the first line, memory then, and CPU used by then (less sensitive to a busy machine than wall time). */
type Sample = { ms: number; rssMb?: number; cpuMs?: number };
const cpu = (samples: Sample[]) => (samples.every((sample) => sample.cpuMs !== undefined) ? median(samples.map((sample) => sample.cpuMs!)) : undefined);
const rss = (samples: Sample[]) => (samples.every((sample) => sample.rssMb !== undefined) ? median(samples.map((sample) => sample.rssMb!)) : undefined);

export async function measureStartup(runs: number, other?: string): Promise<StartupFigures> {
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
  if (other) await firstLine(other, [], env);
  const otherSamples: Sample[] = [];
  const provider: Sample[] = [];
  const baseline: Sample[] = [];
  const standaloneSamples: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    provider.push(await firstLine(PROVIDER_EXECUTABLE, [], env));
    if (standalone) standaloneSamples.push(await firstLine(standalone, [], env));
    if (other) otherSamples.push(await firstLine(other, [], env));
    baseline.push(await firstLine(process.execPath, baselineArgs, {}));
  }
  rmSync(cacheHome, { recursive: true, force: true });
  return {
    providerMs: median(provider.map((sample) => sample.ms)),
    baselineMs: median(baseline.map((sample) => sample.ms)),
    providerRssMb: rss(provider),
    baselineRssMb: rss(baseline),
    baselineCpuMs: cpu(baseline),
    providerCpuMs: cpu(provider),
    ...(standalone ? { standaloneMs: median(standaloneSamples.map((sample) => sample.ms)), standaloneRssMb: rss(standaloneSamples), standaloneCpuMs: cpu(standaloneSamples) } : {}),
    ...(other ? { otherMs: median(otherSamples.map((sample) => sample.ms)), otherCpuMs: cpu(otherSamples) } : {}),
  };
}

/** CPU time a live process has used, all its threads, in nanosecond resolution from /proc/PID/task/TID/schedstat (Linux). */
function cpuMs(pid: number): number {
  let nanoseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended while we looked
    }
  }
  return nanoseconds / 1e6;
}

/** The RPCs of a plan whose provider cost does not depend on a vendor (ReadResource waits for the vendor's listing). */
export const MEASURED_RPCS = ['UpgradeResourceState', 'ValidateResourceConfig', 'PlanResourceChange'] as const;
export type MeasuredRpc = typeof MEASURED_RPCS[number];

/** A plausible value of each attribute of a key resource's state (nothing secret: these never leave the machine). */
function sampleState(resource: (typeof apiKeysProvider.resources)[number]): CtyObject {
  const sample = (type: unknown, name: string): CtyValue => {
    if (type === 'string') return `${name}-value-0123456789`;
    if (type === 'number') return 1_700_000_000;
    if (type === 'bool') return false;
    // Lists and sets (an Atlas key's roles); no rotation and no previous key, as for most keys.
    return Array.isArray(type) && (type[0] === 'list' || type[0] === 'set') ? [sample(type[1], name)] : null;
  };
  return Object.fromEntries(Object.entries(resource.schema.attributes).map(([name, attribute]) => [name, attribute.writeOnly ? null : sample(attribute.type, name)]));
}

/**
 * The provider's own CPU per RPC, by kind: `calls` calls of each, 10 at a time as Terraform sends them,
 * over mutual TLS from a raw node:http2 client, measured from /proc around the calls (Linux only).
 * The provider is not configured, so PlanResourceChange plans without the vendor-side checks.
 */
export async function measureRpcCpu(executable: string, calls: number, warmUpCalls = 1000): Promise<Record<MeasuredRpc, number>> {
  const client: ServerIdentity = createServerIdentity();
  const env = { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: client.certificatePem };
  const child = spawn(executable, [], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const handshake = await new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    const [, , , address, , certificate] = handshake.split('|');
    const serverPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(certificate, 'base64').toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
    const session = connect(`https://${address}`, { ca: serverPem, cert: client.certificatePem, key: client.privateKeyPem, servername: 'localhost' });
    const resource = apiKeysProvider.resources.find((each) => each.typeName === 'apikeys_atlas_organization_key')!;
    const type = schemaType(resource.schema);
    const state = sampleState(resource);
    const config: CtyObject = Object.fromEntries(Object.entries(state).map(([name, value]) => [name, resource.schema.attributes[name].computed && !resource.schema.attributes[name].optional ? null : value]));
    const codec = new WireCodec(MESSAGES);
    const requests: Record<MeasuredRpc, Buffer> = {
      UpgradeResourceState: frameMessage(codec.encode('UpgradeResourceStateRequest', { type_name: resource.typeName, version: resource.schema.version, raw_state: { json: Buffer.from(JSON.stringify(state)) } })),
      ValidateResourceConfig: frameMessage(codec.encode('ValidateResourceConfigRequest', { type_name: resource.typeName, config: { msgpack: encodeMsgpack(config, type) } })),
      PlanResourceChange: frameMessage(codec.encode('PlanResourceChangeRequest', {
        type_name: resource.typeName, prior_state: { msgpack: encodeMsgpack(state, type) }, proposed_new_state: { msgpack: encodeMsgpack(state, type) }, config: { msgpack: encodeMsgpack(config, type) },
      })),
    };
    const call = (rpc: MeasuredRpc) => new Promise<void>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': `/tfplugin6.Provider/${rpc}`, 'content-type': 'application/grpc', te: 'trailers' });
      const reader = new MessageReader(1 << 20);
      stream.on('data', (chunk: Buffer) => reader.push(chunk));
      stream.on('trailers', (trailers) => (trailers['grpc-status'] === '0' && reader.messages.length === 1 ? resolve() : reject(new Error(`${rpc} failed: ${JSON.stringify(trailers)}`))));
      stream.on('error', reject);
      stream.end(requests[rpc]);
    });
    const run = async (rpc: MeasuredRpc, count: number) => {
      let next = 0;
      await Promise.all(Array.from({ length: 10 }, async () => {
        while (next++ < count) await call(rpc);
      }));
    };
    // Warm-up of every kind first (TLS session, JIT): otherwise the first kind measured pays for the code all share.
    for (const rpc of MEASURED_RPCS) await run(rpc, warmUpCalls);
    const perCall = {} as Record<MeasuredRpc, number>;
    for (const rpc of MEASURED_RPCS) {
      const before = cpuMs(child.pid!);
      await run(rpc, calls);
      perCall[rpc] = ((cpuMs(child.pid!) - before) * 1000) / calls;
    }
    session.close();
    return perCall;
  } finally {
    child.kill('SIGTERM');
  }
}

// `node -r ts-node/register/transpile-only bench/startup.ts [RUNS] [OTHER_PROVIDER]`: exec → handshake line, medians,
// each as a ratio against bare node in the same run; then the provider's CPU per RPC.
if (require.main === module) {
  const other = process.argv[3];
  void (async () => {
    const figures = await measureStartup(Number(process.argv[2] ?? 15), other);
    const cpuRatio = (ms?: number) => (ms === undefined || !figures.baselineCpuMs ? '' : `  CPU ${ms.toFixed(0)} ms ${(ms / figures.baselineCpuMs).toFixed(2)}× node`);
    const line = (label: string, ms?: number, mb?: number, cpuMs?: number) => ms !== undefined && console.log(
      `${label.padEnd(40)} ${ms.toFixed(0).padStart(5)} ms ${(ms / figures.baselineMs).toFixed(2)}× node  ${mb === undefined ? '' : `${mb.toFixed(0)} MB`}${cpuRatio(cpuMs)}`,
    );
    line('baseline: node printing one line', figures.baselineMs, figures.baselineRssMb, figures.baselineCpuMs);
    line('provider bundle (node + code cache)', figures.providerMs, figures.providerRssMb, figures.providerCpuMs);
    line('standalone provider (single executable)', figures.standaloneMs, figures.standaloneRssMb, figures.standaloneCpuMs);
    if (other) line(`other: ${other}`, figures.otherMs, undefined, figures.otherCpuMs);
    if (figures.standaloneMs === undefined) console.log(`(no standalone provider at ${STANDALONE_EXECUTABLE}: run npm run release)`);
    if (process.platform === 'linux') {
      const calls = 3_000;
      const perRpc = (label: string, figures: Record<MeasuredRpc, number>) =>
        console.log(`CPU per call (${calls} calls each), ${label}: ${MEASURED_RPCS.map((rpc) => `${rpc} ${figures[rpc].toFixed(0)} µs`).join(', ')}`);
      perRpc('provider bundle', await measureRpcCpu(PROVIDER_EXECUTABLE, calls));
      if (other) perRpc(`other`, await measureRpcCpu(other, calls));
    }
  })();
}
