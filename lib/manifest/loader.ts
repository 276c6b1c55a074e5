import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { manifestSchema, type Manifest } from './schema';
import { messageWithSuggestions } from './did-you-mean';

export interface ManifestIssue {
  readonly file: string;
  /** Dotted path to the offending value, e.g. organizations[0].adminKeys[1].name */
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** Everything wrong with a manifest, each issue with file, line and path. */
export class ManifestError extends Error {
  readonly code = 'APIKEYS_ERR_MANIFEST';
  constructor(readonly issues: readonly ManifestIssue[]) {
    super(`Invalid key manifest (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ManifestError';
  }
}

export function formatIssue(issue: ManifestIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column}`;
  return `  ${where}: ${issue.path || '(top level)'}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((step, index) => (typeof step === 'number' ? `[${step}]` : `${index === 0 ? '' : '.'}${String(step)}`)).join('');
}

/** The position of the deepest node of `path` that exists in the document. */
function locate(document: Document, counter: LineCounter, path: readonly PropertyKey[]): { line?: number; column?: number } {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as (string | number)[], true);
    if (isNode(node) && node.range) {
      const position = counter.linePos(node.range[0]);
      return { line: position.line, column: position.col };
    }
  }
  return {};
}

/** Parses and validates manifest text; throws a ManifestError listing every problem. */
export function parseManifest(text: string, file = '<manifest>'): Manifest {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length) {
    throw new ManifestError(document.errors.map((error) => {
      const position = error.linePos?.[0];
      return { file, path: '', line: position?.line, column: position?.col, message: `YAML: ${error.message.split('\n')[0]}` };
    }));
  }
  const input = document.toJS();
  const result = manifestSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: ManifestIssue[] = result.error.issues.map((issue) => ({
    file, path: formatPath(issue.path), ...locate(document, counter, issue.path), message: messageWithSuggestions(issue, manifestSchema, input),
  }));
  // In file order, as an editor would list them.
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new ManifestError(issues);
}

export function loadManifestFile(path: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ManifestError([{ file: path, path: '', message: `cannot read the manifest: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  return parseManifest(text, path);
}
