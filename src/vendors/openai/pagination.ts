import { OPENAI } from '../../core/facts/openai';
import { invalidResponse, type VendorHttpClient } from '../http/client';
import type { OpenAiList } from './types';

/**
 * Reads every page of an OpenAI cursor list, the largest pages OpenAI
 * documents (the facts' maxPageSize): `after=<last_id>` while `has_more`. Guards against a server that repeats a cursor, which would
 * otherwise loop forever.
 */
export async function listAllPages<T extends { id: string }>(
  http: VendorHttpClient,
  operation: string,
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<T[]> {
  const items: T[] = [];
  const seenCursors = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const page = await http.send<OpenAiList<T>>({
      operation, method: 'GET', path, query: { ...query, limit: OPENAI.limits.maxPageSize, after },
    });
    if (!page || !Array.isArray(page.data)) throw invalidResponse(http.vendor, operation, 'no "data" array in the list');
    items.push(...page.data);
    if (!page.has_more) return items;
    const next = page.last_id ?? page.data[page.data.length - 1]?.id;
    if (!next || seenCursors.has(next)) {
      throw invalidResponse(http.vendor, operation, `has_more is true but the cursor ${next ? `"${next}" repeats` : 'is missing'}`);
    }
    seenCursors.add(next);
    after = next;
  }
}
