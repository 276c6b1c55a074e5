/**
 * One organization's keys, listed once per provider process and shared.
 *
 * Terraform refreshes every instance in parallel (ReadResource, ten at a
 * time by default). Each read asks the inventory; the first starts the
 * listing, the others wait for the same promise, so a plan makes one
 * paginated listing per organization instead of one GET per key. The
 * provider's own writes update the cached listing instead of listing again.
 */
export class Inventory<T> {
  private listing?: Promise<Map<string, T>>;
  /** When the cached listing was requested, and whether it failed. */
  private listedAt = 0;
  private listingFailed = false;
  private listings = 0;

  constructor(
    private readonly list: () => Promise<T[]>,
    private readonly idOf: (item: T) => string,
  ) {}

  /** Every key, by id. */
  all(): Promise<Map<string, T>> {
    return (this.listing ??= this.start());
  }

  async find(id: string): Promise<T | undefined> {
    return (await this.all()).get(id);
  }

  /** Lists again, ignoring the cache: for checks that must see the vendor's latest state. */
  refresh(): Promise<Map<string, T>> {
    return (this.listing = this.start());
  }

  /**
   * A listing requested at most `maxAgeMs` ago: the cached one, or a fresh
   * one that concurrent callers share. The provider's own writes since are
   * in it (recordCreated, recordDeleted).
   */
  recent(maxAgeMs: number): Promise<Map<string, T>> {
    if (this.listing && !this.listingFailed && Date.now() - this.listedAt <= maxAgeMs) return this.listing;
    return this.refresh();
  }

  /**
   * A fresh listing that replaces the cache only when it succeeds: a failed
   * re-list (while recovering a lost create) must not break later reads.
   */
  async relist(): Promise<Map<string, T>> {
    const requestedAt = Date.now();
    const items = await this.load();
    if (requestedAt >= this.listedAt) {
      this.listing = Promise.resolve(items);
      this.listedAt = requestedAt;
      this.listingFailed = false;
    }
    return new Map(items);
  }

  recordCreated(item: T): void {
    if (this.listing) this.listing = this.keep(this.listing.then((items) => items.set(this.idOf(item), item)));
  }

  recordDeleted(id: string): void {
    if (this.listing) {
      this.listing = this.keep(this.listing.then((items) => {
        items.delete(id);
        return items;
      }));
    }
  }

  private start(): Promise<Map<string, T>> {
    this.listedAt = Date.now();
    this.listingFailed = false;
    return this.keep(this.load());
  }

  /**
   * A failed listing is kept (every later read reports the same error), but
   * it must not count as unhandled when nobody reads again: Node would end
   * the provider process, mid-apply, for an unhandled rejection.
   */
  private keep(listing: Promise<Map<string, T>>): Promise<Map<string, T>> {
    listing.catch(() => {
      if (this.listing === listing) this.listingFailed = true;
    });
    return listing;
  }

  /** How many listings this inventory has made (for tests and benchmarks). */
  get listingCount(): number {
    return this.listings;
  }

  private async load(): Promise<Map<string, T>> {
    this.listings++;
    const items = await this.list();
    return new Map(items.map((item) => [this.idOf(item), item]));
  }
}

/** The inventories of one provider process, one per organization (or project) and key family. */
export class InventoryRegistry {
  private readonly inventories = new Map<string, Inventory<unknown>>();

  get<T>(scope: string, list: () => Promise<T[]>, idOf: (item: T) => string): Inventory<T> {
    let inventory = this.inventories.get(scope) as Inventory<T> | undefined;
    if (!inventory) {
      inventory = new Inventory(list, idOf);
      this.inventories.set(scope, inventory as Inventory<unknown>);
    }
    return inventory;
  }
}
