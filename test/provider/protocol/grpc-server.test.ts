import * as grpc from '@grpc/grpc-js';
import { ProviderServer } from '../../../src/provider/framework/provider-server';
import { apiKeysProvider } from '../../../src/provider/provider';
import { createServerIdentity, type ServerIdentity } from '../../../src/provider/protocol/certificate';
import { startPluginServer, type RunningPlugin } from '../../../src/provider/protocol/grpc-server';
import { ControllerClient, ProviderClient } from './grpc-client';
import { until } from './until';

type Callback = (error: grpc.ServiceError | null, response: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
type GenericClient = grpc.Client & Record<string, (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback) => void>;


function serverCertificatePem(handshake: string): string {
  const base64 = handshake.split('|')[5];
  const body = Buffer.from(base64, 'base64').toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
}

function call<T>(client: GenericClient, method: string, request: object = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method](request, new grpc.Metadata(), { deadline: Date.now() + 5_000 }, (error, response) => (error ? reject(error) : resolve(response as T)));
  });
}

const channelOptions = { 'grpc.ssl_target_name_override': 'localhost' };

interface ProtoAttribute {
  name: string;
  type: Buffer;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}
interface ProtoSchema { block: { attributes: ProtoAttribute[] } }
interface SchemaResponse { provider: ProtoSchema; resource_schemas: Record<string, ProtoSchema> }

