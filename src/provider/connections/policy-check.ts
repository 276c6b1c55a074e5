import { connectionLabel } from '../../core/rules';
import { looksLikeSecret } from '../../core/security/secret-patterns';
import type { CtyObject } from '../cty/value';
import type { AttributePath } from '../framework/diagnostics';
import type { Diagnostics } from '../framework/diagnostics';
import { BASE_URL, BASE_URL_HINT, configuredBaseUrlProblem } from './base-url';
import { blockName, ConnectionSettings, type VendorConnection } from './connection';
import { credentialEnvSettingProblem, credentialSpecs, envSetting } from './credentials';

/**
 * The operator's credential policy applied to what the provider block itself
 * sets, in every connection of every vendor (the flat default attributes and
 * each labelled block), so `terraform validate` and `plan` name the
 * attribute, with its block, before anything runs. Values that come from the
 * environment (OPENAI_BASE_URL, default credential variables) are checked when
 * a connection is first used, so a variable meant for other tools does not
 * fail unrelated configurations.
 *
 * A diagnostic normally carries the attribute path, and Terraform then prints
 * the configuration line. When the value looks like a pasted key, the path is
 * left out so that Terraform does not print that line; the summary still names
 * the attribute.
 */
export function checkConnectionSettings(config: CtyObject, diagnostics: Diagnostics, env: NodeJS.ProcessEnv, vendors: readonly VendorConnection<unknown>[]): void {
  for (const vendor of vendors) {
    for (const connection of ConnectionSettings.all(vendor.facts, config)) {
      if (connection.label !== undefined) {
        const problem = connectionLabel(connection.label);
        if (problem) diagnostics.error(`Invalid ${blockName(vendor.facts)} label`, `The label of ${connection.describe()} ${problem}`, [blockName(vendor.facts), { key: connection.label }]);
      }
      checkBaseUrl(connection, diagnostics, env);
      for (const spec of credentialSpecs(vendor.facts)) checkCredentialEnv(connection, envSetting(spec), diagnostics, () => credentialEnvSettingProblem(spec, connection, env));
    }
  }
}

function checkBaseUrl(connection: ConnectionSettings, diagnostics: Diagnostics, env: NodeJS.ProcessEnv): void {
  const attribute = connection.attribute(BASE_URL);
  guarded(diagnostics, attribute, () => {
    const problem = configuredBaseUrlProblem(connection, env);
    if (problem) diagnostics.error(`Invalid ${attribute}`, `${attribute} ${problem}.\n\n${BASE_URL_HINT}`, pathUnlessSecret(connection, BASE_URL));
  });
}

function checkCredentialEnv(connection: ConnectionSettings, setting: string, diagnostics: Diagnostics, problemOf: () => string | undefined): void {
  const attribute = connection.attribute(setting);
  guarded(diagnostics, attribute, () => {
    const problem = problemOf();
    if (problem) {
      diagnostics.error(`Invalid ${attribute}`, `${attribute} ${problem}.\n\nNothing was read from the environment and nothing was sent to the vendor.`,
        pathUnlessSecret(connection, setting));
    }
  });
}

function pathUnlessSecret(connection: ConnectionSettings, setting: string): AttributePath | undefined {
  const value = connection.value(setting);
  return typeof value === 'string' && looksLikeSecret(value) ? undefined : connection.path(setting);
}

/** A check that fails is reported against its attribute; it never becomes a crash of the whole call. */
function guarded(diagnostics: Diagnostics, attribute: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    diagnostics.error(`Invalid ${attribute}`, `The apikeys provider could not check ${attribute} (${error instanceof Error ? error.name : 'error'}). This is a bug in the apikeys provider; please report it.`);
  }
}
