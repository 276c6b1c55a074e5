import { relative, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { formatManifestIssue, ManifestError, redact, type ManifestIssue } from '../../src/core';
import { addressClashes } from './address-clashes';
import { decodeManifest, ManifestReadProblem, readManifestBytes } from './read-file';
import { manifestSchema, type Manifest } from './schema';
import { messageWithSuggestions } from './did-you-mean';
import { DEPRECATED_ORGANIZATION_FIELDS } from './common';
import { list, record } from './family';
import { textProblems } from './text-rules';

export { ManifestError, type ManifestIssue };
/** One issue as ManifestError's message lists it: `  file:line:column: path: message`. */
export const formatIssue = formatManifestIssue;

export { MANIFEST_MAX_BYTES } from './read-file';
export { MANIFEST_MAX_DEPTH } from './text-rules';

/** The most aliases (`*name`) a manifest may use: a real one needs few; an alias bomb needs thousands. */
export const MANIFEST_MAX_ALIASES = 100;

const MESSAGE_MAX = 500;

/** Last line of defence: no message repeats a credential (the shared redaction), or megabytes of a hostile value. */
function safeMessage(message: string): string {
  const safe = redact(message);
  return safe.length > MESSAGE_MAX ? `${safe.slice(0, MESSAGE_MAX)}…` : safe;
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

/** YAML parsing that cannot run away: limited aliases, no tags beyond plain data, one document. */
function parseYaml(text: string, file: string): { document: Document; counter: LineCounter; data: unknown } {
  const counter = new LineCounter();
  const issue = (message: string, position?: { line: number; col: number }): ManifestIssue => ({
    file, path: '', line: position?.line, column: position?.col, message: safeMessage(`YAML: ${message.split('\n')[0]}`),
  });
  const document = parseDocument(text, {
    lineCounter: counter, prettyErrors: true, uniqueKeys: true,
    // Only plain data: no !!binary, !!set or custom tags.
    schema: 'core', resolveKnownTags: false, merge: false,
  });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length) {
    throw new ManifestError(problems.map((error) => {
      const message = error.code === 'TAG_RESOLVE_FAILED' ? `${error.message.split('\n')[0]}; a manifest holds plain data only, without YAML tags` : error.message;
      return issue(error.code === 'RESOURCE_EXHAUSTION' ? 'the document nests too deeply' : message, error.linePos?.[0]);
    }));
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MANIFEST_MAX_ALIASES });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const explained = /Excessive alias count/.test(message)
      ? `aliases expand too much (an "alias bomb"); a manifest may use at most ${MANIFEST_MAX_ALIASES} aliases, and none that multiply`
      : /Unresolved alias/.test(message) ? `${message.split('\n')[0]}; define the anchor (&name) before using the alias (*name)` : message;
    throw new ManifestError([issue(explained, firstAliasPosition(text, counter, message))]);
  }
  return { document, counter, data };
}

/** Where the alias a toJS error names is used, so the error carries a line. */
function firstAliasPosition(text: string, counter: LineCounter, message: string): { line: number; col: number } | undefined {
  const name = /: (\S+)$/.exec(message.split('\n')[0])?.[1];
  const offset = name === undefined ? text.indexOf('*') : text.indexOf(`*${name}`);
  return offset < 0 ? undefined : counter.linePos(offset);
}

/** Parses and validates manifest text; throws a ManifestError listing every problem. */
export function parseManifest(text: string, file = '<manifest>'): Manifest {
  const { document, counter, data } = parseYaml(text, file);
  const at = (path: readonly (string | number)[], message: string): ManifestIssue => ({
    file, path: formatPath(path), ...locate(document, counter, path), message: safeMessage(message),
  });
  const where = (path: readonly (string | number)[]): string => {
    const position = locate(document, counter, path);
    return `${formatPath(path)} (${file}${position.line === undefined ? '' : `:${position.line}:${position.column}`})`;
  };

  const issues: ManifestIssue[] = textProblems(data).map((problem) => at(problem.path, problem.message));
  // The schema and the clash check walk the data recursively: only after the depth limit held.
  if (!issues.some((issue) => /nests deeper/.test(issue.message))) {
    for (const clash of addressClashes(data)) issues.push(at(clash.path, clash.message(where(clash.earlierPath))));
    const result = manifestSchema.safeParse(data);
    if (result.success && issues.length === 0) return withSource(result.data, { warnings: deprecationWarnings(data, at) });
    if (!result.success) issues.push(...result.error.issues.map((issue) => at(issue.path as (string | number)[], messageWithSuggestions(issue, manifestSchema, data))));
  }
  // In file order, as an editor would list them.
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new ManifestError(issues);
}

/** What the loader knows of a manifest beyond its content: the file it was read from, and the warnings it gave. */
export interface ManifestSource {
  /** The file loadManifestFile read, relative to the working directory (or absolute outside it). */
  readonly file?: string;
  /** Deprecated fields, each with file:line and what replaces it; ManifestKeys shows them as construct warnings. */
  readonly warnings: readonly ManifestIssue[];
}

const SOURCE = Symbol('apikeys.manifestSource');

/** Kept out of sight (not enumerable), so the manifest compares and serializes as plain data. */
function withSource(manifest: Manifest, source: ManifestSource): Manifest {
  Object.defineProperty(manifest, SOURCE, { value: source, enumerable: false, configurable: true });
  return manifest;
}

export function manifestSource(manifest: Manifest): ManifestSource | undefined {
  return (manifest as { [SOURCE]?: ManifestSource })[SOURCE];
}

function deprecationWarnings(data: unknown, at: (path: (string | number)[], message: string) => ManifestIssue): ManifestIssue[] {
  return list(record(data).organizations).flatMap((org, index) => Object.entries(DEPRECATED_ORGANIZATION_FIELDS)
    .filter(([field]) => field in record(org))
    .map(([field, replacement]) => at(['organizations', index, field], `is deprecated; use ${replacement}`)));
}

function readProblem(file: string, problem: ManifestReadProblem): ManifestError {
  return new ManifestError([{ file, path: '', line: problem.line, column: problem.column, message: problem.message }]);
}

/**
 * Reads and validates a manifest file. The file is untrusted input: only a
 * regular file of at most 1 MiB of UTF-8 is read, and every problem (the
 * file's kind, its encoding, YAML, schema) is a ManifestError with file:line.
 */
export function loadManifestFile(path: string): Manifest {
  const bytes = readManifestBytes(path);
  if (bytes instanceof ManifestReadProblem) throw readProblem(path, bytes);
  const text = decodeManifest(bytes);
  if (text instanceof ManifestReadProblem) throw readProblem(path, text);
  const manifest = parseManifest(text, path);
  const absolute = resolve(path);
  const relativePath = relative(process.cwd(), absolute);
  return withSource(manifest, { ...manifestSource(manifest)!, file: relativePath.startsWith('..') ? absolute : relativePath });
}
