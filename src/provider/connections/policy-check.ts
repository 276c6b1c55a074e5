import { looksLikeSecret } from '../../security/secret-patterns';
import type { CtyObject } from '../cty/value';
import type { Diagnostics } from '../framework/diagnostics';
import { ATLAS_BASE_URL, ATLAS_CLIENT_ID, ATLAS_CLIENT_SECRET, ATLAS_PRIVATE_KEY, ATLAS_PUBLIC_KEY } from './atlas';
import { BASE_URL_HINT, configuredBaseUrlProblem } from './base-url';
import { credentialEnvAttributeProblem } from './credentials';
import { EDGE_IMPULSE_API_KEY, EDGE_IMPULSE_BASE_URL } from './edgeimpulse';
import { OPENAI_ADMIN_KEY, OPENAI_BASE_URL } from './openai';

const BASE_URLS = [OPENAI_BASE_URL, EDGE_IMPULSE_BASE_URL, ATLAS_BASE_URL];
const CREDENTIALS = [OPENAI_ADMIN_KEY, EDGE_IMPULSE_API_KEY, ATLAS_PUBLIC_KEY, ATLAS_PRIVATE_KEY, ATLAS_CLIENT_ID, ATLAS_CLIENT_SECRET];

/**
 * The operator's credential policy applied to what the provider block itself
 * sets, so `terraform validate` and `plan` name the attribute before anything
 * runs. Values that come from the environment (OPENAI_BASE_URL, default
 * credential variables) are checked when a vendor connection is first used,
 * so a variable meant for other tools does not fail unrelated configurations.
 *
 * A diagnostic normally carries the attribute path, and Terraform then prints
 * the configuration line. When the value looks like a pasted key, the path is
 * left out so that Terraform does not print that line; the summary still names
 * the attribute.
 */
export function checkConnectionSettings(config: CtyObject, diagnostics: Diagnostics, env: NodeJS.ProcessEnv): void {
  for (const spec of BASE_URLS) {
    guarded(diagnostics, spec.attribute, () => {
      const problem = configuredBaseUrlProblem(spec, config, env);
      if (problem) diagnostics.error(`Invalid ${spec.attribute}`, `${spec.attribute} ${problem}.\n\n${BASE_URL_HINT}`, pathUnlessSecret(spec.attribute, config));
    });
  }
  for (const spec of CREDENTIALS) {
    guarded(diagnostics, spec.envAttribute, () => {
      const problem = credentialEnvAttributeProblem(spec, config, env);
      if (problem) {
        diagnostics.error(`Invalid ${spec.envAttribute}`, `${spec.envAttribute} ${problem}.\n\nNothing was read from the environment and nothing was sent to the vendor.`,
          pathUnlessSecret(spec.envAttribute, config));
      }
    });
  }
}

function pathUnlessSecret(attribute: string, config: CtyObject): [string] | undefined {
  const value = config[attribute];
  return typeof value === 'string' && looksLikeSecret(value) ? undefined : [attribute];
}

/** A check that fails is reported against its attribute; it never becomes a crash of the whole call. */
function guarded(diagnostics: Diagnostics, attribute: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    diagnostics.error(`Invalid ${attribute}`, `The apikeys provider could not check ${attribute} (${error instanceof Error ? error.name : 'error'}). This is a bug in the apikeys provider; please report it.`);
  }
}
