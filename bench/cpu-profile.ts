/**
 * Reading a V8 CPU profile (.cpuprofile) of a provider built unminified by
 * esbuild: each function is attributed to the source file whose `// path`
 * marker precedes it in the bundle, and the files to the provider's layers.
 */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../src/cli/paths';
import { join } from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

/** The layer a source file belongs to, for the split. */
function layerOf(source: string, url: string, functionName: string): string {
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || functionName === '(root)') return 'V8 and native (program)';
  if (source) {
    if (source.includes('@msgpack') || source.startsWith('src/provider/cty')) return 'cty msgpack codec';
    if (source.endsWith('wire-codec.ts') || source.endsWith('.generated.ts')) return 'protobuf wire codec';
    if (source.startsWith('src/provider/protocol')) return 'gRPC server (protocol)';
    if (source.startsWith('src/provider/log')) return 'log';
    if (source.startsWith('src/provider/framework')) return 'framework (lifecycle)';
    if (source.startsWith('src/provider/families') || source.startsWith('src/provider/data-sources')) return 'families and data source';
    if (source.startsWith('src/provider/connections')) return 'connections';
    if (source.startsWith('src/reconcile')) return 'reconcile (listings, journal)';
    if (source.startsWith('src/vendors') || source.includes('undici')) return 'vendor HTTP (undici)';
    if (source.startsWith('src/core')) return 'core (rules, redaction)';
    return `other: ${source}`;
  }
  if (url.includes('internal/http2') || url === 'node:http2') return 'node http2';
  if (/internal\/(tls|crypto)|_tls_|node:tls/.test(url)) return 'node TLS';
  if (/internal\/(streams|stream_base|net)|node:net|node:stream/.test(url)) return 'node streams and sockets';
  if (/internal\/(abort_controller|event_target)/.test(url)) return 'node AbortSignal and events';
  if (url.startsWith('node:')) return `node other`;
  return url === '' ? 'V8 and native (program)' : `other: ${url}`;
}

/** For each line of an unminified esbuild bundle, the source module whose `// path` marker precedes it. */
export function moduleOfLine(bundle: string): (line: number) => string {
  const starts: [number, string][] = [];
  bundle.split('\n').forEach((text, index) => {
    const marker = /^\/\/ ((?:src|lib|node_modules)\/\S+\.(?:ts|js|mjs|cjs))$/.exec(text);
    if (marker) starts.push([index, marker[1]]);
  });
  return (line) => {
    let found = '';
    for (const [start, source] of starts) {
      if (start > line) break;
      found = source;
    }
    return found;
  };
}

export function analyse(profile: CpuProfile, bundleUrl: string, moduleOf: (line: number) => string): void {
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  // Loading the bundle (the main module's first run) is start-up, which the built provider does from a code cache.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inStartup = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)?.callFrame.functionName === 'executeUserEntryPoint') return true;
    return false;
  };
  const byLayer = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const source = url.endsWith(bundleUrl) ? moduleOf(lineNumber) : '';
    const layer = inStartup(node.id) ? 'start-up (loading the bundle, uncached here)' : layerOf(source, url, functionName);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + ms);
    if (layer !== '(idle)') {
      const where = source || url.replace(/^node:internal\//, 'node:') || '(native)';
      const label = `${functionName || '(anonymous)'}  ${where}`;
      byFunction.set(label, (byFunction.get(label) ?? 0) + ms);
    }
  }
  const wall = (profile.endTime - profile.startTime) / 1000;
  const idle = byLayer.get('(idle)') ?? 0;
  console.log(`provider process (plan): profiled ${wall.toFixed(0)} ms, busy ${(wall - idle).toFixed(0)} ms, idle ${idle.toFixed(0)} ms`);
  console.log('\nself time by layer:');
  for (const [layer, ms] of [...byLayer].filter(([layer]) => layer !== '(idle)').sort((a, b) => b[1] - a[1])) {
    console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${layer}`);
  }
  console.log('\nhottest functions (self time):');
  for (const [label, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${label}`);
}

/** The provider's sources as one unminified file (names and module markers kept), for node --cpu-prof. */
export async function unminifiedProvider(): Promise<string> {
  const bundled = await build({
    entryPoints: [join(PACKAGE_ROOT, 'src', 'provider', 'main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    minify: false, keepNames: true, write: false, logLevel: 'warning',
  });
  return bundled.outputFiles[0].text;
}

export const readProfile = (file: string): CpuProfile => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
