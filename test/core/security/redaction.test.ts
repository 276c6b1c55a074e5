import { VendorEmulator } from '../../../src/emulator/server';
import { VENDOR_FACTS } from '../../../src/core/facts';
import { AGE_IDENTITY_FORMATS } from '../../../src/core/facts/secret-formats';
import { secretPatterns } from '../../../src/core/security/secret-patterns';
import { redact } from '../../../src/core/security/redaction';

/**
 * Redaction knows every vendor's key formats from the facts (one list, in
 * src/core/security/secret-patterns.ts), so a secret this process never saw is
 * still scrubbed: here, each kind of secret the emulator makes in the
 * vendors' formats.
 */
let emulator: VendorEmulator;

beforeAll(async () => {
  emulator = await VendorEmulator.start();
});

afterAll(async () => {
  await emulator.stop();
});

test('the redactor uses exactly the facts\' patterns', () => {
  expect(secretPatterns().map((pattern) => pattern.source)).toEqual([...VENDOR_FACTS.flatMap((facts) => facts.secretPatterns), ...AGE_IDENTITY_FORMATS]);
});

test('every kind of vendor secret is scrubbed from text without having been registered', () => {
  const { projects } = emulator.openai;
  const atlas = emulator.atlas.organizations[0];
  const secrets = {
    openaiAdmin: emulator.openai.addAdminKey('fresh').value,
    openaiProject: projects.addUserKey(projects.defaultProjectId, { name: 'fresh' }).value,
    openaiServiceAccount: projects.createServiceAccount(projects.defaultProjectId, 'fresh').key!.value,
    edgeImpulse: emulator.edgeimpulse.addKey(emulator.edgeimpulse.defaultOrganization.id, { name: 'fresh' }).apiKey,
    atlasPrivateKey: emulator.atlas.addKey(atlas.id, { desc: 'fresh', roles: ['ORG_MEMBER'] }).privateKey,
    atlasClientSecret: atlas.serviceAccount.clientSecret,
  };
  for (const [kind, secret] of Object.entries(secrets)) {
    const scrubbed = redact(`the vendor said: bad key ${secret}, try again`);
    expect({ kind, leaked: scrubbed.includes(secret) }).toEqual({ kind, leaked: false });
    expect(scrubbed).toContain('[redacted]');
  }
});
