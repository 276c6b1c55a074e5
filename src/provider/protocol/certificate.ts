import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  bitString, boolean, explicit, implicitPrimitive, objectIdentifier, octetString, sequence, set,
  smallInteger, unsignedInteger, utcTime, utf8String,
} from './der';

/**
 * The provider's TLS identity for go-plugin's AutoMTLS: a fresh self-signed
 * certificate per process, which Terraform pins from the handshake line.
 *
 * Terraform dials with ServerName "localhost" and verifies the chain against
 * the pinned certificate itself, so it must be a CA for its own signature and
 * carry serverAuth (and clientAuth, as go-plugin's own certificates do).
 */
export interface ServerIdentity {
  certificateDer: Buffer;
  certificatePem: string;
  privateKeyPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  organizationName: '2.5.4.10',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(oid), boolean(true), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

function distinguishedName(): Buffer {
  return sequence(
    set(sequence(objectIdentifier(OID.organizationName), utf8String('cdktf-apikeys'))),
    set(sequence(objectIdentifier(OID.commonName), utf8String('localhost'))),
  );
}

function toPem(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

export function createServerIdentity(now = new Date(), validityHours = 24 * 30): ServerIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0] &= 0x7f;

  // digitalSignature (bit 0), keyEncipherment (bit 2), keyCertSign (bit 5): 0b10100100, 2 unused bits.
  const keyUsageBits = bitString(Buffer.from([0xa4]), 2);
  const subjectAltNames = sequence(
    implicitPrimitive(2, Buffer.from('localhost', 'ascii')),
    implicitPrimitive(7, Buffer.from([127, 0, 0, 1])),
  );

  const tbsCertificate = sequence(
    explicit(0, smallInteger(2)), // X.509 v3
    unsignedInteger(serial),
    signatureAlgorithm,
    distinguishedName(),
    sequence(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + validityHours * 3_600_000))),
    distinguishedName(),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      extension(OID.keyUsage, true, keyUsageBits),
      extension(OID.extendedKeyUsage, false, sequence(objectIdentifier(OID.serverAuth), objectIdentifier(OID.clientAuth))),
      extension(OID.subjectAltName, false, subjectAltNames),
    )),
  );

  const signature = sign('sha256', tbsCertificate, privateKey); // DER-encoded ECDSA signature
  const certificateDer = sequence(tbsCertificate, signatureAlgorithm, bitString(signature));
  return {
    certificateDer,
    certificatePem: toPem('CERTIFICATE', certificateDer),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
