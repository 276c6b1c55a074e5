import type { AuditedKey, AuditReport } from './collect';

/**
 * How `apikeys audit` shows its report: one JSON document, a terminal table,
 * or a markdown table (for $GITHUB_STEP_SUMMARY). Names, ids, dates and
 * redacted values only: a listing never holds a secret, and nothing here
 * adds one.
 */

/** Whether the report holds anything to act on: an undeclared, stale, expiring, expired or due key. */
export const hasFindings = (report: AuditReport): boolean => report.keys.some((key) => key.findings.length > 0);

/** The JSON document of `--json`. */
export function auditJson(report: AuditReport): string {
  return `${JSON.stringify({ keys: report.keys, organizations: report.organizations }, null, 2)}\n`;
}

const COLUMNS: readonly [string, (key: AuditedKey) => string][] = [
  ['organization', (key) => key.organization],
  ['family', (key) => (key.project ? `${key.family} (${key.project})` : key.family)],
  ['name', (key) => key.name ?? '(no name)'],
  ['id', (key) => key.id],
  ['created', (key) => day(key.createdAt)],
  ['last used', (key) => (key.lastUsedAt === null ? 'never' : day(key.lastUsedAt))],
  ['expires', (key) => day(key.expiresAt)],
  ['status', (key) => `${key.status}${key.credential ? ' (credential)' : ''}`],
  ['findings', (key) => key.findings.join(', ')],
];

const day = (value: string | null): string => (value === null ? '-' : value.slice(0, 10));

/** A plain-text table for a terminal, one key per line, then any organization that could not be listed. */
export function auditTable(report: AuditReport): string {
  const rows = [COLUMNS.map(([title]) => title), ...report.keys.map((key) => COLUMNS.map(([, cell]) => cell(key)))];
  const widths = COLUMNS.map((_, index) => Math.max(...rows.map((row) => row[index].length)));
  const lines = rows.map((row) => row.map((cell, index) => cell.padEnd(widths[index])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  return `${[...lines, ...errorLines(report), summaryLine(report)].join('\n')}\n`;
}

const escapeCell = (cell: string): string => cell.replace(/\|/g, '\\|');

/** A markdown table, for a pull request or a job summary. */
export function auditMarkdown(report: AuditReport): string {
  const header = `| ${COLUMNS.map(([title]) => title).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---').join('|')}|`;
  const rows = report.keys.map((key) => `| ${COLUMNS.map(([, cell]) => escapeCell(cell(key)) || ' ').join(' | ')} |`);
  const errors = errorLines(report).map((line) => `- ${escapeCell(line)}`);
  return `### apikeys audit\n\n${summaryLine(report)}\n\n${[header, rule, ...rows].join('\n')}\n${errors.length ? `\n${errors.join('\n')}\n` : ''}`;
}

function errorLines(report: AuditReport): string[] {
  return report.organizations.filter((organization) => organization.error).map((organization) => `${organization.organization} (${organization.scope}): ${organization.error!.message}`);
}

/** One line: how many keys, and how many of each finding. */
export function summaryLine(report: AuditReport): string {
  const counts = new Map<string, number>();
  for (const finding of report.keys.flatMap((key) => key.findings)) counts.set(finding, (counts.get(finding) ?? 0) + 1);
  const findings = [...counts].map(([finding, count]) => `${count} ${finding}`).join(', ');
  const failed = report.organizations.filter((organization) => organization.error).length;
  return `audit: ${report.keys.length} key${report.keys.length === 1 ? '' : 's'} in ${report.organizations.length - failed} listing${report.organizations.length - failed === 1 ? '' : 's'}` +
    `${findings ? `; findings: ${findings}` : '; no findings'}${failed ? `; ${failed} listing${failed === 1 ? '' : 's'} failed` : ''}`;
}
