import { inspect } from 'node:util';
import { redact } from '../src/core';

const INSTALLED = Symbol.for('@cdktf-apikeys/apikeys.synthesisErrors');

/** Ours, from any copy of the package: an ApiKeysError carries a stable APIKEYS_ERR_* code. */
const isLibraryError = (error: unknown): error is Error & { hint?: unknown } => {
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('APIKEYS_ERR');
};

/** Listeners of the app's own (Node's `domain` module adds one that handles nothing). */
const appListeners = (): number => process.listeners('uncaughtException').filter((listener) => listener !== onUncaught && listener.name !== 'domainUncaughtExceptionClear').length;

function onUncaught(error: unknown, origin: string): void {
  if (isLibraryError(error)) {
    const hint = typeof error.hint === 'string' ? `\n  ${error.hint}` : '';
    process.stderr.write(`${redact(`${error.message}${hint}`)}\n`);
    process.exit(1);
  }
  // Any other error is the app's to handle, when it has a handler; else it ends the app as Node would end it
  // (without the source line, which would point here).
  if (appListeners() > 0) return;
  process.stderr.write(`${origin === 'unhandledRejection' ? 'Unhandled promise rejection: ' : ''}${inspect(error)}\n\nNode.js ${process.version}\n`);
  process.exit(1);
}

/**
 * During a synthesis (`cdktf synth`, `cdktn synth`, `apikeys drift` or
 * `deploy`: each sets CDKTF_OUTDIR for the app), an error of this library
 * that ends the user's app (a bad manifest from loadManifestFile, props
 * problems found at synthesis) prints its message alone: every problem once,
 * with file:line or the construct path and the fix, no stack trace and no
 * dump of the error object; the app exits 1. Other errors print as Node
 * prints them. Nothing changes outside a synthesis, or under APIKEYS_DEBUG=1
 * (Node's full report, with the stack).
 */
export function reportLibraryErrorsCleanly(env: NodeJS.ProcessEnv = process.env): void {
  if (env.CDKTF_OUTDIR === undefined || env.APIKEYS_DEBUG === '1') return;
  const global = globalThis as { [INSTALLED]?: boolean };
  if (global[INSTALLED]) return;
  global[INSTALLED] = true;
  process.on('uncaughtException', onUncaught);
}
