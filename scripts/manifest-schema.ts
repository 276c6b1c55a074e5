// Writes schema/manifest.schema.json from the manifest's zod schema (lib/manifest/schema.ts).
//   node --require ts-node/register/transpile-only scripts/manifest-schema.ts          # write
//   node --require ts-node/register/transpile-only scripts/manifest-schema.ts --check  # exit 1 if the file is stale
// test/lib/manifest/json-schema.test.ts fails when the committed file differs from a fresh generation.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchemaText } from '../lib/manifest/json-schema';

const target = join(__dirname, '..', MANIFEST_JSON_SCHEMA_PATH);
const text = manifestJsonSchemaText();
if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing counts as stale */ }
  if (current !== text) {
    process.stderr.write(`${MANIFEST_JSON_SCHEMA_PATH} is stale: run "npm run schema" and commit it\n`);
    process.exitCode = 1;
  }
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  process.stdout.write(`wrote ${MANIFEST_JSON_SCHEMA_PATH}\n`);
}
