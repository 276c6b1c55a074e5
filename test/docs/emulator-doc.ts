import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, codeBlocks } from './markdown';

/** docs/emulator.md, as its tests read it: the routes it names and its runnable shell blocks. */
const DOC = 'docs/emulator.md';

/** Every `METHOD /_emulator...` the document names in code spans (headings and tables). */
export const documentedRoutes = (): string[] =>
  [...readFileSync(join(ROOT, DOC), 'utf8').matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/_emulator[^`\s]*)`/g)].map((match) => `${match[1]} ${match[2]}`);

/** The ```sh blocks, in order: one script, run in one shell. */
export const shellBlocks = (): string[] => codeBlocks('sh').filter((snippet) => snippet.where.startsWith(`${DOC}:`)).map((snippet) => snippet.text);

/** Each curl call of the shell blocks: its method and its path, shell variables standing for one path segment. */
export function curlCalls(): { method: string; path: string; line: string }[] {
  return shellBlocks().flatMap((block) => block.split('\n')).filter((line) => /\bcurl\b/.test(line)).map((line) => {
    const url = /\$E(\S*)/.exec(line)?.[1] ?? '';
    const method = /-X (\w+)/.exec(line)?.[1] ?? (/ -d /.test(line) ? 'POST' : 'GET');
    return { method, path: `/_emulator${url.replace(/\$\w+/g, 'x').replace(/[?"'].*$/, '')}`, line };
  });
}
