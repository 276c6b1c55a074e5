import { loadManifestFile } from '../../lib/manifest/loader';
import { VendorEmulator } from '../emulator/server';
import type { EmulatedOrganizationSpec } from '../emulator/vendors';
import { organizationsOfManifest, provisionEmulator } from './emulated-organizations';
import { organizationsOfApp, type EmulatorAppOptions } from './emulator-app';

export interface EmulatorCommandOptions {
  port: number;
  /** Hold the organizations this manifest names (with `app`: the manifest the app reads). */
  manifest?: string;
  /** Hold the organizations of the CDKTF app in `app.projectDir`. */
  app?: EmulatorAppOptions;
}

/**
 * `apikeys emulator [--port N] [--manifest PATH | --app [CMD] ...]`: serves
 * every emulated vendor on 127.0.0.1 until interrupted. The first stdout
 * line is one JSON object with each vendor's base URL and the credentials
 * it accepts; with a manifest or an app, the organizations they name exist
 * in the emulator and `env` holds the environment a deploy needs. The
 * organizations are read before the emulator starts, so a bad manifest or
 * a failed synthesis costs no port. Nothing else goes to stdout.
 */
export async function emulatorCommand(options: EmulatorCommandOptions): Promise<void> {
  const specs = await organizationsToHold(options);
  const emulator = await VendorEmulator.start({ port: options.port });
  try {
    const env = specs && provisionEmulator(emulator, specs, options.app ? 'the app' : 'the manifest');
    process.stdout.write(`${JSON.stringify({ ...emulator.describe(), ...(env ? { env } : {}) })}\n`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
  } finally {
    await emulator.stop();
  }
}

async function organizationsToHold(options: EmulatorCommandOptions): Promise<EmulatedOrganizationSpec[] | undefined> {
  if (options.app) return organizationsOfApp({ ...options.app, manifest: options.manifest });
  return options.manifest === undefined ? undefined : organizationsOfManifest(loadManifestFile(options.manifest));
}
