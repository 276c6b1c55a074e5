import { Inventory, InventoryRegistry } from '../../src/reconcile/inventory';

interface Key { id: string; name: string }

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const keys = (...ids: string[]): Key[] => ids.map((id) => ({ id, name: `name-${id}` }));

describe('Inventory', () => {
  test('10 concurrent finds share one listing', async () => {
    const pending = deferred<Key[]>();
    const list = jest.fn(() => pending.promise);
    const inventory = new Inventory(list, (key: Key) => key.id);

    const finds = Array.from({ length: 10 }, (_, index) => inventory.find(`k${index}`));
    pending.resolve(keys('k0', 'k3', 'k9'));
    const found = await Promise.all(finds);

    expect(list).toHaveBeenCalledTimes(1);
    expect(inventory.listingCount).toBe(1);
    expect(found.map((key) => key?.id ?? null)).toEqual(['k0', null, null, 'k3', null, null, null, null, null, 'k9']);
  });

  test('later finds reuse the cached listing', async () => {
    const list = jest.fn(async () => keys('a', 'b'));
    const inventory = new Inventory(list, (key: Key) => key.id);
    expect((await inventory.find('a'))?.name).toBe('name-a');
    expect(await inventory.find('zzz')).toBeUndefined();
    expect([...(await inventory.all()).keys()]).toEqual(['a', 'b']);
    expect(list).toHaveBeenCalledTimes(1);
  });

  test('no listing happens until something is asked', () => {
    const list = jest.fn(async () => keys('a'));
    const inventory = new Inventory(list, (key: Key) => key.id);
    inventory.recordCreated({ id: 'x', name: 'x' });
    inventory.recordDeleted('a');
    expect(list).not.toHaveBeenCalled();
    expect(inventory.listingCount).toBe(0);
  });

  test('recordCreated adds to the cached listing without listing again', async () => {
    const list = jest.fn(async () => keys('a'));
    const inventory = new Inventory(list, (key: Key) => key.id);
    await inventory.all();
    inventory.recordCreated({ id: 'new', name: 'fresh' });
    expect(await inventory.find('new')).toEqual({ id: 'new', name: 'fresh' });
    expect(await inventory.find('a')).toBeDefined();
    expect(list).toHaveBeenCalledTimes(1);
  });

  test('recordDeleted removes from the cached listing without listing again', async () => {
    const list = jest.fn(async () => keys('a', 'b'));
    const inventory = new Inventory(list, (key: Key) => key.id);
    await inventory.all();
    inventory.recordDeleted('a');
    expect(await inventory.find('a')).toBeUndefined();
    expect(await inventory.find('b')).toBeDefined();
    expect(list).toHaveBeenCalledTimes(1);
  });

  test('writes recorded while the listing is in flight apply on top of it', async () => {
    const pending = deferred<Key[]>();
    const list = jest.fn(() => pending.promise);
    const inventory = new Inventory(list, (key: Key) => key.id);
    const early = inventory.find('created');
    inventory.recordCreated({ id: 'created', name: 'c' });
    inventory.recordDeleted('stale');
    pending.resolve(keys('stale', 'kept'));
    await early;
    const all = await inventory.all();
    expect([...all.keys()].sort()).toEqual(['created', 'kept']);
    expect(list).toHaveBeenCalledTimes(1);
  });

  test('refresh() lists again and replaces the cache', async () => {
    let generation = 0;
    const list = jest.fn(async () => (++generation === 1 ? keys('old') : keys('new')));
    const inventory = new Inventory(list, (key: Key) => key.id);
    expect(await inventory.find('old')).toBeDefined();
    const refreshed = await inventory.refresh();
    expect([...refreshed.keys()]).toEqual(['new']);
    expect(await inventory.find('old')).toBeUndefined();
    expect(await inventory.find('new')).toBeDefined();
    expect(list).toHaveBeenCalledTimes(2);
    expect(inventory.listingCount).toBe(2);
  });

  test('a failing listing rejects every waiter, with one call', async () => {
    const pending = deferred<Key[]>();
    const list = jest.fn(() => pending.promise);
    const inventory = new Inventory(list, (key: Key) => key.id);
    const finds = Array.from({ length: 5 }, (_, index) => inventory.find(`k${index}`));
    const failure = new Error('HTTP 503');
    pending.reject(failure);
    const results = await Promise.allSettled(finds);
    expect(results.every((result) => result.status === 'rejected' && result.reason === failure)).toBe(true);
    expect(list).toHaveBeenCalledTimes(1);
  });

  test('refresh() recovers after a failed listing', async () => {
    const list = jest.fn<Promise<Key[]>, []>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValueOnce(keys('a'));
    const inventory = new Inventory(list, (key: Key) => key.id);
    await expect(inventory.find('a')).rejects.toThrow('down');
    await inventory.refresh();
    expect(await inventory.find('a')).toBeDefined();
    expect(list).toHaveBeenCalledTimes(2);
  });
});

describe('InventoryRegistry', () => {
  test('one inventory per scope', async () => {
    const registry = new InventoryRegistry();
    const listA = jest.fn(async () => keys('a'));
    const listB = jest.fn(async () => keys('b'));
    const first = registry.get('openai:org-a', listA, (key: Key) => key.id);
    const again = registry.get('openai:org-a', jest.fn(async () => keys('other')), (key: Key) => key.id);
    const other = registry.get('openai:org-b', listB, (key: Key) => key.id);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(await again.find('a')).toBeDefined();
    expect(await other.find('b')).toBeDefined();
    expect(listA).toHaveBeenCalledTimes(1);
    expect(listB).toHaveBeenCalledTimes(1);
  });
});
