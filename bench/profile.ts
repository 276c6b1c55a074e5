/**
 * Where a plan's provider time goes: `node -r ts-node/register/transpile-only bench/profile.ts
 * [--path manifest|plain] [--keys 1000] [--keep DIR]`.
 *
 * Applies one bench scenario with the built provider, then plans it once more with
 * an unminified build of the same sources run under `node --cpu-prof` (installed with a
 * dev_overrides CLI configuration, so the scenario's state and lock file stay as
 * they are). Prints the plan's wall time and CPU split, and for the provider
 * process that served the plan: how long it was busy and idle, its self time by
 * layer (each function attributed to the source file esbuild marks it with) and
 * its hottest functions. --keep writes the .cpuprofile files to DIR (open them in
 * Chrome DevTools); otherwise they are deleted.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { analyse, moduleOfLine, readProfile, unminifiedProvider } from './cpu-profile';
import { Scenario } from './scenario';

const option = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
};

async function main(): Promise<void> {
  const path = option('--path', 'manifest');
  const keys = Number(option('--keys', '1000'));
  const keep = process.argv.includes('--keep') ? resolve(option('--keep', 'profiles')) : undefined;
  const work = mkdtempSync(join(tmpdir(), 'apikeys-profile-'));
  const profiles = keep ?? join(work, 'profiles');
  mkdirSync(profiles, { recursive: true });
  const before = new Set(readdirSync(profiles));

  // The same sources, unminified (names and module markers kept), served by node under the CPU profiler.
  const providerDir = join(work, 'provider');
  mkdirSync(providerDir);
  const bundleFile = join(providerDir, 'provider.js');
  writeFileSync(bundleFile, await unminifiedProvider());
  const executable = join(providerDir, 'terraform-provider-apikeys');
  writeFileSync(executable, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --cpu-prof --cpu-prof-dir=${JSON.stringify(profiles)} ${JSON.stringify(bundleFile)} "$@"\n`);
  chmodSync(executable, 0o755);
  const cliConfig = join(work, 'profile.tfrc');
  writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n    "cdktf-apikeys/apikeys" = ${JSON.stringify(providerDir)}\n  }\n  direct {}\n}\n`);

  const organizations = path === 'manifest' ? 3 : 10;
  console.log(`profile: ${keys} keys, ${path} path, ${organizations} orgs/vendor; load ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  const scenario = path === 'manifest'
    ? await Scenario.manifest({ keys, organizations })
    : await Scenario.keys({ style: 'connections', keys, organizations });
  try {
    await scenario.apply();
    await scenario.plan(); // the plan the bench times, with the built provider
    const built = scenario.figures();
    await scenario.plan({ TF_CLI_CONFIG_FILE: cliConfig });
    console.log(`plan with the built provider: ${built.planMs.toFixed(0)} ms; CPU: provider ${built.providerCpuMs.toFixed(0)} ms, ` +
      `Terraform ${built.terraformCpuMs.toFixed(0)} ms. Profiled plan: ${scenario.figures().plansMs[1].toFixed(0)} ms\n`);
  } finally {
    await scenario.dispose();
  }
  const written = readdirSync(profiles).filter((name) => name.endsWith('.cpuprofile') && !before.has(name));
  const loaded = written.map((name) => readProfile(join(profiles, name)));
  if (loaded.length === 0) throw new Error('no CPU profile was written: did the provider run under the override?');
  // The plan's own process is the one that ran longest (the others answer the schema and validate).
  const plan = loaded.reduce((longest, profile) => (profile.endTime - profile.startTime > longest.endTime - longest.startTime ? profile : longest));
  analyse(plan, 'provider.js', moduleOfLine(readFileSync(bundleFile, 'utf8')));
  if (keep) console.log(`\nprofiles: ${written.map((name) => join(profiles, name)).join(', ')}`);
  rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
