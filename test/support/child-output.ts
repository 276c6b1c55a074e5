import type { ChildProcess } from 'node:child_process';

/**
 * The first line a child process writes to stdout (the emulator's description,
 * a provider's handshake). Rejects when the child exits or fails to start first.
 */
export function firstStdoutLine(child: ChildProcess, what = 'the process'): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.includes('\n')) resolve(buffered.split('\n')[0]);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before writing a line: ${buffered}`)));
  });
}
