import { TerraformStack } from '../cdk';
import type { Construct } from 'constructs';
import type { ProblemCollector } from './validation';

/** A Terraform name a construct will synthesize: `resource <type>.<id>`, `output <name>` or a provider connection. */
export interface AddressClaim {
  readonly address: string;
  /** What in the construct's props it comes from, e.g. `adminKeys[0] "ci"`. */
  readonly source: string;
  /** Already synthesized by code outside these constructs (a connection added to the provider by hand). */
  readonly takenOutside?: boolean;
}

interface Owner {
  readonly path: string;
  readonly source: string;
}

const claimsByStack = new WeakMap<TerraformStack, Map<string, Owner>>();

function claimsOf(scope: Construct): Map<string, Owner> {
  const stack = TerraformStack.of(scope);
  let claims = claimsByStack.get(stack);
  if (!claims) {
    claims = new Map();
    claimsByStack.set(stack, claims);
  }
  return claims;
}

/**
 * Terraform names are flat per stack, and cdktf keeps only one element per
 * name: organization `a` with key `b_c` and organization `a_b` with key `c`
 * would both synthesize `a_b_c`, and one key would vanish without a word.
 * Each organization construct checks its names against every other
 * construct's in the stack (reporting both construct paths), then claims them.
 */
export function checkAddressesFree(scope: Construct, wanted: readonly AddressClaim[], problems: ProblemCollector): void {
  const claims = claimsOf(scope);
  for (const claim of wanted) {
    const owner = claims.get(claim.address);
    if (owner && owner.path !== scope.node.path) {
      problems.check(false, `${claim.source} would synthesize ${claim.address}, which ${owner.path} (${owner.source}) already declares; ` +
        (claim.address.startsWith('resource ') || claim.address.startsWith('output ')
          ? 'one of them would be silently dropped, so rename one of the keys or organizations.'
          : 'rename one of the organizations (their construct ids).'));
    } else if (!owner && claim.takenOutside) {
      problems.check(false, `${claim.source} would synthesize ${claim.address}, which that provider already has; give this organization another id.`);
    }
  }
}

export function claimAddresses(scope: Construct, wanted: readonly AddressClaim[]): void {
  const claims = claimsOf(scope);
  for (const claim of wanted) if (!claims.has(claim.address)) claims.set(claim.address, { path: scope.node.path, source: claim.source });
}

/** The resource and output of one key. */
export function keyClaims(resourceType: string, address: string, source: string): AddressClaim[] {
  return [{ address: `resource ${resourceType}.${address}`, source }, { address: `output ${address}_secret`, source }];
}
