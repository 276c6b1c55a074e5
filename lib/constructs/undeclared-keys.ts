import { Annotations, TerraformLocal, TerraformStack } from '../cdk';
import type { Construct } from 'constructs';
import type { ApiKeysResource } from '../bindings/attributes';
import { ExclusiveKeys } from '../bindings/exclusive-keys';
import { DataApikeysOrganizationKeys, type KeyFamily } from '../bindings/organization-keys';
import type { ApikeysProvider } from '../bindings/provider';
import { oneOf, PRUNE_RULES, type Rule } from '../../src/core';
import type { ProblemCollector } from './validation';

/**
 * What a plan does about keys that exist at the vendor but that no resource
 * of this stack tracks (made in a console, left over from a script or from a
 * failed apply...):
 * - `warn`: a Terraform check block prints a warning naming them;
 * - `fail`: a postcondition fails the run;
 * - `prune`: the apply revokes them (apikeys_exclusive_keys: the plan names
 *   each one first; never a declared, ignored or too young key, nor the
 *   pipeline's own credential; at most `pruneLimit` per apply);
 * - `off`: nothing is listed.
 */
export type UndeclaredKeysPolicy = 'warn' | 'fail' | 'prune' | 'off';

/** The props every organization construct offers for undeclared keys. */
export interface UndeclaredKeysOptions {
  /** What a plan does about keys that exist at the vendor but are not declared in this stack. @default "warn" */
  readonly undeclaredKeys?: UndeclaredKeysPolicy;
  /** Ids or names of keys expected to exist undeclared, such as the key the pipeline itself authenticates with. @default [] */
  readonly ignoreUndeclared?: readonly string[];
  /** @deprecated use ignoreUndeclared, which takes ids or names. @default [] */
  readonly ignoreUndeclaredNames?: readonly string[];
  /** With `undeclaredKeys: 'prune'`: at most this many keys are revoked per apply (1 to 1000). @default 10 */
  readonly pruneLimit?: number;
  /** With `undeclaredKeys: 'prune'`: keys younger than this duration are never revoked ("0s" allowed). @default "1h" */
  readonly pruneMinAge?: string;
}

const POLICIES: readonly UndeclaredKeysPolicy[] = ['warn', 'fail', 'prune', 'off'];

/** Every problem of an organization's undeclared-keys options; `nameRules` judge the names it ignores. */
export function checkUndeclaredKeysOptions(problems: ProblemCollector, options: UndeclaredKeysOptions, nameRules: readonly Rule[]): void {
  if (options.undeclaredKeys !== undefined) problems.text('undeclaredKeys', options.undeclaredKeys, [oneOf(POLICIES)]);
  problems.namesOrIds('ignoreUndeclaredNames', options.ignoreUndeclaredNames ?? [], nameRules);
  problems.namesOrIds('ignoreUndeclared', options.ignoreUndeclared ?? [], nameRules);
  problems.number('pruneLimit', options.pruneLimit, PRUNE_RULES.limit);
  if (options.pruneMinAge !== undefined) problems.text('pruneMinAge', options.pruneMinAge, PRUNE_RULES.minAge);
}

/** A key this stack declares: its resource, and its name as the vendor shows it. */
export interface DeclaredKey {
  readonly resource: ApiKeysResource;
  readonly name: string;
}

export interface UndeclaredKeysProps {
  readonly options: UndeclaredKeysOptions;
  readonly provider: ApikeysProvider;
  /** The organization's named connection on that provider. */
  readonly connection: string;
  readonly family: KeyFamily;
  readonly organizationId?: string;
  readonly projectId?: string;
  readonly declaredKeys: readonly DeclaredKey[];
  /** Names the organization in messages, e.g. "Atlas organization acme". */
  readonly label: string;
}

/** A construct warning (cdktf annotation, which `cdktf synth` and `apikeys drift` print) for each deprecated option set. */
export function warnDeprecatedOptions(scope: Construct, options: UndeclaredKeysOptions): void {
  if (options.ignoreUndeclaredNames !== undefined) {
    Annotations.of(scope).addWarning('ignoreUndeclaredNames is deprecated: use ignoreUndeclared, which takes key ids or names (move the names there).');
  }
}

/** The resource's Terraform address, as `terraform import` takes it. Call after any overrideLogicalId. */
const addressOf = (resource: ApiKeysResource): string => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;

/**
 * Adds the listing and the check for one organization's undeclared keys;
 * undefined when the policy is off.
 *
 * Keys are told apart by id: the listing gets the ids the key resources
 * track. While a declared key awaits (re)creation its id is unknown, so
 * Terraform reads the listing, and evaluates the check, during apply after
 * the key exists: the apply that heals a revoked key ends without a stale
 * warning. Other changes (a rename to restore) keep ids known, so the check
 * runs during plan. The names only serve to recognise possible orphans.
 */
export function addUndeclaredKeysCheck(scope: Construct, id: string, props: UndeclaredKeysProps): DataApikeysOrganizationKeys | undefined {
  const policy = props.options.undeclaredKeys ?? 'warn';
  if (policy === 'off') return undefined;
  // Through a local value: Terraform defers a data source that references a managed resource with any change
  // pending (even an in-place rename), but one that reads a local only while the value is unknown.
  // A rotation's previous key is managed too, until its overlap ends ("" when there is none: matches no key).
  const managedIds = new TerraformLocal(scope, `${id}_managed_ids`, props.declaredKeys.flatMap((key) => [key.resource.keyId, key.resource.previousKeyId]));
  const ignore = [...(props.options.ignoreUndeclared ?? []), ...(props.options.ignoreUndeclaredNames ?? [])];
  if (policy === 'prune') {
    new ExclusiveKeys(scope, `${id}_prune`, {
      provider: props.provider, connectionName: props.connection, family: props.family, organizationId: props.organizationId, projectId: props.projectId,
      managedIds: managedIds.asList, declaredNames: props.declaredKeys.map((key) => key.name), ignore,
      limit: props.options.pruneLimit, minAge: props.options.pruneMinAge,
    });
  }
  const listing = new DataApikeysOrganizationKeys(scope, id, {
    provider: props.provider,
    connectionName: props.connection,
    family: props.family,
    organizationId: props.organizationId,
    projectId: props.projectId,
    managedIds: managedIds.asList,
    declaredKeys: Object.fromEntries(props.declaredKeys.map((key) => [addressOf(key.resource), key.name])),
    ignore,
    label: props.label,
  });
  // The provider writes the messages: no user text becomes part of these templates.
  const assertion = (messages: string) => ({
    condition: `\${length(${messages}) == 0}`,
    error_message: `\${join("\\n", ${messages})}`,
  });
  if (policy === 'fail') {
    // A postcondition names its own data source `self`.
    listing.addOverride('lifecycle.postcondition', [assertion('self.messages')]);
  } else {
    const address = `data.${DataApikeysOrganizationKeys.tfResourceType}.${listing.friendlyUniqueId}`;
    TerraformStack.of(scope).addOverride(`check.${listing.friendlyUniqueId}`, { assert: [assertion(`${address}.messages`)] });
  }
  return listing;
}
