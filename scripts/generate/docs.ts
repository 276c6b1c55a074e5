import type { ProviderModel } from './schema-model';

export interface DocsInput {
  read(path: string): string;
  exists(path: string): boolean;
}

export function renderDocs(_model: ProviderModel, _input: DocsInput): { path: string; content: string }[] {
  return [];
}
