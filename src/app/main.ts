/**
 * The repository's own CDKTF app (cdktf.json runs it): one stack, "apikeys",
 * holding the keys of one manifest.
 *
 * Manifest: --manifest <path>, else $APIKEYS_MANIFEST, else examples/apikeys.yaml.
 * State: $APIKEYS_STATE_FILE when set (the demo uses a scratch file), else
 * cdktf's default local state, terraform.apikeys.tfstate.
 * Exit 1 with a message (no stack trace unless APIKEYS_DEBUG=1) on any problem.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { resolve } from 'node:path';
import { ManifestError, loadManifestFile } from '../../lib/manifest/loader';
import { ManifestKeys } from '../../lib/manifest/manifest-keys';
import { PropsValidationError } from '../../lib/constructs/validation';
import { redact } from '../core/security/redaction';
import { DEFAULT_MANIFEST, STACK_NAME } from './main-constants';


function manifestPath(argv: string[], env: NodeJS.ProcessEnv): string {
  const flag = argv.indexOf('--manifest');
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1];
  return env.APIKEYS_MANIFEST || DEFAULT_MANIFEST;
}

function main(): void {
  const app = new App();
  const stack = new TerraformStack(app, STACK_NAME);
  if (process.env.APIKEYS_STATE_FILE) new LocalBackend(stack, { path: resolve(process.env.APIKEYS_STATE_FILE) });
  new ManifestKeys(stack, 'keys', { manifest: loadManifestFile(manifestPath(process.argv, process.env)) });
  app.synth();
}

/**
 * Any problem ends the app with its message and exit 1, never a stack trace:
 * the input is untrusted and the message says what to fix. APIKEYS_DEBUG=1
 * adds the stack, for debugging this package.
 */
function fail(error: unknown): never {
  const debug = process.env.APIKEYS_DEBUG === '1';
  const known = error instanceof ManifestError || error instanceof PropsValidationError;
  const message = error instanceof Error ? error.message : String(error);
  const text = debug && error instanceof Error && error.stack ? error.stack : known ? message : `apikeys app: ${message}`;
  process.stderr.write(`${redact(text)}\n${debug || known ? '' : 'Set APIKEYS_DEBUG=1 to see where it happened.\n'}`);
  process.exit(1);
}

try {
  main();
} catch (error) {
  fail(error);
}
