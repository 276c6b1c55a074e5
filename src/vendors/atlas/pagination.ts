import { ATLAS } from '../../core/facts/atlas';
import { invalidResponse, type VendorHttpClient } from '../http/client';
import type { AtlasPage } from './types';

/**
 * Reads every page of an Atlas list (pageNum from 1, itemsPerPage,
 * includeCount). Stops at a short page, or once pageNum * itemsPerPage
 * reaches totalCount. A page that brings only ids already seen means the
 * server ignores pageNum: that is an invalid response, not an endless loop.
 */
export async function listAllPages<T>(
  http: VendorHttpClient,
  operation: string,
  path: string,
  pageSize: number = ATLAS.limits.maxPageSize,
  /** What tells two items apart (a repeated page repeats these). */
  idOf: (item: T) => string = (item) => (item as { id: string }).id,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  for (let pageNum = 1; ; pageNum++) {
    const page = await http.send<AtlasPage<T>>({
      operation, method: 'GET', path, query: { pageNum, itemsPerPage: pageSize, includeCount: true },
    });
    if (!page || !Array.isArray(page.results)) throw invalidResponse(http.vendor, operation, 'no "results" array in the list');
    const fresh = page.results.filter((item) => !seen.has(idOf(item)));
    if (page.results.length > 0 && fresh.length === 0) {
      throw invalidResponse(http.vendor, operation, `page ${pageNum} repeats items of earlier pages`);
    }
    for (const item of fresh) seen.add(idOf(item));
    items.push(...fresh);
    const shortPage = page.results.length < pageSize;
    const counted = typeof page.totalCount === 'number' && pageNum * pageSize >= page.totalCount;
    if (shortPage || counted) return items;
  }
}
