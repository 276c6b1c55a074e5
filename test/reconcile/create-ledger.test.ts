/**
 * The create ledger (src/reconcile/create-ledger.ts) on its own: receipts,
 * delivery, undeliverable answers, and Terraform going away under both exit
 * policies, with its deadline and the creates still in flight. How the gRPC
 * layer reports delivery is in test/provider/protocol/delivery.test.ts.
 */
import { CreateLedger, type CreatedKey } from '../../src/reconcile/create-ledger';

/** A vendor whose revocations the test can watch, fail or hold. */
class Vendor {
  readonly revoked: string[] = [];
  readonly failing = new Set<string>();
  readonly holding = new Set<string>();

  key(id: string): CreatedKey {
    return {
      id,
      label: `fake key ${id}`,
      revoke: async () => {
        if (this.holding.has(id)) await new Promise<never>(() => undefined);
        if (this.failing.has(id)) throw new Error(`HTTP 503 revoking ${id}`);
        this.revoked.push(id);
      },
    };
  }
}

/** A promise the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

let vendor: Vendor;
let warnings: { message: string; fields?: Record<string, unknown> }[];
let ledger: CreateLedger;

beforeEach(() => {
  vendor = new Vendor();
  warnings = [];
  ledger = new CreateLedger({ warn: (message, fields) => warnings.push({ message, fields }) });
});

afterEach(() => jest.useRealTimers());

describe('receipts and delivery', () => {
  test('a created key is undelivered (the ledger is busy) until its answer is delivered', () => {
    const receipt = ledger.receipt();
    expect(ledger.busy).toBe(false);
    receipt.recordCreated(vendor.key('k1'));
    expect([ledger.busy, ledger.undeliveredCount]).toEqual([true, 1]);
    receipt.delivered();
    expect([ledger.busy, ledger.undeliveredCount]).toEqual([false, 0]);
    expect([...ledger.ownIds]).toEqual(['k1']);
    expect(receipt.ownIds).toBe(ledger.ownIds);
  });

  test('an undeliverable answer revokes the call\'s keys at once, and any key the call makes later; other calls are not touched', async () => {
    const cancelled = ledger.receipt();
    const other = ledger.receipt();
    cancelled.recordCreated(vendor.key('k1'));
    other.recordCreated(vendor.key('k2'));
    cancelled.undeliverable();
    expect(cancelled.closing).toBe(true);
    expect(other.closing).toBe(false);
    expect(ledger.closing).toBe(false);
    cancelled.recordCreated(vendor.key('k3'));
    await settled();
    expect(vendor.revoked).toEqual(['k1', 'k3']);
    expect(ledger.undeliveredCount).toBe(1);
    expect([...ledger.ownIds].sort()).toEqual(['k1', 'k2', 'k3']);
    expect(warnings.map((warning) => warning.fields?.key)).toEqual(['fake key k1', 'fake key k3']);
    expect(warnings[0].message).toBe('revoked a key Terraform could not receive');
  });

  test('the first outcome of a receipt stands: delivered then cancelled keeps the key; cancelled then delivered does not bring it back', async () => {
    const delivered = ledger.receipt();
    delivered.recordCreated(vendor.key('kept'));
    delivered.delivered();
    delivered.undeliverable();
    const cancelled = ledger.receipt();
    cancelled.recordCreated(vendor.key('gone'));
    cancelled.undeliverable();
    cancelled.delivered();
    await settled();
    expect(vendor.revoked).toEqual(['gone']);
    expect(ledger.busy).toBe(false);
  });

  test('a create in flight keeps the ledger busy until it settles, whether it succeeds or fails', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const receipt = ledger.receipt();
    const tracked = receipt.track(first.promise);
    const failing = ledger.track(second.promise).catch((error: Error) => error.message);
    expect(ledger.busy).toBe(true);
    first.resolve('k1');
    await expect(tracked).resolves.toBe('k1');
    expect(ledger.busy).toBe(true);
    second.reject(new Error('refused'));
    await expect(failing).resolves.toBe('refused');
    expect(ledger.busy).toBe(false);
  });
});

describe('Terraform gone', () => {
  test('"created" (the default): every key this process created is revoked, delivered or not, and new creates stop', async () => {
    const one = ledger.receipt();
    one.recordCreated(vendor.key('delivered'));
    one.delivered();
    ledger.receipt().recordCreated(vendor.key('undelivered'));
    expect(ledger.exitRevocation).toBe('created');
    const report = await ledger.terraformGone(10_000);
    expect(report).toEqual({ revoked: ['undelivered', 'delivered'], failed: [], unfinished: 0 });
    expect(ledger.closing).toBe(true);
    expect(ledger.receipt().closing).toBe(true);
    expect(ledger.busy).toBe(false);
  });

  test('a rotation\'s new key, once delivered, is kept under both policies (the saved state tracks the old key through it); undelivered or undeliverable, it is revoked', async () => {
    const rotation = () => Object.assign(ledger.receipt(), { rotation: true });
    const delivered = rotation();
    delivered.recordCreated(vendor.key('rotated-delivered'));
    delivered.delivered();
    const deliveredFirst = rotation();
    deliveredFirst.delivered();
    deliveredFirst.recordCreated(vendor.key('rotated-delivered-first'));
    rotation().recordCreated(vendor.key('rotated-undelivered'));
    const cancelled = rotation();
    cancelled.recordCreated(vendor.key('rotated-cancelled'));
    cancelled.undeliverable();
    const plain = ledger.receipt();
    plain.recordCreated(vendor.key('created-delivered'));
    plain.delivered();
    expect(await ledger.terraformGone(10_000)).toEqual({ revoked: ['rotated-cancelled', 'rotated-undelivered', 'created-delivered'], failed: [], unfinished: 0 });
    expect(vendor.revoked).not.toContain('rotated-delivered');
    expect(vendor.revoked).not.toContain('rotated-delivered-first');
    expect(ledger.busy).toBe(false);
  });

  test('"undelivered": only keys whose answer never reached Terraform', async () => {
    ledger.exitRevocation = 'undelivered';
    const one = ledger.receipt();
    one.recordCreated(vendor.key('delivered'));
    one.delivered();
    ledger.receipt().recordCreated(vendor.key('undelivered'));
    expect(await ledger.terraformGone(10_000)).toEqual({ revoked: ['undelivered'], failed: [], unfinished: 0 });
    expect(vendor.revoked).toEqual(['undelivered']);
  });

  test('a revocation that fails is reported, and logged with its error, by the key\'s label', async () => {
    vendor.failing.add('k2');
    const receipt = ledger.receipt();
    receipt.recordCreated(vendor.key('k1'));
    receipt.recordCreated(vendor.key('k2'));
    expect(await ledger.terraformGone(10_000)).toEqual({ revoked: ['k1'], failed: ['k2'], unfinished: 0 });
    expect(warnings).toContainEqual({ message: 'could not revoke a key Terraform could not receive', fields: { key: 'fake key k2', error: 'HTTP 503 revoking k2' } });
  });

  test('a create in flight is waited for, and the key it brings is revoked as it arrives', async () => {
    const send = deferred<string>();
    const receipt = ledger.receipt();
    const tracked = receipt.track(send.promise).then((id) => receipt.recordCreated(vendor.key(id)));
    const gone = ledger.terraformGone(10_000);
    await settled();
    expect(vendor.revoked).toEqual([]);
    send.resolve('late');
    await tracked;
    expect(await gone).toEqual({ revoked: ['late'], failed: [], unfinished: 0 });
  });

  test('the deadline ends the wait: creates still in flight are counted, revocations still pending are in neither list', async () => {
    jest.useFakeTimers();
    vendor.holding.add('slow');
    ledger.receipt().recordCreated(vendor.key('slow'));
    ledger.receipt().recordCreated(vendor.key('quick'));
    ledger.track(new Promise(() => undefined));
    let report: unknown;
    void ledger.terraformGone(5_000).then((result) => {
      report = result;
    });
    await jest.advanceTimersByTimeAsync(4_999);
    expect(report).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(report).toEqual({ revoked: ['quick'], failed: [], unfinished: 1 });
    expect(jest.getTimerCount()).toBe(0);
  });

  test('with nothing to do it answers at once, and leaves no timer behind', async () => {
    jest.useFakeTimers();
    await expect(ledger.terraformGone(60_000)).resolves.toEqual({ revoked: [], failed: [], unfinished: 0 });
    expect(jest.getTimerCount()).toBe(0);
  });
});
