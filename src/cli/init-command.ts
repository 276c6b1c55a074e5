import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectError, UsageError } from '../core/errors';
import { PACKAGE_ROOT } from './paths';
import { FRAMEWORK_DEPENDENCIES, SCAFFOLD_SCRIPTS, scaffoldFiles, type CdkFramework } from './scaffold';

export interface InitOptions {
  readonly projectDir: string;
  /** --cdk: the framework the app imports; by default the one package.json depends on, else cdktf. */
  readonly cdk?: string;
  /** Overwrite files that exist. */
  readonly force?: boolean;
}

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  [field: string]: unknown;
}

/** What the app's TypeScript needs to run under ts-node: the versions this package is built and tested with (TypeScript 5.9: ts-node does not run 6). */
function toolVersions(): Record<string, string> {
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
  return Object.fromEntries(['typescript', 'ts-node', '@types/node'].map((name) => [name, own.devDependencies![name]]));
}

function chooseFramework(requested: string | undefined, project: PackageJson): CdkFramework {
  if (requested !== undefined) {
    if (requested === 'cdktf' || requested === 'cdktn') return requested;
    throw new UsageError(`init: --cdk must be cdktf (CDKTF) or cdktn (CDK Terrain), not "${requested}"`);
  }
  const declared = { ...project.dependencies, ...project.devDependencies };
  return 'cdktn' in declared && !('cdktf' in declared) ? 'cdktn' : 'cdktf';
}

/** Adds what is missing to `into`; never changes a version the project chose. Returns the names added. */
function addMissing(into: Record<string, string>, wanted: Record<string, string>): string[] {
  return Object.entries(wanted).filter(([name]) => !(name in into)).map(([name, version]) => {
    into[name] = version;
    return name;
  });
}

const list = (names: string[]): string => names.join(', ');

/**
 * `apikeys init [--cdk cdktf|cdktn] [--force]`: a ready CDKTF TypeScript app in
 * the current directory (cdktf.json, main.ts, tsconfig.json, keys.yaml,
 * .gitignore), and in package.json what it needs (TypeScript 5.9 and ts-node,
 * the framework when missing, deploy and drift scripts under umask 077).
 * Existing files are left alone unless --force; then run npm install.
 */
export function initCommand(options: InitOptions): number {
  const packagePath = join(options.projectDir, 'package.json');
  if (!existsSync(packagePath)) {
    throw new ProjectError(`no package.json in ${options.projectDir}`, { hint: 'Run "npm init -y" and "npm install @cdktf-apikeys/apikeys cdktf constructs" first.' });
  }
  let project: PackageJson;
  try {
    project = JSON.parse(readFileSync(packagePath, 'utf8'));
  } catch (error) {
    throw new ProjectError(`${packagePath}: not valid JSON (${(error as Error).message})`);
  }
  const framework = chooseFramework(options.cdk, project);
  const files = scaffoldFiles(framework, randomUUID());
  const existing = files.filter((file) => existsSync(join(options.projectDir, file.path))).map((file) => file.path);
  if (existing.length > 0 && !options.force) {
    throw new UsageError(`init: ${list(existing)} already exist${existing.length === 1 ? 's' : ''} in ${options.projectDir}; nothing was written`, { hint: 'Pass --force to overwrite them.' });
  }

  const dependencies = project.dependencies ?? {};
  const devDependencies = project.devDependencies ?? {};
  const scripts = project.scripts ?? {};
  const added = [
    ...addMissing(dependencies, FRAMEWORK_DEPENDENCIES[framework]),
    ...addMissing(devDependencies, toolVersions()),
  ];
  const addedScripts = addMissing(scripts, SCAFFOLD_SCRIPTS);
  writeFileSync(packagePath, `${JSON.stringify({ ...project, dependencies, devDependencies, scripts }, null, 2)}\n`);
  for (const file of files) writeFileSync(join(options.projectDir, file.path), file.content);

  const nodeMajorMinor = process.versions.node.split('.').map(Number);
  const oldNode = framework === 'cdktn' && (nodeMajorMinor[0] < 22 || (nodeMajorMinor[0] === 22 && nodeMajorMinor[1] < 19));
  process.stdout.write([
    `Created ${list(files.map((file) => file.path))} for ${framework === 'cdktn' ? 'CDK Terrain (cdktn)' : 'CDKTF (cdktf)'}${existing.length ? ` (overwrote ${list(existing)})` : ''}.`,
    ...(added.length || addedScripts.length ? [`package.json: added ${list([...added, ...addedScripts.map((name) => `script ${name}`)])}.`] : []),
    ...(oldNode ? [`CDK Terrain needs Node.js 22.19 or later; this is ${process.version}.`] : []),
    '',
    'Next:',
    '  npm install',
    '  npx apikeys deploy          # synthesize, then terraform init and apply (no cdktf-cli needed)',
    '  npx apikeys drift           # exit 0 in sync, 2 drift, 1 error',
    '',
    'Try it without vendor accounts: run "npx apikeys emulator --app" in another terminal and export the',
    '"env" of its first line. For cdktf deploy or terraform itself, run "npx apikeys install-provider" first.',
    '',
    `The state (terraform.keys.tfstate) holds every secret the deploys create. apikeys deploy and drift keep it`,
    'owner-only (umask 077, as the npm scripts do); cdktf deploy and terraform apply write it readable by all',
    'unless you run "umask 077" first. In CI, keep it in an encrypted remote backend instead.',
    '',
  ].join('\n'));
  return 0;
}
