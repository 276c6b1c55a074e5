/** One line of the final table: a figure, the baseline it is measured against, and an optional target on their ratio. */
export interface ReportRow {
  measure: string;
  value: string;
  baseline: string;
  /** value / baseline; undefined when there is no comparable baseline. */
  ratio?: number;
  /** The highest ratio issue 8 accepts. */
  target?: number;
}

export const ms = (value: number): string => `${value.toFixed(0)} ms`;
export const mb = (value: number): string => `${value.toFixed(0)} MB`;

/** PASS or MISS against a target; a miss is reported, never an exit status: the figures depend on the machine. */
export const verdict = (row: ReportRow): string =>
  row.target === undefined || row.ratio === undefined ? '' : row.ratio <= row.target ? 'PASS' : 'MISS';

export function markdownTable(rows: ReportRow[]): string {
  const lines = [
    '| Measure | Value | Baseline | Ratio | Target | |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((row) => `| ${row.measure} | ${row.value} | ${row.baseline} | ${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`} | ${row.target === undefined ? '' : `≤ ${row.target}×`} | ${verdict(row)} |`),
  ];
  return lines.join('\n');
}
