import type { IConstruct } from 'constructs';
import { PropsValidationError } from '../../src/core';
import { App, TerraformStack } from '../cdk';

interface Report {
  readonly path: string;
  readonly subject: string;
  readonly problems: readonly string[];
}

const reportsByApp = new WeakMap<IConstruct, Report[]>();
const validatedStacks = new WeakSet<IConstruct>();

/** One construct's problems as they are; several constructs' each under its subject and construct path. */
function propsError(reports: readonly Report[]): PropsValidationError {
  if (reports.length === 1) return new PropsValidationError(`${reports[0].subject} (${reports[0].path})`, reports[0].problems);
  return new PropsValidationError('The app', reports.flatMap((report) => report.problems.map((problem) => `${report.subject} (${report.path}): ${problem}`)));
}

/**
 * A construct's props problems, reported at synthesis by a cdktf validation
 * (`node.addValidation`) together with every other construct's in the app,
 * instead of stopping at the first construct: one PropsValidationError, each
 * problem under its construct path with the fix. The construct builds nothing
 * meanwhile. With the app's validations off (`skipValidation`) they throw at
 * once, since synthesis would otherwise write the stack without these keys,
 * and the next deploy would revoke them.
 */
export function reportAtSynthesis(scope: IConstruct, subject: string, problems: readonly string[]): void {
  const root = scope.node.root;
  if (App.isApp(root) && root.skipValidation) throw new PropsValidationError(subject, problems);
  const reports = reportsByApp.get(root) ?? [];
  reportsByApp.set(root, reports);
  reports.push({ path: scope.node.path, subject, problems });
  const stack = TerraformStack.of(scope);
  if (validatedStacks.has(stack)) return;
  validatedStacks.add(stack);
  // The first stack validated reports the whole app's problems; cdktf's own list would add advice to skip validation.
  stack.node.addValidation({
    validate: () => {
      throw propsError(reports);
    },
  });
}
