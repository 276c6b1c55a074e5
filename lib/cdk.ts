import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Cdktf from 'cdktf';

/**
 * The CDK the app uses: CDKTF (`cdktf`, archived in December 2025) or CDK
 * Terrain (`cdktn`, its maintained fork, with the same API). Both are
 * optional peer dependencies, so the library takes the app's own copy at run
 * time, without npm overrides or aliases. Types come from `cdktf`'s
 * declarations; a CDK Terrain app maps `cdktf` to `cdktn` in its tsconfig
 * `paths` (`apikeys init --cdk cdktn` writes that).
 */
export const CDK_FRAMEWORKS = ['cdktf', 'cdktn'] as const;
export type CdkFramework = (typeof CDK_FRAMEWORKS)[number];

const installed = (name: string): boolean => {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
};

/** The frameworks the nearest package.json above `directory` depends on. */
function declaredFrameworks(directory: string): CdkFramework[] {
  for (let dir = directory; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(file, 'utf8'));
        return CDK_FRAMEWORKS.filter((name) => name in dependencies || name in devDependencies);
      } catch {
        return [];
      }
    }
    if (dirname(dir) === dir) return [];
  }
}

/**
 * The one installed; when both are, the one the app's package.json names
 * (synthesis runs in the app's directory), else CDKTF.
 */
export function chooseFramework(available: readonly CdkFramework[], declared: readonly CdkFramework[]): CdkFramework | undefined {
  if (available.length <= 1) return available[0];
  return declared.length === 1 ? declared[0] : 'cdktf';
}

function loadFramework(): typeof Cdktf {
  const framework = chooseFramework(CDK_FRAMEWORKS.filter(installed), declaredFrameworks(process.cwd()));
  if (framework === undefined) {
    throw new Error('@cdktf-apikeys/apikeys needs CDKTF or CDK Terrain next to it: npm install cdktf constructs (or npm install cdktn "constructs@<10.8").');
  }
  return require(framework);
}

const cdk = loadFramework();

export const { Annotations, App, Fn, TerraformDataSource, TerraformElement, TerraformLocal, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, Token, Tokenization } = cdk;
export type Annotations = Cdktf.Annotations;
export type App = Cdktf.App;
export type TerraformDataSource = Cdktf.TerraformDataSource;
export type TerraformElement = Cdktf.TerraformElement;
export type TerraformLocal = Cdktf.TerraformLocal;
export type TerraformOutput = Cdktf.TerraformOutput;
export type TerraformProvider = Cdktf.TerraformProvider;
export type TerraformResource = Cdktf.TerraformResource;
export type TerraformStack = Cdktf.TerraformStack;
export type { IResolvable, TerraformMetaArguments } from 'cdktf';
