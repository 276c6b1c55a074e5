import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root; snippets are named by their file relative to it and the line they start on. */
export const ROOT = join(__dirname, '..', '..');

export interface Snippet { readonly where: string; readonly text: string }

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? markdownFiles(path) : entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Every fenced block of `language` in README.md and docs/**\/*.md, in file order. */
export function codeBlocks(language: string): Snippet[] {
  return [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))].flatMap((file) => {
    const snippets: Snippet[] = [];
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let index = 0; index < lines.length; index++) {
      if (lines[index].trim() !== `\`\`\`${language}`) continue;
      const start = index + 1;
      while (index + 1 < lines.length && lines[index + 1].trim() !== '```') index++;
      snippets.push({ where: `${relative(ROOT, file)}:${start}`, text: lines.slice(start, index + 1).join('\n') });
      index++;
    }
    return snippets;
  });
}
