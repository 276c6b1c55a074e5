import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DataApikeysOrganizationKeys, type KeyFamily } from '../bindings/organization-keys';
import type { ApikeysProvider } from '../bindings/provider';
import { escapeTemplateSequences } from '../bindings/literal-strings';

/**
 * What a plan does about keys that exist at the vendor but that nobody
 * declared (made in a console, left over from a script...):
 * - `warn`: a Terraform check block prints a warning naming them;
 * - `fail`: a postcondition fails the plan;
 * - `off`: nothing is listed.
 */
export type UndeclaredKeysPolicy = 'warn' | 'fail' | 'off';

/** The props every organization construct offers for undeclared keys. */
export interface UndeclaredKeysOptions {
  /** What a plan does about keys that exist at the vendor but are not declared here. @default "warn" */
  readonly undeclaredKeys?: UndeclaredKeysPolicy;
  /** Names of undeclared keys that are expected, such as the key the pipeline itself authenticates with. @default [] */
  readonly ignoreUndeclaredNames?: readonly string[];
}

export interface UndeclaredKeysProps {
  readonly options: UndeclaredKeysOptions;
  readonly provider: ApikeysProvider;
  readonly family: KeyFamily;
  readonly organizationId?: string;
  readonly projectId?: string;
  /** Names of the declared keys (as the vendor shows them). */
  readonly declaredNames: readonly string[];
  /** Names the organization in messages. */
  readonly label: string;
}

/** Adds the listing and the check for one organization's undeclared keys; undefined when the policy is off. */
export function addUndeclaredKeysCheck(scope: Construct, id: string, props: UndeclaredKeysProps): DataApikeysOrganizationKeys | undefined {
  const policy = props.options.undeclaredKeys ?? 'warn';
  if (policy === 'off') return undefined;
  const listing = new DataApikeysOrganizationKeys(scope, id, {
    provider: props.provider,
    family: props.family,
    organizationId: props.organizationId,
    projectId: props.projectId,
    // Names, not ids: a key about to be (re)created has no id at plan time, which would defer the check to apply.
    managedNames: [...props.declaredNames, ...(props.options.ignoreUndeclaredNames ?? [])],
  });
  const address = `data.${DataApikeysOrganizationKeys.tfResourceType}.${listing.friendlyUniqueId}`;
  const assertion = {
    condition: `\${length(${address}.unmanaged_ids) == 0}`,
    // The message is a template (it joins the ids); the label is literal text that may hold user-chosen names.
    error_message: `${escapeTemplateSequences(props.label)} has keys that no manifest declares: \${join(", ", ${address}.unmanaged_ids)}. Declare them, revoke them, or list their names to ignore.`,
  };
  if (policy === 'fail') {
    listing.addOverride('lifecycle.postcondition', [assertion]);
  } else {
    TerraformStack.of(scope).addOverride(`check.${listing.friendlyUniqueId}`, { assert: [assertion] });
  }
  return listing;
}
