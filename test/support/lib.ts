import { TerraformStack, Testing, type App } from 'cdktf';
import { ManifestError, parseManifest, type ManifestIssue } from '../../lib/manifest/loader';
import { PropsValidationError } from '../../src/core';

/** Synthesized Terraform JSON, loosely typed for assertions. */
export type SynthJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Builds constructs in a fresh stack and returns its synthesized JSON. */
export function synthStack(build: (stack: TerraformStack) => void, options: { hcl?: boolean; validate?: boolean } = {}): SynthJson {
  const app = Testing.app({ hclOutput: options.hcl ?? false } as Parameters<typeof Testing.app>[0]);
  const stack = new TerraformStack(app as App, 'test');
  build(stack);
  // With cdktf's validations (unless told): props problems are reported there.
  return JSON.parse(Testing.synth(stack, options.validate ?? true));
}

/** The error `run` throws, which must be of `type`; fails when nothing is thrown. */
export function thrown<T extends Error>(type: abstract new (...args: any[]) => T, run: () => unknown): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

/** The props problems a stack's synthesis reports (every construct's at once, in one error). */
export const synthesisProblems = (stack: TerraformStack): PropsValidationError => thrown(PropsValidationError, () => Testing.synth(stack, true));

const LINE_AND_PATH = (issue: ManifestIssue): string => `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`;

/** Every issue of a manifest that must be rejected, formatted as `line:column path: message` unless told otherwise. */
export function manifestIssues(text: string, format: (issue: ManifestIssue) => string = LINE_AND_PATH, file = 'keys.yaml'): string[] {
  return thrown(ManifestError, () => parseManifest(text, file)).issues.map(format);
}

/** The connection a synthesized resource or data source names (argument `connection_name`). */
export const connectionOf = (body: SynthJson): unknown => body.connection_name;
