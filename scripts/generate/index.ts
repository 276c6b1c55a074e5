import { existsSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_HEADER, renderBindings } from './bindings';
import { renderDocs, type DocsInput } from './docs';
import { withPendingConnectionBlocks } from './pending-connection-blocks';
import { providerModel, type SchemaSource } from './schema-model';

/**
 * Everything generated from the provider schema: the CDKTF bindings
 * (lib/bindings) and the reference docs (docs/). Pure: paths relative to the
 * repository root → content, so the drift test can compare in memory.
 */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export const ROOT = join(__dirname, '..', '..');

export function generateFiles(provider: SchemaSource, root = ROOT): GeneratedFile[] {
  const model = providerModel(withPendingConnectionBlocks(provider));
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');
  const docsInput: DocsInput = { read, exists: (path) => existsSync(join(root, path)) };
  return [...renderBindings(model), ...renderDocs(model, docsInput)];
}

/** Generated bindings that are no longer generated (a resource removed or renamed): to delete. */
export function staleBindings(files: readonly GeneratedFile[], root = ROOT): string[] {
  const generated = new Set(files.map((file) => file.path));
  return readdirSync(join(root, 'lib', 'bindings'))
    .map((name) => `lib/bindings/${name}`)
    .filter((path) => !generated.has(path) && readFileSync(join(root, path), 'utf8').startsWith(GENERATED_HEADER));
}

/** The files whose committed content differs from what the schema generates. */
export function drift(files: readonly GeneratedFile[], root = ROOT): string[] {
  const differing = files.filter((file) => !existsSync(join(root, file.path)) || readFileSync(join(root, file.path), 'utf8') !== file.content);
  return [...differing.map((file) => file.path), ...staleBindings(files, root)];
}

export function writeFiles(files: readonly GeneratedFile[], root = ROOT): string[] {
  const changed = drift(files, root);
  for (const path of staleBindings(files, root)) unlinkSync(join(root, path));
  for (const file of files) if (changed.includes(file.path)) writeFileSync(join(root, file.path), file.content);
  return changed;
}
