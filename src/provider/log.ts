import { redact } from '../core/security/redaction';

/**
 * Provider logging in hclog's JSON line format on stderr. go-plugin parses
 * these lines and files them into Terraform's log at their level, so they
 * show with TF_LOG=debug. Log names, counts and timings only; never values,
 * payloads or headers. Each line is redacted once more as a last guard.
 */
type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const ORDER: Level[] = ['trace', 'debug', 'info', 'warn', 'error'];

function threshold(): number {
  const setting = (process.env.TF_LOG_PROVIDER || process.env.TF_LOG || '').toLowerCase();
  const index = ORDER.indexOf(setting as Level);
  if (index >= 0) return index;
  return setting === '' || setting === 'off' ? ORDER.length : 0; // TF_LOG=json and friends mean trace
}

const minimum = threshold();

/** Whether lines of this level are written: callers skip the work of preparing a line nobody reads. */
export const logs = (level: Level): boolean => ORDER.indexOf(level) >= minimum;

/** hclog's timestamp layout has exactly six fractional digits; go-plugin rejects the line otherwise. */
const timestamp = (): string => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (!logs(level)) return;
  const line = JSON.stringify({ '@level': level, '@message': message, '@module': 'apikeys', '@timestamp': timestamp(), ...fields });
  process.stderr.write(`${redact(line)}\n`);
}

export const logger = {
  trace: (message: string, fields?: Record<string, unknown>) => write('trace', message, fields),
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
