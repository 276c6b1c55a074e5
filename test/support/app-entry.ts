import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface AppRun {
  readonly exitCode: number | null;
  readonly output: string;
  readonly timedOut: boolean;
}

/**
 * Runs the repository's cdktf app (src/app/main.ts, as cdktf.json runs it) on
 * one manifest, as a child process with a deadline: an input that hangs the
 * loader fails the test instead of blocking the suite.
 */
export function runApp(manifest: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<AppRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'app', 'main.ts'), '--manifest', manifest], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        output += chunk;
      });
    }
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output, timedOut });
    });
  });
}

/** A JavaScript stack trace: lines such as "    at parseYaml (/.../loader.ts:88:11)". */
export const STACK_TRACE = /\n\s+at /;
