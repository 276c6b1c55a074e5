/**
 * Writes the CDKTF bindings (lib/bindings) and the reference docs (docs/) from
 * the provider schema: `npm run generate`. With `--check` it writes nothing
 * and fails when the committed files differ (the build runs it so).
 */
import { apiKeysProvider } from '../src/provider/provider';
import { drift, generateFiles, writeFiles } from './generate/index';
import { providerModel, reservedNameProblems } from './generate/schema-model';

// Not fatal: the bindings still synthesize HCL that Terraform accepts; JSON (cdktf's default) is what breaks.
for (const problem of reservedNameProblems(providerModel(apiKeysProvider))) process.stderr.write(`warning: ${problem}\n`);

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
