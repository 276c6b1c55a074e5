import { isUnknown, UNKNOWN, valuesEqual, type CtyObject, type CtyValue } from '../cty/value';
import { isComputedOnly, isConfigurable, type AttributeSchema, type Schema } from './schema';

const isUnordered = (attribute: AttributeSchema): boolean => typeof attribute.type !== 'string' && attribute.type[0] === 'set';

/**
 * The planning rules every resource shares:
 * - write-only attributes never appear in a plan;
 * - on create, computed attributes the configuration leaves unset become unknown;
 * - on update, computed-only attributes keep their prior values (ids,
 *   secrets and timestamps do not change in place), and a change to an
 *   attribute that cannot be updated in place requires replacement.
 * A resource refines this plan afterwards (ResourceDefinition.modifyPlan).
 */
export function planChange(
  schema: Schema, updatable: boolean, prior: CtyObject | null, proposed: CtyObject, config: CtyObject,
): { planned: CtyObject; requiresReplace: string[] } {
  const planned: CtyObject = { ...proposed };
  const requiresReplace: string[] = [];
  for (const [name, attribute] of Object.entries(schema.attributes)) {
    if (attribute.writeOnly) {
      planned[name] = null;
      continue;
    }
    if (!prior) {
      if (attribute.computed && (config[name] === null || config[name] === undefined)) planned[name] = UNKNOWN;
      continue;
    }
    if (isComputedOnly(attribute)) {
      planned[name] = prior[name];
      continue;
    }
    if (isConfigurable(attribute) && !valuesEqual(prior[name], planned[name] as CtyValue, isUnordered(attribute))) {
      if (attribute.requiresReplace || !updatable) requiresReplace.push(name);
    }
  }
  return { planned, requiresReplace };
}

/** The configurable attributes whose planned value differs from the prior one. */
export function changedAttributes(schema: Schema, prior: CtyObject, planned: CtyObject): string[] {
  return Object.entries(schema.attributes)
    .filter(([name, attribute]) => isConfigurable(attribute) && !attribute.writeOnly && !valuesEqual(prior[name], planned[name] as CtyValue, isUnordered(attribute)))
    .map(([name]) => name);
}

/**
 * The state Terraform receives after an apply. Values the plan already knew
 * for configurable attributes are kept exactly (Terraform rejects an apply
 * result that contradicts the plan); the vendor's own normalisation shows up
 * at the next refresh instead. Write-only values are never stored.
 */
export function appliedState(schema: Schema, planned: CtyObject, result: CtyObject): CtyObject {
  const state: CtyObject = {};
  for (const [name, attribute] of Object.entries(schema.attributes)) {
    if (attribute.writeOnly) state[name] = null;
    else if (isConfigurable(attribute) && !isUnknown(planned[name]) && !(attribute.computed && planned[name] === null)) state[name] = planned[name];
    else state[name] = result[name] ?? null;
  }
  return state;
}
