import { spawn } from 'node:child_process';
import { ToolMissingError } from '../core/errors';
import { usePrivateUmask } from './private-files';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Sees each output line (both streams) as it comes, for live display. */
  onLine?: (line: string) => void;
  /** Copies the child's stdout / stderr here as it comes (each byte once). */
  forwardStdout?: NodeJS.WritableStream;
  forwardStderr?: NodeJS.WritableStream;
  /** Runs `command` through the shell, as cdktf runs an app command. */
  shell?: boolean;
}

/**
 * Runs a command without blocking the event loop (the emulator may be
 * serving from this same process). Every run gets umask 077, so what
 * Terraform writes (state, backups, plans, .terraform) is private.
 */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  usePrivateUmask();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, shell: options.shell, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { stdout: '', stderr: '' };
    const forward = { stdout: options.forwardStdout, stderr: options.forwardStderr };
    for (const stream of ['stdout', 'stderr'] as const) {
      let pending = '';
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk: string) => {
        output[stream] += chunk;
        forward[stream]?.write(chunk);
        if (!options.onLine) return;
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(options.onLine);
      });
      child[stream].on('end', () => {
        if (pending && options.onLine) options.onLine(pending);
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new ToolMissingError(command) : error));
    child.on('close', (code) => resolve({ exitCode: code ?? 1, ...output }));
  });
}
