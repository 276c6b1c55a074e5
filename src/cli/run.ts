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
  /** Shares this process's terminal (stdin, stdout, stderr): for a command that asks the user. Nothing is captured. */
  interactive?: boolean;
}

/** Shows a step's output once, as one block ending in a newline (stderr unless told). */
export function printOutput(text: string, stream: NodeJS.WritableStream = process.stderr): void {
  if (text) stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Runs a command without blocking the event loop (the emulator may be
 * serving from this same process). Every run gets umask 077, so what
 * Terraform writes (state, backups, plans, .terraform) is private.
 */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  usePrivateUmask();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, shell: options.shell, stdio: options.interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const output = { stdout: '', stderr: '' };
    const forward = { stdout: options.forwardStdout, stderr: options.forwardStderr };
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream];
      if (!source) continue; // interactive: the child writes to our terminal itself
      let pending = '';
      source.setEncoding('utf8');
      source.on('data', (chunk: string) => {
        output[stream] += chunk;
        forward[stream]?.write(chunk);
        if (!options.onLine) return;
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(options.onLine);
      });
      source.on('end', () => {
        if (pending && options.onLine) options.onLine(pending);
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new ToolMissingError(command) : error));
    child.on('close', (code) => resolve({ exitCode: code ?? 1, ...output }));
  });
}
