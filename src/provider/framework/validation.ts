import { looksLikeSecret } from '../../core/security/secret-patterns';
import { isUnknown, type CtyObject, type CtyValue } from '../cty/value';
import type { AttributePath, Diagnostics } from './diagnostics';
import { reportError } from './error-diagnostics';
import type { Schema } from './schema';

/** Attribute validators, then the definition's own check; a check that throws is reported, never turned into a gRPC error. */
export function validateConfig(schema: Schema, config: CtyObject, diagnostics: Diagnostics, ownCheck?: (config: CtyObject, diagnostics: Diagnostics) => void): void {
  validateAttributes(schema.attributes, config, diagnostics, []);
  for (const [typeName, block] of Object.entries(schema.blocks ?? {})) {
    const blocks = config[typeName];
    if (blocks === null || blocks === undefined || isUnknown(blocks) || typeof blocks !== 'object' || Array.isArray(blocks)) continue;
    for (const [label, body] of Object.entries(blocks as CtyObject)) {
      if (body && typeof body === 'object' && !Array.isArray(body) && !isUnknown(body)) {
        validateAttributes(block.attributes, body as CtyObject, diagnostics, [typeName, { key: label }], `${typeName} "${label}": `);
      }
    }
  }
  try {
    ownCheck?.(config, diagnostics);
  } catch (error) {
    reportError(diagnostics, error, 'Invalid configuration');
  }
}

/** Each attribute's validators, on known non-null values; a validator that throws is reported, never a crash. */
function validateAttributes(attributes: Schema['attributes'], values: CtyObject, diagnostics: Diagnostics, at: AttributePath, where = ''): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = values[name];
    if (value === null || value === undefined || isUnknown(value)) continue;
    const path = [...at, name];
    // The first problem only, as the rules' firstProblem: an attribute's rules (e.g. a name's) often overlap.
    for (const validator of attribute.validators ?? []) {
      try {
        const problem = validator(value);
        if (problem) {
          // A key-shaped value (a pasted credential, an age identity) gets no attribute path: Terraform would print its line.
          diagnostics.error(`Invalid ${name}`, `${where}${problem}`, holdsSecret(value) ? [...at] : path);
          break;
        }
      } catch (error) {
        reportError(diagnostics, error, `Invalid ${name}`, { path });
        break;
      }
    }
  }
}

/** Whether a value, or any string inside it, looks like a credential. */
function holdsSecret(value: CtyValue): boolean {
  if (typeof value === 'string') return looksLikeSecret(value);
  if (Array.isArray(value)) return value.some(holdsSecret);
  return value !== null && typeof value === 'object' && !isUnknown(value) && Object.values(value).some(holdsSecret);
}
