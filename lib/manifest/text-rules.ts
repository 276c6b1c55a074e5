import { containsTokenMarker } from '../bindings/literal-strings';
import { looksLikeSecret, CONTROL_CHARACTER } from '../../src/core';
import { FAMILIES } from '../families';
import { list, record } from './family';

/** Deeper than any valid manifest (about 6 levels), shallow enough that no walk over it can exhaust the stack. */
export const MANIFEST_MAX_DEPTH = 16;

export interface TextProblem {
  readonly path: (string | number)[];
  readonly message: string;
}


/** Where the organization at `path` names its credential variables: its vendor's fields, or every vendor's when its vendor is unknown. */
function credentialFieldsAt(root: unknown, path: readonly (string | number)[]): string {
  const organization = path[0] === 'organizations' && typeof path[1] === 'number' ? record(list(record(root).organizations)[path[1]]) : {};
  const family = FAMILIES.find((candidate) => candidate.vendor === organization.vendor);
  return family ? family.credentialFields : `the organization's credential field (${FAMILIES.map((candidate) => candidate.credentialFields.split(' ')[0]).join(', ')})`;
}

function stringProblems(text: string, credentialFields: () => string): string[] {
  const problems: string[] = [];
  if (looksLikeSecret(text)) {
    problems.push(`looks like a credential; never put secrets in a manifest: put it in the pipeline's environment and name that variable in ${credentialFields()}`);
  }
  if (containsTokenMarker(text)) {
    problems.push('contains a cdktf token marker (such as ${TfToken[...]} or an encoded number token), which synthesis would turn into a reference to another resource; remove it');
  }
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    problems.push(`contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}; names and descriptions must be printable text on one line`);
  }
  return problems;
}

/**
 * Rules for every string of a manifest, whatever field holds it (mapping keys
 * too): no credentials, no token markers, no control characters; and a
 * nesting limit. Run on the parsed YAML before the schema, so these are
 * reported even when the schema finds other problems. Iterative, so a deep
 * document cannot overflow the stack.
 */
export function textProblems(root: unknown): TextProblem[] {
  const problems: TextProblem[] = [];
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (pending.length) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      for (const message of stringProblems(value, () => credentialFieldsAt(root, path))) problems.push({ path, message });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MANIFEST_MAX_DEPTH) {
      problems.push({ path, message: `nests deeper than ${MANIFEST_MAX_DEPTH} levels; a manifest needs about 6` });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    for (const [key, item] of entries) {
      if (typeof key === 'string') {
        for (const message of stringProblems(key, () => credentialFieldsAt(root, path))) problems.push({ path, message: `has a field name that ${message}` });
      }
      pending.push({ value: item, path: [...path, key] });
    }
  }
  return problems;
}
