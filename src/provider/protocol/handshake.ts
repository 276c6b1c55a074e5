/**
 * go-plugin's launch contract with Terraform: the magic cookie that proves
 * Terraform started us, the protocol version offer, AutoMTLS's client
 * certificate, and the one handshake line we print on stdout.
 */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
export const PROTOCOL_VERSION = 6;
const CORE_PROTOCOL_VERSION = 1;

export interface LaunchSettings {
  /** PEM of the certificate Terraform will present; absent when the user set TF_DISABLE_PLUGIN_TLS. */
  clientCertificatePem?: string;
}

export class LaunchError extends Error {
  readonly code = 'APIKEYS_ERR_LAUNCH';
}

export function readLaunchSettings(env: NodeJS.ProcessEnv): LaunchSettings {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new LaunchError(
      'This is the apikeys Terraform provider. Terraform starts it; it is not meant to be run by hand.\n' +
      'Install it with "npx apikeys install-provider" and use it from a Terraform or CDKTF configuration.',
    );
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? '').split(',').map((version) => Number(version.trim()));
  if (!offered.includes(PROTOCOL_VERSION)) {
    throw new LaunchError(`The apikeys provider speaks plugin protocol ${PROTOCOL_VERSION}, which this Terraform does not offer (it offers ${env.PLUGIN_PROTOCOL_VERSIONS || 'none'}). Use Terraform 1.11 or later.`);
  }
  return { clientCertificatePem: env.PLUGIN_CLIENT_CERT || undefined };
}

/**
 * CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT. go-plugin decodes CERT with Go's
 * RawStdEncoding, so the base64 must carry no padding.
 */
export function handshakeLine(port: number, serverCertificateDer?: Buffer): string {
  const fields = [CORE_PROTOCOL_VERSION, PROTOCOL_VERSION, 'tcp', `127.0.0.1:${port}`, 'grpc'];
  if (serverCertificateDer) fields.push(serverCertificateDer.toString('base64').replace(/=+$/, ''));
  return fields.join('|');
}
