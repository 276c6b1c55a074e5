import { CoalescedRefresh } from '../../src/reconcile/coalesced-refresh';
import { Inventory } from '../../src/reconcile/inventory';

function countingInventory() {
  let listings = 0;
  const inventory = new Inventory<{ id: string }>(async () => {
    listings++;
    return [{ id: `listing-${listings}` }];
  }, (item) => item.id);
  return { inventory, listings: () => listings };
}

describe('CoalescedRefresh', () => {
  test('callers within the window share one listing, which becomes the inventory\'s', async () => {
    const { inventory, listings } = countingInventory();
    const refresh = new CoalescedRefresh(inventory, 20);
    const results = await Promise.all([refresh.next(), refresh.next(), refresh.next()]);
    expect(listings()).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect([...(await inventory.all()).keys()]).toEqual(['listing-1']);
  });

  test('a caller after the listing started gets a listing that starts after it', async () => {
    const { inventory, listings } = countingInventory();
    const refresh = new CoalescedRefresh(inventory, 5);
    const first = refresh.next();
    await new Promise((resolve) => setTimeout(resolve, 15));
    const second = refresh.next();
    expect([...(await first).keys()]).toEqual(['listing-1']);
    expect([...(await second).keys()]).toEqual(['listing-2']);
    expect(listings()).toBe(2);
  });

  test('a failed listing fails its callers, and the next caller lists again', async () => {
    let fail = true;
    const inventory = new Inventory<{ id: string }>(async () => {
      if (fail) throw new Error('vendor down');
      return [{ id: 'ok' }];
    }, (item) => item.id);
    const refresh = new CoalescedRefresh(inventory, 1);
    await expect(refresh.next()).rejects.toThrow('vendor down');
    fail = false;
    expect([...(await refresh.next()).keys()]).toEqual(['ok']);
  });
});
