import { VendorEmulator } from '../emulator/server';

/**
 * `apikeys emulator [--port N]`: serves every emulated vendor on 127.0.0.1
 * until interrupted. The first stdout line is one JSON object with each
 * vendor's base URL and the credentials it accepts; nothing else goes to stdout.
 */
export async function emulatorCommand(options: { port: number }): Promise<void> {
  const emulator = await VendorEmulator.start({ port: options.port });
  process.stdout.write(`${JSON.stringify(emulator.describe())}\n`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await emulator.stop();
}
