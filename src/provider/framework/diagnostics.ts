import type { AttributePath } from '../../core/errors';

export type { AttributePath };

/**
 * Diagnostics in the shape Terraform shows them: a one-line summary, a
 * detail that says what to do, and optionally the attribute they are about.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail: string;
  path?: AttributePath;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail: string, path?: AttributePath): void {
    this.items.push({ severity: 'error', summary, detail, path });
  }

  warning(summary: string, detail: string, path?: AttributePath): void {
    this.items.push({ severity: 'warning', summary, detail, path });
  }

  append(other: Diagnostics): void {
    this.items.push(...other.items);
  }

  get hasErrors(): boolean {
    return this.items.some((item) => item.severity === 'error');
  }
}
