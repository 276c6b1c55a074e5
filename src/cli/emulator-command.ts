import { loadManifestFile } from '../../lib/manifest/loader';
import { provisionForManifest } from '../emulator/provision';
import { VendorEmulator } from '../emulator/server';

/**
 * `apikeys emulator [--port N] [--manifest PATH]`: serves every emulated
 * vendor on 127.0.0.1 until interrupted. The first stdout line is one JSON
 * object with each vendor's base URL and the credentials it accepts; with a
 * manifest, the organizations it names exist in the emulator and `env` holds
 * the environment a deploy of that manifest needs. Nothing else goes to stdout.
 */
export async function emulatorCommand(options: { port: number; manifest?: string }): Promise<void> {
  const manifest = options.manifest === undefined ? undefined : loadManifestFile(options.manifest);
  const emulator = await VendorEmulator.start({ port: options.port });
  const env = manifest && provisionForManifest(emulator, manifest);
  process.stdout.write(`${JSON.stringify({ ...emulator.describe(), ...(env ? { env } : {}) })}\n`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await emulator.stop();
}
