import { stableAddress } from '../constructs/validation';
import { FAMILIES } from '../families';
import { quoteForMessage } from '../../src/core';
import { list, record, text } from './family';

/** One key a manifest declares, with the Terraform names it gets. */
interface Declaration {
  readonly path: (string | number)[];
  readonly organization: number;
  readonly resourceType: string;
  readonly name: string;
  /** `<organization>_<subject>`: the resource's logical id; the output is `<address>_secret`. */
  readonly address: string;
}

export interface AddressClash {
  /** The later declaration, where the problem is reported. */
  readonly path: (string | number)[];
  /** The earlier declaration it clashes with. */
  readonly earlierPath: (string | number)[];
  /** The problem, given where the earlier declaration is (file:line). */
  readonly message: (earlierWhere: string) => string;
}

/** Every key of a parsed (not yet validated) manifest, as each organization's family reads it. */
function declarations(manifest: unknown): Declaration[] {
  return list(record(manifest).organizations).flatMap((raw, organization) => {
    const org = record(raw);
    const orgName = text(org.name);
    const family = FAMILIES.find((candidate) => candidate.vendor === org.vendor);
    if (orgName === undefined || family === undefined) return [];
    return family.declaredKeys(org).map((key) => ({
      path: ['organizations', organization, ...key.path], organization, resourceType: key.resourceType, name: key.name,
      address: stableAddress(orgName, key.subject),
    }));
  });
}

/**
 * Keys of different organizations that would get the same Terraform names:
 * organization `a` with key `b_c` and organization `a_b` with key `c` both
 * become `a_b_c`. Synthesis would keep one of them and drop the other
 * silently, so each clash is an error naming both declarations. (Clashes
 * within one organization are its schema's to report.)
 */
export function addressClashes(manifest: unknown): AddressClash[] {
  const first = new Map<string, Declaration>();
  const clashes: AddressClash[] = [];
  for (const declaration of declarations(manifest)) {
    const earlier = first.get(declaration.address);
    if (earlier === undefined) {
      first.set(declaration.address, declaration);
      continue;
    }
    if (earlier.organization === declaration.organization) continue;
    const shared = earlier.resourceType === declaration.resourceType
      ? `the resource address ${declaration.resourceType}.${declaration.address} and the output ${declaration.address}_secret`
      : `the output ${declaration.address}_secret`;
    clashes.push({
      path: declaration.path,
      earlierPath: earlier.path,
      message: (earlierWhere) => `key ${quoteForMessage(declaration.name)} would share ${shared} with key ${quoteForMessage(earlier.name)} ` +
        `declared at ${earlierWhere}, so one of them would be silently dropped; rename one of the keys or organizations`,
    });
  }
  return clashes;
}
