/**
 * Writes the CDKTF bindings (lib/bindings) and the reference docs (docs/) from
 * the provider schema: `npm run generate`. With `--check` it writes nothing
 * and fails when the committed files differ (the build runs it so).
 */
import { apiKeysProvider } from '../src/provider/provider';
import { drift, generateFiles, writeFiles } from './generate/index';
import { providerModel, reservedNameProblems } from './generate/schema-model';

// A schema argument that JSON configurations (what cdktf synthesizes) cannot set is a schema bug: refuse to generate.
const reserved = reservedNameProblems(providerModel(apiKeysProvider));
if (reserved.length > 0) {
  process.stderr.write(`${reserved.join('\n')}\n`);
  process.exit(1);
}

const files = generateFiles(apiKeysProvider);
if (process.argv.includes('--check')) {
  const differing = drift(files);
  if (differing.length > 0) {
    process.stderr.write(`These files differ from what the provider schema generates:\n${differing.map((path) => `  ${path}`).join('\n')}\nRun \`npm run generate\` and commit the result.\n`);
    process.exit(1);
  }
} else {
  const changed = writeFiles(files);
  process.stdout.write(changed.length ? `Generated ${changed.join(', ')}\n` : 'Generated files are up to date.\n');
}
