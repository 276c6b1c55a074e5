import type { VendorEmulator } from '../../src/emulator/server';

/** The emulator's default organizations' credentials, under the provider's default variable names (its flat settings). */
export function emulatorCredentials(emulator: VendorEmulator): Record<string, string> {
  const { edgeimpulse, atlas } = emulator.describe().vendors;
  return {
    OPENAI_ADMIN_KEY: emulator.openai.bootstrapAdminKey,
    EI_API_KEY: String(edgeimpulse.apiKey),
    MONGODB_ATLAS_PUBLIC_KEY: String(atlas.publicKey),
    MONGODB_ATLAS_PRIVATE_KEY: String(atlas.privateKey),
  };
}
