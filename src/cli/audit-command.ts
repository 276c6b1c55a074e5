import { resolve } from 'node:path';
import { loadManifestFile } from '../../lib/manifest/loader';
import { ProjectError, UsageError } from '../core/errors';
import { parseDuration } from '../core/rules';
import type { LifecycleSettings } from '../provider/keys/lifecycle';
import { appStacks, isCdktfProject, manifestStack, type NamedStackJson } from './app-stacks';
import { auditStack, type AuditedKey, type AuditedOrganization, type AuditReport } from './audit/collect';
import { auditJson, auditMarkdown, auditTable, hasFindings } from './audit/report';
import { appendStepSummary, EXIT, type FailureReport } from './failure';

export type AuditFormat = 'table' | 'json' | 'markdown';

export interface AuditCommandOptions {
  /** Where to look for cdktf.json. */
  readonly projectDir: string;
  /** A manifest: audited alone outside a CDKTF project, or handed to the app (APIKEYS_MANIFEST) inside one. */
  readonly manifest?: string;
  readonly stack?: string;
  readonly app?: string;
  readonly output?: string;
  readonly format: AuditFormat;
  /** `--stale-after` and `--expiry-warning`, overriding the provider's settings. */
  readonly staleAfter?: string;
  readonly expiryWarning?: string;
  /** Listings at once. */
  readonly concurrency?: number;
}

const DEFAULT_CONCURRENCY = 8;

function durationOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`--${name} must be a duration such as 90d, 12h or 30m (got "${value}")`);
  return ms;
}

/** The stacks to audit: the app's, in a CDKTF project; else the one a manifest makes. */
async function stacksToAudit(options: AuditCommandOptions): Promise<NamedStackJson[]> {
  if (options.app !== undefined || isCdktfProject(options.projectDir)) return appStacks(options, 'apikeys audit');
  if (options.manifest === undefined) {
    throw new UsageError('nothing to audit: give --manifest PATH, or run in a CDKTF project (the directory holding cdktf.json)', { hint: 'usage: apikeys audit [--manifest PATH] [--json | --markdown]' });
  }
  for (const option of ['stack', 'output'] as const) {
    if (options[option] !== undefined) throw new UsageError(`--${option} is for a CDKTF project (none here: no cdktf.json in ${options.projectDir})`);
  }
  return [{ name: 'manifest', json: manifestStack(loadManifestFile(resolve(options.manifest))) }];
}

/** A terminal line that counts listings as they end; nothing when stderr is not a terminal. */
function progressLine(stream: NodeJS.WriteStream = process.stderr): ((done: number, total: number) => void) | undefined {
  if (stream.isTTY !== true) return undefined;
  return (done, total) => stream.write(done === total ? '\r\u001b[2K' : `\r\u001b[2Klisting keys… ${done}/${total}`);
}

/** The listings that failed, one error per cause (a missing variable reached by several listings is one error). */
function listingErrors(organizations: readonly AuditedOrganization[]): FailureReport['error'] | undefined {
  const failed = organizations.filter((organization) => organization.error);
  if (failed.length === 0) return undefined;
  const causes = [...new Set(failed.map((organization) => organization.error!.message))];
  return {
    code: failed[0].error!.code,
    message: `${failed.length} listing${failed.length === 1 ? '' : 's'} failed:\n${causes.map((cause) => `- ${cause}`).join('\n')}`,
  };
}

/**
 * `apikeys audit`: every key of every organization and project the
 * configuration reaches, read-only (no create, no revoke, no state), with
 * its credentials, judged by the plan's own rules. Exit 0 without findings,
 * 2 with findings, 1 when a listing failed (the report of the others is
 * still printed, and --json carries the error object too).
 */
export async function auditCommand(options: AuditCommandOptions): Promise<number> {
  const staleAfterMs = durationOption('stale-after', options.staleAfter);
  const expiryWarningMs = durationOption('expiry-warning', options.expiryWarning);
  const overrides: Partial<LifecycleSettings> = {
    ...(staleAfterMs === undefined ? {} : { staleAfterMs }),
    ...(expiryWarningMs === undefined ? {} : { expiryWarningMs }),
  };

  const stacks = await stacksToAudit(options);
  const onProgress = progressLine();
  const keys: AuditedKey[] = [];
  const organizations: AuditedOrganization[] = [];
  for (const stack of stacks) {
    const audited = await auditStack(stack.json, process.env, { settings: overrides, concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, onProgress });
    keys.push(...audited.keys);
    organizations.push(...audited.organizations);
  }
  if (organizations.length === 0) {
    throw new ProjectError(`nothing to audit: ${stacks.map((stack) => `stack ${stack.name}`).join(', ')} declares no key and no organization`, {
      hint: 'Declare keys in the manifest or the app first.',
    });
  }
  const report: AuditReport = { keys, organizations };
  const error = listingErrors(organizations);
  const exitCode = error ? EXIT.error : hasFindings(report) ? EXIT.findings : EXIT.ok;

  if (options.format === 'json') {
    process.stdout.write(auditJson(report, { ...(error ? { error } : {}), exitCode }));
  } else {
    process.stdout.write(options.format === 'markdown' ? auditMarkdown(report) : auditTable(report));
  }
  if (error) process.stderr.write(`apikeys: ${error.message}\n`);
  appendStepSummary(auditMarkdown(report));
  return exitCode;
}
