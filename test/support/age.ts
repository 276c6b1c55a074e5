import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The stock age CLI (Debian's `age` package; .ci/run installs it), for
 * interoperability: what the provider seals, the age everyone has opens.
 * For tests that may start processes (*.e2e.test.ts, *.terraform.test.ts).
 */

function age(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8' });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}): install the age CLI (apt-get install age); .ci/run does`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** A new identity file `<dir>/<name>.txt` made by age-keygen; returns its path and its recipient. */
export function ageKeygen(dir: string, name: string): { identityFile: string; recipient: string } {
  const identityFile = join(dir, `${name}.txt`);
  age('age-keygen', ['-o', identityFile]);
  const recipient = age('age-keygen', ['-y', identityFile]).trim();
  if (!readFileSync(identityFile, 'utf8').includes('AGE-SECRET-KEY-1')) throw new Error('age-keygen wrote no identity');
  return { identityFile, recipient };
}

/** `age -d -i <identityFile>` of an armored age file: the plaintext. Throws when the identity cannot open it. */
export const ageDecrypt = (identityFile: string, armored: string): string => age('age', ['-d', '-i', identityFile], armored);
