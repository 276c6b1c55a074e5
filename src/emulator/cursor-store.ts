/**
 * Records kept in creation order, paged the way OpenAI pages its lists:
 * `after` names the last id of the previous page. Deleted ids keep their
 * place, so a cursor that points at a key deleted between two pages still
 * works, as it does against a database-backed server.
 */
export interface CursorPage<T> {
  items: T[];
  hasMore: boolean;
}

export class CursorStore<T extends { id: string }> {
  /** In creation order (a Map iterates in insertion order), so no listing has to sort. */
  private readonly items = new Map<string, { record: T; seq: number }>();
  private readonly tombstones = new Map<string, number>();
  private nextSeq = 0;

  add(record: T): T {
    this.items.delete(record.id);
    this.items.set(record.id, { record, seq: this.nextSeq++ });
    return record;
  }

  get(id: string): T | undefined {
    return this.items.get(id)?.record;
  }

  delete(id: string): T | undefined {
    const entry = this.items.get(id);
    if (!entry) return undefined;
    this.items.delete(id);
    this.tombstones.set(id, entry.seq);
    return entry.record;
  }

  all(): T[] {
    return [...this.items.values()].map((entry) => entry.record);
  }

  /** The first record, in creation order, that satisfies the predicate. */
  find(predicate: (record: T) => boolean): T | undefined {
    for (const { record } of this.items.values()) if (predicate(record)) return record;
    return undefined;
  }

  get size(): number {
    return this.items.size;
  }

  /** Undefined when `after` names an id this store never held. */
  page(options: { after?: string; limit: number; order: 'asc' | 'desc'; filter?: (record: T) => boolean }): CursorPage<T> | undefined {
    const entries = [...this.items.values()].filter((entry) => !options.filter || options.filter(entry.record));
    if (options.order === 'desc') entries.reverse();
    let start = 0;
    if (options.after !== undefined) {
      const cursorSeq = this.items.get(options.after)?.seq ?? this.tombstones.get(options.after);
      if (cursorSeq === undefined) return undefined;
      start = entries.findIndex((entry) => (options.order === 'asc' ? entry.seq > cursorSeq : entry.seq < cursorSeq));
      if (start === -1) start = entries.length;
    }
    const slice = entries.slice(start, start + options.limit);
    return { items: slice.map((entry) => entry.record), hasMore: start + options.limit < entries.length };
  }
}
