import { X509Certificate } from 'node:crypto';
import { createServerIdentity } from '../../../src/provider/protocol/certificate';
import {
  LaunchError, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PROTOCOL_VERSION, handshakeLine, readLaunchSettings,
} from '../../../src/provider/protocol/handshake';

const cookie = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE };

describe('readLaunchSettings', () => {
  test('throws LaunchError without the magic cookie', () => {
    expect(() => readLaunchSettings({ PLUGIN_PROTOCOL_VERSIONS: '6' })).toThrow(LaunchError);
    expect(() => readLaunchSettings({ PLUGIN_PROTOCOL_VERSIONS: '6' })).toThrow(/not meant to be run by hand/);
  });

  test('throws LaunchError with a wrong magic cookie', () => {
    expect(() => readLaunchSettings({ [MAGIC_COOKIE_KEY]: 'nope', PLUGIN_PROTOCOL_VERSIONS: '6' })).toThrow(LaunchError);
  });

  test('LaunchError carries its code', () => {
    try {
      readLaunchSettings({});
      throw new Error('expected a LaunchError');
    } catch (error) {
      expect(error).toBeInstanceOf(LaunchError);
      expect((error as LaunchError).code).toBe('APIKEYS_ERR_LAUNCH');
    }
  });

  test('throws LaunchError when protocol 6 is not offered', () => {
    expect(() => readLaunchSettings({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '4,5' })).toThrow(LaunchError);
    expect(() => readLaunchSettings({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '4,5' })).toThrow(/offers 4,5/);
    expect(() => readLaunchSettings({ ...cookie })).toThrow(/offers none/);
    expect(() => readLaunchSettings({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '60' })).toThrow(LaunchError);
  });

  test('accepts 6 among other versions, with spaces', () => {
    expect(readLaunchSettings({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '5, 6' })).toEqual({ clientCertificatePem: undefined });
  });

  test('returns the client certificate', () => {
    const pem = createServerIdentity().certificatePem;
    expect(readLaunchSettings({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: pem }).clientCertificatePem).toBe(pem);
  });

  test('an empty client certificate means none', () => {
    expect(readLaunchSettings({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: '' }).clientCertificatePem).toBeUndefined();
  });
});

describe('handshakeLine', () => {
  test('has six fields with the unpadded base64 certificate', () => {
    const { certificateDer } = createServerIdentity();
    const line = handshakeLine(43123, certificateDer);
    const fields = line.split('|');
    expect(fields).toHaveLength(6);
    expect(fields.slice(0, 5)).toEqual(['1', String(PROTOCOL_VERSION), 'tcp', '127.0.0.1:43123', 'grpc']);
    expect(fields[1]).toBe('6');
    expect(fields[5]).not.toContain('=');
    expect(fields[5]).toMatch(/^[A-Za-z0-9+/]+$/);
    const decoded = Buffer.from(fields[5], 'base64');
    expect(decoded.equals(certificateDer)).toBe(true);
    expect(new X509Certificate(decoded).checkHost('localhost')).toBe('localhost');
  });

  test('strips padding for every DER length remainder', () => {
    for (const length of [30, 31, 32]) {
      const der = Buffer.alloc(length, 7);
      const cert = handshakeLine(1, der).split('|')[5];
      expect(cert).not.toContain('=');
      expect(Buffer.from(cert, 'base64').equals(der)).toBe(true);
    }
  });

  test('without a certificate it has five fields', () => {
    expect(handshakeLine(5000)).toBe('1|6|tcp|127.0.0.1:5000|grpc');
    expect(handshakeLine(5000).split('|')).toHaveLength(5);
  });
});