const attribute = (schema: ProtoSchema, name: string): ProtoAttribute => {
  const found = schema.block.attributes.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no attribute ${name}`);
  return found;
};

describe('startPluginServer with mutual TLS', () => {
  let terraformIdentity: ServerIdentity;
  let plugin: RunningPlugin;
  const onShutdown = jest.fn();
  const clients: grpc.Client[] = [];

  const secureClient = <C extends grpc.ServiceClientConstructor>(Constructor: C, identity?: ServerIdentity): GenericClient => {
    const credentials = grpc.credentials.createSsl(
      Buffer.from(serverCertificatePem(plugin.handshake)),
      identity ? Buffer.from(identity.privateKeyPem) : null,
      identity ? Buffer.from(identity.certificatePem) : null,
    );
    const client = new Constructor(`127.0.0.1:${plugin.port}`, credentials, channelOptions) as unknown as GenericClient;
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    terraformIdentity = createServerIdentity();
    plugin = await startPluginServer(new ProviderServer(apiKeysProvider), { clientCertificatePem: terraformIdentity.certificatePem }, { onShutdown });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await plugin?.close();
  });

  test('the handshake line names the bound port and pins a certificate', () => {
    const fields = plugin.handshake.split('|');
    expect(fields).toHaveLength(6);
    expect(fields.slice(0, 5)).toEqual(['1', '6', 'tcp', `127.0.0.1:${plugin.port}`, 'grpc']);
    expect(plugin.port).toBeGreaterThan(0);
  });

  test('GetProviderSchema over mutual TLS returns the provider and resource schemas', async () => {
    const client = secureClient(ProviderClient, terraformIdentity);
    const response = await call<SchemaResponse>(client, 'GetProviderSchema');

    const adminKey = attribute(response.provider, 'openai_admin_key');
    expect(adminKey.sensitive).toBe(true);
    expect(adminKey.optional).toBe(true);
    expect(Buffer.from(adminKey.type).toString('utf8')).toBe('"string"');

    const resource = response.resource_schemas.apikeys_openai_admin_key;
    expect(resource).toBeDefined();
    const secret = attribute(resource, 'secret');
    expect(secret.computed).toBe(true);
    expect(secret.sensitive).toBe(true);
    expect(secret.required ?? false).toBe(false);

    const name = attribute(resource, 'name');
    expect(name.required).toBe(true);
    expect(name.computed ?? false).toBe(false);
    expect(Buffer.from(name.type).toString('utf8')).toBe('"string"');

    expect(Buffer.from(attribute(resource, 'expires_in_seconds').type).toString('utf8')).toBe('"number"');
    expect(Buffer.from(attribute(resource, 'created_at').type).toString('utf8')).toBe('"number"');
    for (const each of resource.block.attributes) {
      expect(['"string"', '"number"', '"bool"', '["map","string"]', '["list","string"]']).toContain(Buffer.from(each.type).toString('utf8'));
    }
  });

  test('GetMetadata lists the resource types', async () => {
    const client = secureClient(ProviderClient, terraformIdentity);
    const response = await call<{ resources: { type_name: string }[] }>(client, 'GetMetadata');
    expect(response.resources.map((resource) => resource.type_name)).toContain('apikeys_openai_admin_key');
  });

  test('a client without a client certificate cannot call', async () => {
    const client = secureClient(ProviderClient);
    const failure = await call(client, 'GetProviderSchema').then(() => undefined, (error: grpc.ServiceError) => error);
    expect(failure).toBeDefined();
    expect(failure!.code).not.toBe(grpc.status.OK);
    expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.UNAUTHENTICATED]).toContain(failure!.code);
  });

  test('a client certificate the plugin does not trust cannot call', async () => {
    const client = secureClient(ProviderClient, createServerIdentity());
    const failure = await call(client, 'GetProviderSchema').then(() => undefined, (error: grpc.ServiceError) => error);
    expect(failure).toBeDefined();
    expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.UNAUTHENTICATED]).toContain(failure!.code);
  });

  test('Shutdown on plugin.GRPCController answers and then invokes onShutdown', async () => {
    const controller = secureClient(ControllerClient, terraformIdentity);
    const response = await call<object>(controller, 'Shutdown');
    expect(response).toEqual({});
    await until(() => onShutdown.mock.calls.length > 0);
    expect(onShutdown).toHaveBeenCalledTimes(1);
  });
});

describe('startPluginServer without TLS', () => {
  test('serves plaintext and prints a five-field handshake when no client certificate is given', async () => {
    const plugin = await startPluginServer(new ProviderServer(apiKeysProvider), {});
    const client = new ProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure()) as unknown as GenericClient;
    try {
      expect(plugin.handshake).toBe(`1|6|tcp|127.0.0.1:${plugin.port}|grpc`);
      const response = await call<SchemaResponse>(client, 'GetProviderSchema');
      expect(attribute(response.provider, 'openai_admin_key').sensitive).toBe(true);
    } finally {
      client.close();
      await plugin.close();
    }
  });

  test('an unconfigured provider answers calls with diagnostics, not transport errors', async () => {
    const plugin = await startPluginServer(new ProviderServer(apiKeysProvider), {});
    const client = new ProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure()) as unknown as GenericClient;
    try {
      const response = await call<{ diagnostics: { summary: string; severity: string | number }[] }>(client, 'ReadResource', { type_name: 'apikeys_openai_admin_key' });
      expect(response.diagnostics.map((diagnostic) => diagnostic.summary)).toContain('Provider not configured');
    } finally {
      client.close();
      await plugin.close();
    }
  });

  test('a handler that throws answers INTERNAL with the RPC name and the cause; validation answers a bad value with a diagnostic', async () => {
    const plugin = await startPluginServer(new ProviderServer(apiKeysProvider), {});
    const client = new ProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure()) as unknown as GenericClient;
    try {
      // A state with {name: 42}: a number where the schema says string, which the codec rejects.
      const failure = await call(client, 'UpgradeResourceState', { type_name: 'apikeys_openai_admin_key', version: 0, raw_state: { json: Buffer.from('{"name":42}') } })
        .then(() => undefined, (error: grpc.ServiceError) => error);
      expect(failure?.code).toBe(grpc.status.INTERNAL);
      expect(failure?.details).toBe('apikeys provider: UpgradeResourceState failed: expected string, got number at name');

      // The same value in a configuration is the user's mistake: a diagnostic naming the attribute.
      const config = { msgpack: Buffer.from([0x81, 0xa4, 0x6e, 0x61, 0x6d, 0x65, 0x2a]) };
      const response = await call<{ diagnostics: { summary: string }[] }>(client, 'ValidateResourceConfig', { type_name: 'apikeys_openai_admin_key', config });
      expect(response.diagnostics.map((diagnostic) => diagnostic.summary)).toEqual(['Invalid name']);
    } finally {
      client.close();
      await plugin.close();
    }
  });
});
