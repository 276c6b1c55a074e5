import { terraformName } from '../validation';

/** What a project key's address and output are named after: `<project id>_<key name>`. */
export const projectKeySubject = (projectId: string, name: string): string => `${projectId}_${name}`;

/** A key in one of an organization's lists (its admin keys, or one project's keys), by what its output is named after. */
export interface KeySubject {
  readonly list: string;
  readonly subject: string;
}

/**
 * Pairs [later, earlier] of keys from different lists that would get the same
 * Terraform name, and so the same output name (an admin key "proj_x_ci" and key
 * "ci" of project proj_x). Duplicates within one list are uniqueNames' to report.
 */
export function sharedOutputNameClashes(keys: readonly KeySubject[]): [number, number][] {
  const firstByName = new Map<string, number>();
  const seenInList = new Set<string>();
  const clashes: [number, number][] = [];
  keys.forEach((key, index) => {
    const name = terraformName(key.subject);
    const inList = `${key.list}\u0000${name}`;
    if (seenInList.has(inList)) return;
    seenInList.add(inList);
    const earlier = firstByName.get(name);
    if (earlier === undefined) firstByName.set(name, index);
    else clashes.push([index, earlier]);
  });
  return clashes;
}
