import { CursorStore } from '../../src/emulator/cursor-store';

interface Record { id: string; tag?: string }

function storeOf(count: number): CursorStore<Record> {
  const store = new CursorStore<Record>();
  for (let index = 1; index <= count; index++) store.add({ id: `r${index}`, tag: index % 2 === 0 ? 'even' : 'odd' });
  return store;
}

const ids = (page: { items: Record[] } | undefined) => page?.items.map((item) => item.id);

describe('CursorStore', () => {
  test('add, get, size and all in creation order', () => {
    const store = storeOf(3);
    expect(store.size).toBe(3);
    expect(store.get('r2')).toEqual({ id: 'r2', tag: 'even' });
    expect(store.get('nope')).toBeUndefined();
    expect(store.all().map((item) => item.id)).toEqual(['r1', 'r2', 'r3']);
  });

  test('delete removes and returns the record, once', () => {
    const store = storeOf(3);
    expect(store.delete('r2')).toEqual({ id: 'r2', tag: 'even' });
    expect(store.delete('r2')).toBeUndefined();
    expect(store.size).toBe(2);
    expect(store.all().map((item) => item.id)).toEqual(['r1', 'r3']);
  });

  test('pages ascending with after cursors and has_more', () => {
    const store = storeOf(5);
    const first = store.page({ limit: 2, order: 'asc' });
    expect(ids(first)).toEqual(['r1', 'r2']);
    expect(first?.hasMore).toBe(true);
    const second = store.page({ after: 'r2', limit: 2, order: 'asc' });
    expect(ids(second)).toEqual(['r3', 'r4']);
    expect(second?.hasMore).toBe(true);
    const third = store.page({ after: 'r4', limit: 2, order: 'asc' });
    expect(ids(third)).toEqual(['r5']);
    expect(third?.hasMore).toBe(false);
  });

  test('a page that ends exactly at the last record has no more', () => {
    const page = storeOf(4).page({ after: 'r2', limit: 2, order: 'asc' });
    expect(ids(page)).toEqual(['r3', 'r4']);
    expect(page?.hasMore).toBe(false);
  });

  test('pages descending', () => {
    const store = storeOf(5);
    expect(ids(store.page({ limit: 2, order: 'desc' }))).toEqual(['r5', 'r4']);
    const next = store.page({ after: 'r4', limit: 2, order: 'desc' });
    expect(ids(next)).toEqual(['r3', 'r2']);
    expect(next?.hasMore).toBe(true);
    expect(ids(store.page({ after: 'r2', limit: 5, order: 'desc' }))).toEqual(['r1']);
  });

  test('a cursor naming a deleted record keeps its place', () => {
    const store = storeOf(5);
    store.delete('r3');
    expect(ids(store.page({ after: 'r3', limit: 10, order: 'asc' }))).toEqual(['r4', 'r5']);
    expect(ids(store.page({ after: 'r3', limit: 10, order: 'desc' }))).toEqual(['r2', 'r1']);
  });

  test('a cursor after the last record gives an empty page', () => {
    const page = storeOf(3).page({ after: 'r3', limit: 10, order: 'asc' });
    expect(page).toEqual({ items: [], hasMore: false });
  });

  test('an unknown cursor gives undefined', () => {
    expect(storeOf(3).page({ after: 'never', limit: 10, order: 'asc' })).toBeUndefined();
  });

  test('a filter applies before paging', () => {
    const store = storeOf(6);
    const page = store.page({ limit: 2, order: 'asc', filter: (record) => record.tag === 'even' });
    expect(ids(page)).toEqual(['r2', 'r4']);
    expect(page?.hasMore).toBe(true);
    expect(ids(store.page({ after: 'r4', limit: 2, order: 'asc', filter: (record) => record.tag === 'even' }))).toEqual(['r6']);
  });

  test('records added after a page continue from the cursor', () => {
    const store = storeOf(2);
    const first = store.page({ limit: 2, order: 'asc' });
    store.add({ id: 'r3' });
    expect(ids(store.page({ after: first!.items[1].id, limit: 2, order: 'asc' }))).toEqual(['r3']);
  });
});
