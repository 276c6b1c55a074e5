import { setTimeout as sleep } from 'node:timers/promises';
import type { Inventory } from './inventory';

/**
 * Fresh listings for callers that each need one that started after they
 * asked: a vendor whose create answer lacks the key's details (Edge Impulse
 * answers only id and secret) is listed again after the create. Terraform
 * applies up to ten creates at once; those that finish within `windowMs` of
 * each other share one listing instead of listing once each.
 */
export class CoalescedRefresh<T> {
  private scheduled?: Promise<Map<string, T>>;

  constructor(private readonly inventory: Inventory<T>, private readonly windowMs = 25) {}

  /** Resolves to a listing that was sent after this call. */
  next(): Promise<Map<string, T>> {
    this.scheduled ??= (async () => {
      await sleep(this.windowMs);
      this.scheduled = undefined; // callers from now on need a listing that starts after them
      return this.inventory.refresh();
    })();
    return this.scheduled;
  }
}
