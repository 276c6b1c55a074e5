/**
 * The campaign's figures over a set of trials, as the tests and `npm run soak` print them: trials, keys,
 * rotations due and made, faults by kind, kills, and every finding class.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ZERO_COUNTS, addCounts, type AuditCounts } from './audit';

/** What one trial contributes (TrialResult and KillTrialResult carry these). */
export interface TrialFigures extends AuditCounts {
  seed: number;
  faults: Record<string, number>;
  /** Kills of terraform mid-apply (0 in fault trials). */
  kills?: number;
  /** Provider processes alive 2 s after terraform's death (kill trials). */
  outlived?: number;
}

export interface Figures {
  trials: number;
  seeds: number[];
  counts: AuditCounts;
  faults: Record<string, number>;
  kills: number;
  outlived: number;
}

export function figuresOf(results: readonly TrialFigures[]): Figures {
  const faults: Record<string, number> = {};
  let counts = ZERO_COUNTS;
  for (const result of results) {
    counts = addCounts(counts, result);
    for (const [kind, count] of Object.entries(result.faults)) faults[kind] = (faults[kind] ?? 0) + count;
  }
  return {
    trials: results.length, seeds: results.map((result) => result.seed), counts, faults,
    kills: results.reduce((sum, result) => sum + (result.kills ?? 0), 0),
    outlived: results.reduce((sum, result) => sum + (result.outlived ?? 0), 0),
  };
}

const faultLine = (faults: Record<string, number>) => {
  const kinds = Object.entries(faults).sort(([a], [b]) => a.localeCompare(b));
  return kinds.length ? kinds.map(([kind, count]) => `${kind} ${count}`).join(', ') : 'none';
};

/** A markdown section: a heading and one bullet per figure. */
export function figuresMarkdown(title: string, figures: Figures): string {
  const { counts } = figures;
  return [
    `## ${title}`,
    '',
    `- seeds: ${figures.seeds.join(', ')}`,
    `- trials: ${figures.trials}`,
    `- keys: ${counts.keys}`,
    `- rotations due: ${counts.rotations}; rotated by the rotating apply: ${counts.rotatedInApply}; rotated at the end: ${counts.rotated}`,
    `- faults injected (${Object.values(figures.faults).reduce((sum, count) => sum + count, 0)}): ${faultLine(figures.faults)}`,
    `- kills (kill -9 mid-apply): ${figures.kills}; provider processes alive 2 s after: ${figures.outlived}`,
    `- findings: lost ${counts.lost}, duplicates ${counts.duplicates}, orphans ${counts.orphans}, wrong secrets ${counts.wrongSecrets}, ` +
      `failed to converge ${counts.failedToConverge}, previous keys lost ${counts.previousLost}, both lost ${counts.bothLost}, ` +
      `both lost with overlap 0s ${counts.bothLostAtOnce}`,
    '',
  ].join('\n');
}

/**
 * Prints the section (console.log, so it shows in jest's output) and, when CAMPAIGN_FIGURES_FILE names a markdown file,
 * puts it there too, replacing a section of the same title.
 */
export function reportFigures(title: string, figures: Figures): string {
  const section = figuresMarkdown(title, figures);
  console.log(section);
  const file = process.env.CAMPAIGN_FIGURES_FILE;
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Campaign figures\n\n';
    const sections = existing.split(/(?=^## )/m);
    const index = sections.findIndex((part) => part.startsWith(`## ${title}\n`));
    if (index >= 0) sections[index] = section + '\n';
    else sections.push(section + '\n');
    writeFileSync(file, sections.join('').replace(/\n{3,}/g, '\n\n'));
  }
  return section;
}
