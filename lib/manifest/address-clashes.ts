import { projectKeySubject } from '../constructs/openai-organization';
import { stableAddress } from '../constructs/validation';
import { quoteForMessage } from '../../src/security/secret-patterns';

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

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

const VENDOR_KEY_LISTS: Record<string, { list: string; resourceType: string }[]> = {
  openai: [{ list: 'adminKeys', resourceType: 'apikeys_openai_admin_key' }],
  edgeimpulse: [{ list: 'keys', resourceType: 'apikeys_edgeimpulse_organization_key' }],
  atlas: [{ list: 'keys', resourceType: 'apikeys_atlas_organization_key' }],
};

/** Every key of a parsed (not yet validated) manifest; entries of the wrong shape are the schema's to report. */
function declarations(manifest: unknown): Declaration[] {
  const found: Declaration[] = [];
  list(record(manifest).organizations).forEach((raw, organization) => {
    const org = record(raw);
    const orgName = text(org.name);
    if (orgName === undefined) return;
    const add = (path: (string | number)[], resourceType: string, name: string, subject: string): void => {
      found.push({ path: ['organizations', organization, ...path], organization, resourceType, name, address: stableAddress(orgName, subject) });
    };
    for (const { list: field, resourceType } of VENDOR_KEY_LISTS[String(org.vendor)] ?? []) {
      list(org[field]).forEach((key, index) => {
        const name = text(record(key).name);
        if (name !== undefined) add([field, index, 'name'], resourceType, name, name);
      });
    }
    if (org.vendor !== 'openai') return;
    list(org.projects).forEach((project, projectIndex) => {
      const projectId = text(record(project).id);
      if (projectId === undefined) return;
      list(record(project).keys).forEach((key, index) => {
        const name = text(record(key).name);
        if (name !== undefined) add(['projects', projectIndex, 'keys', index, 'name'], 'apikeys_openai_project_key', name, projectKeySubject(projectId, name));
      });
    });
  });
  return found;
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
