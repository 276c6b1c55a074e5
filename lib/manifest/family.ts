import type { Construct } from 'constructs';
import type { z } from 'zod';

/** One key a manifest declares, read from a parsed (not yet validated) organization, with what its Terraform names are made of. */
export interface KeyDeclaration {
  /** Where the key's name is, within the organization, e.g. ['keys', 0, 'name']. */
  readonly path: (string | number)[];
  readonly resourceType: string;
  readonly name: string;
  /** What the address is named after, with the organization: `<organization>_<subject>`. */
  readonly subject: string;
}

/**
 * A key family's part of the manifest: its organization schema (a strict
 * object whose `vendor` is a literal, for the discriminated union), how it
 * becomes a construct, and which keys an organization declares (for the
 * clash check across organizations, which runs before the schema).
 */
export interface ManifestFamily<Schema extends z.ZodType = z.ZodType> {
  readonly vendor: string;
  readonly schema: Schema;
  /** Where an organization of this family names its credential variables, for messages: "adminKeyEnv". */
  readonly credentialFields: string;
  addOrganization(scope: Construct, organization: z.output<Schema>): Construct;
  declaredKeys(organization: Readonly<Record<string, unknown>>): KeyDeclaration[];
}

/** Readers of unvalidated data: entries of the wrong shape are the schema's to report. */
export const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {});
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The keys of one list of an organization (`keys`, `adminKeys`), each named after its own name. */
export function namedKeys(organization: Readonly<Record<string, unknown>>, field: string, resourceType: string): KeyDeclaration[] {
  return list(organization[field]).flatMap((key, index) => {
    const name = text(record(key).name);
    return name === undefined ? [] : [{ path: [field, index, 'name'], resourceType, name, subject: name }];
  });
}
