import { TerraformStack } from '../cdk';
import type { Construct } from 'constructs';
import { CONNECTION_LABEL } from '../../src/core';
import { ApikeysProvider } from '../bindings/provider';
import { checkAddressesFree, claimAddresses, type AddressClaim } from './address-registry';
import { reportAtSynthesis } from './props-problems';
import { quoteForMessage, terraformName, type ProblemCollector } from './validation';

/** The construct id of the stack's default apikeys provider. */
export const STACK_PROVIDER_ID = 'apikeys';


const isDefaultProvider = (construct: unknown): construct is ApikeysProvider =>
  construct instanceof ApikeysProvider && construct.alias === undefined;

/** The stack's default (unaliased) apikeys provider, if there is one yet: the one with id `apikeys`, else any at the stack's top level. */
function findStackProvider(scope: Construct): ApikeysProvider | undefined {
  const stack = TerraformStack.of(scope);
  const wellKnown = stack.node.tryFindChild(STACK_PROVIDER_ID);
  return isDefaultProvider(wellKnown) ? wellKnown : stack.node.children.find(isDefaultProvider);
}

/**
 * The stack's single default apikeys provider, which every organization
 * construct shares: found (an unaliased ApikeysProvider at the stack's top
 * level, preferably with id `apikeys`, so one you create yourself, with your
 * settings, is reused), else created with id `apikeys` and no settings. Each
 * organization adds a named connection to it, so a plan starts one provider
 * process per stack however many organizations it holds.
 */
export function stackProvider(scope: Construct): ApikeysProvider {
  const found = findStackProvider(scope);
  if (found) return found;
  const stack = TerraformStack.of(scope);
  // The id may be taken by something else (an aliased provider named `apikeys`): the default one then gets a suffix.
  return new ApikeysProvider(stack, stack.node.tryFindChild(STACK_PROVIDER_ID) ? `${STACK_PROVIDER_ID}-default` : STACK_PROVIDER_ID);
}

/** The prop every organization construct offers for where its connection goes. */
export interface OrganizationConnectionProps {
  /**
   * The provider configuration (possibly aliased) that gets this organization's
   * connection. @default - the stack's default apikeys provider (see stackProvider)
   */
  readonly provider?: ApikeysProvider;
}

/** An organization's place in the stack: the provider block and the named connection its resources use. */
export interface OrganizationConnection {
  readonly provider: ApikeysProvider;
  readonly connection: string;
}

/** How an organization construct connects: its vendor's connection methods on the provider binding. */
export interface ConnectOptions {
  /** The vendor, as in the provider's `<vendor>_connection` blocks. */
  readonly vendor: string;
  /** Names the construct in the error, e.g. `OpenAiOrganization "acme"`. */
  readonly subject: string;
  /** An explicit provider (possibly aliased); else the stack's default one. */
  readonly provider?: ApikeysProvider;
  /** The problems found with the props so far; the names claimed below add theirs. */
  readonly problems: ProblemCollector;
  /** The resources and outputs the construct will synthesize. */
  readonly claims: readonly AddressClaim[];
  readonly has: (provider: ApikeysProvider, label: string) => boolean;
  readonly add: (provider: ApikeysProvider, label: string) => void;
}

/**
 * The last step of an organization's validation, and its connection: the
 * connection is named after the construct id (`terraformName(id)`) and
 * claimed per vendor and provider block with the construct's other names, so
 * two organizations of a vendor with the same id in one stack are an error
 * naming both. With problems, they wait for synthesis, to be reported with
 * every other construct's (reportAtSynthesis), and the construct, seeing
 * `problems` not empty, builds nothing; else the connection is registered on
 * the explicit provider or the stack's default one (stackProvider).
 */
export function connectOrganization(scope: Construct, options: ConnectOptions): OrganizationConnection {
  const { problems } = options;
  const label = terraformName(scope.node.id);
  problems.check(CONNECTION_LABEL.test(label), `the construct id ${quoteForMessage(scope.node.id)} names the organization's provider connection, ` +
    'which must be at most 64 letters, digits, "_" and "-"; choose a shorter id.');
  const known = options.provider ?? findStackProvider(scope);
  const block = known?.alias === undefined ? 'provider apikeys' : `provider apikeys.${known.alias}`;
  const connectionClaim: AddressClaim = {
    address: `${options.vendor}_connection "${label}" in ${block}`,
    source: 'its connection',
    takenOutside: known !== undefined && options.has(known, label),
  };
  const claims = [connectionClaim, ...options.claims];
  checkAddressesFree(scope, claims, problems);
  const provider = options.provider ?? stackProvider(scope);
  if (problems.problems.length > 0) {
    reportAtSynthesis(scope, options.subject, problems.problems);
    return { provider, connection: label };
  }
  claimAddresses(scope, claims);
  options.add(provider, label);
  return { provider, connection: label };
}
