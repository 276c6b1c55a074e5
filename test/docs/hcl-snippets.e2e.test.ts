import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_VERSION, PROVIDER_LOCK_FILE, assertProviderBuilt } from '../../src/cli/paths';
import { run, type RunResult } from '../../src/cli/run';
import { terraformEnvironment } from '../../src/cli/terraform-env';
import { ROOT, codeBlocks } from './markdown';

/**
 * Every ```hcl block of README.md and docs/**\/*.md goes through `terraform init` and
 * `terraform validate` with the provider from this checkout's build (implied local mirror,
 * no registry): alone, as a reader pastes it after the provider page's configuration, and
 * all together, so that pasting several pages into one configuration collides nowhere.
 */
const REQUIRED_PROVIDERS = `terraform {\n  required_providers {\n    apikeys = { source = "cdktf-apikeys/apikeys", version = "${PACKAGE_VERSION}" }\n  }\n}\n`;
/** Top-level `terraform { ... }` blocks (the docs format them with the closing brace in column 0). */
const TERRAFORM_BLOCK = /^terraform \{[\s\S]*?^\}\n?/gm;

const declaredAliases = (text: string): Set<string> => new Set([...text.matchAll(/^\s*alias\s*=\s*"([^"]+)"/gm)].map((match) => match[1]));
const referencedAliases = (text: string): Set<string> => new Set([...text.matchAll(/\bapikeys\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((match) => match[1]));

/** A snippet as a whole configuration: the provider requirement and the provider configurations it only refers to. */
function asConfiguration(text: string): string {
  const declared = declaredAliases(text);
  const missing = [...referencedAliases(text)].filter((alias) => !declared.has(alias));
  return [
    /required_providers/.test(text) ? '' : REQUIRED_PROVIDERS,
    text,
    ...missing.map((alias) => `provider "apikeys" {\n  alias = "${alias}"\n}\n`),
  ].join('\n');
}

/** At most `limit` at a time: each init and validate starts terraform and the provider. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  }));
  return results;
}

const describeResult = (step: string, result: RunResult): string => `${step} exited ${result.exitCode}\n${result.stdout}${result.stderr}`;

const SNIPPETS = codeBlocks('hcl');
let scratch: string;

beforeAll(() => {
  assertProviderBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'apikeys-docs-hcl-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `terraform init` then `terraform validate` in a fresh directory; the problems, if any, as text. */
async function validate(name: string, configuration: string): Promise<string | undefined> {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.tf'), configuration);
  copyFileSync(PROVIDER_LOCK_FILE, join(dir, '.terraform.lock.hcl'));
  // Validation must not depend on who runs it: no credentials, only the operator's allowed hosts.
  const env = terraformEnvironment(join(dir, '.cli'), { APIKEYS_ALLOWED_HOSTS: '127.0.0.1' });
  for (const key of Object.keys(env)) if (/_KEY$|_SECRET$|_CLIENT_ID$|_BASE_URL$/.test(key)) delete env[key];
  const init = await run('terraform', ['init', '-no-color', '-input=false', '-backend=false'], { cwd: dir, env });
  if (init.exitCode !== 0) return describeResult('terraform init', init);
  const result = await run('terraform', ['validate', '-no-color'], { cwd: dir, env });
  return result.exitCode === 0 && !/Warning:/.test(result.stdout + result.stderr) ? undefined : describeResult('terraform validate', result);
}

describe('HCL snippets of the README and docs', () => {
  test('there are snippets for the provider, every resource and the data source', () => {
    const pages = new Set(SNIPPETS.map((snippet) => snippet.where.split(':')[0]));
    for (const page of ['README.md', 'docs/index.md', 'docs/data-sources/organization_keys.md']) expect(pages).toContain(page);
    for (const page of readdirSync(join(ROOT, 'docs', 'resources'))) expect(pages).toContain(`docs/resources/${page}`);
  });

  test('every importable resource page shows an import {} block', () => {
    for (const page of readdirSync(join(ROOT, 'docs', 'resources'))) {
      // A resource that refuses import says so in its Import section instead.
      if (/This resource cannot be imported/.test(readFileSync(join(ROOT, 'docs', 'resources', page), 'utf8'))) continue;
      const imports = SNIPPETS.filter((snippet) => snippet.where.startsWith(`docs/resources/${page}:`) && /^import \{/m.test(snippet.text));
      expect([page, imports.length > 0]).toEqual([page, true]);
    }
  });

  test('each snippet validates on its own, and all of them pasted into one configuration', async () => {
    const combined = [REQUIRED_PROVIDERS, ...SNIPPETS.map((snippet) => `# ${snippet.where}\n${snippet.text.replace(TERRAFORM_BLOCK, '')}`)].join('\n');
    const cases = [
      ...SNIPPETS.map((snippet, index) => ({ name: `snippet-${index}`, where: snippet.where, configuration: asConfiguration(snippet.text) })),
      { name: 'all-together', where: 'all snippets in one configuration', configuration: asConfiguration(combined) },
    ];
    const problems = await inBatches(cases, 3, async (item) => {
      const problem = await validate(item.name, item.configuration);
      return problem && `${item.where}:\n${problem}`;
    });
    expect(problems.filter(Boolean)).toEqual([]);
  });

  test('the check can fail: a snippet with an unknown argument does not validate', async () => {
    const problem = await validate('negative', asConfiguration('resource "apikeys_openai_admin_key" "x" {\n  provider = apikeys.acme_openai\n  nmae     = "typo"\n}\n'));
    expect(problem).toMatch(/nmae/);
  });
});
