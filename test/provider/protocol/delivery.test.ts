/**
 * The gRPC layer tells the create ledger whether Terraform received an
 * ApplyResourceChange answer: a call that Terraform cancelled while the key
 * was being created leaves no key behind, and a delivered one is kept.
 */
import * as grpc from '@grpc/grpc-js';
import type { ApplyReceipt } from '../../../src/reconcile/create-ledger';
import { encodeMsgpack } from '../../../src/provider/cty/codec';
import { ProviderServer } from '../../../src/provider/framework/provider-server';
import type { ProviderDefinition, ResourceDefinition } from '../../../src/provider/framework/resource';
import { schemaType, type Schema } from '../../../src/provider/framework/schema';
import { startPluginServer, type RunningPlugin } from '../../../src/provider/protocol/grpc-server';
import { ProviderClient } from './grpc-client';
import { until } from './until';

type GenericClient = grpc.Client & Record<string, (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: unknown) => void) => grpc.ClientUnaryCall>;

const schema: Schema = {
  version: 0,
  description: 'a fake key',
  attributes: {
    id: { type: 'string', computed: true, description: 'id' },
    name: { type: 'string', required: true, description: 'name' },
  },
};

/** A vendor whose creates wait for the test to release them. */
class GatedVendor {
  readonly revoked: string[] = [];
  private releases: (() => void)[] = [];
  started = 0;
  private next = 1;

  async create(): Promise<string> {
    this.started++;
    await new Promise<void>((resolve) => this.releases.push(resolve));
    return `key_${this.next++}`;
  }

  releaseAll(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

const vendor = new GatedVendor();
const receipts: ApplyReceipt[] = [];

const fakeResource: ResourceDefinition<{ id: string | null; name: string | null }, object> = {
  typeName: 'fake_key',
  schema,
  describe: (state) => `fake key ${state.name}`,
  async create({ planned, receipt }) {
    receipts.push(receipt);
    const id = await vendor.create();
    receipt.recordCreated({ id, label: id, revoke: async () => void vendor.revoked.push(id) });
    return { id, name: planned.name };
  },
  read: async ({ current }) => current,
  delete: async () => undefined,
  importState: ({ id }) => ({ id }),
};

const definition: ProviderDefinition<object> = {
  typeName: 'fake',
  schema: { version: 0, description: 'fake', attributes: {} },
  configure: () => ({}),
  resources: [fakeResource],
  dataSources: [],
};


describe('ApplyResourceChange delivery', () => {
  let server: ProviderServer<object>;
  let plugin: RunningPlugin;
  let client: GenericClient;

  const apply = (name: string, callback: (error: grpc.ServiceError | null) => void): grpc.ClientUnaryCall =>
    client.ApplyResourceChange({
      type_name: 'fake_key',
      planned_state: { msgpack: encodeMsgpack({ id: null, name }, schemaType(schema)) },
      config: { msgpack: encodeMsgpack({ id: null, name }, schemaType(schema)) },
    }, new grpc.Metadata(), {}, callback);

  beforeAll(async () => {
    server = new ProviderServer(definition);
    plugin = await startPluginServer(server as ProviderServer<unknown>, {});
    client = new ProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure()) as unknown as GenericClient;
    await new Promise<void>((resolve, reject) => client.ConfigureProvider({ config: { msgpack: encodeMsgpack({}, ['object', {}]) } }, new grpc.Metadata(), {}, (error) => (error ? reject(error) : resolve())));
  });

  afterAll(async () => {
    client?.close();
    await plugin?.close();
  });

  test('a call cancelled while its key is being created: the key is revoked when it arrives', async () => {
    const done = new Promise<grpc.ServiceError | null>((resolve) => {
      const call = apply('cancelled', resolve);
      void until(() => vendor.started === 1).then(() => call.cancel());
    });
    expect((await done)?.code).toBe(grpc.status.CANCELLED);
    // The server learns of the cancellation through the connection: release the vendor once it has.
    await until(() => receipts[0].closing);
    vendor.releaseAll();
    await until(() => vendor.revoked.length === 1);
    expect(vendor.revoked).toEqual(['key_1']);
    expect(server.ledger.undeliveredCount).toBe(0);
  });

  test('a delivered answer keeps its key', async () => {
    const done = new Promise<grpc.ServiceError | null>((resolve) => apply('delivered', resolve));
    await until(() => vendor.started === 2);
    vendor.releaseAll();
    expect(await done).toBeNull();
    expect(vendor.revoked).toEqual(['key_1']);
    expect(server.ledger.undeliveredCount).toBe(0);
  });
});
