/**
 * The first code of the provider executable. It runs the bundled provider
 * through a V8 code cache: compiling the ~1 MB bundle costs more than half of
 * the provider's start-up otherwise, and Terraform starts the provider three
 * or four times for every plan or apply.
 *
 * The cache lives in a per-user directory (mode 0700, never a shared temp
 * directory, since cached code is executable), is keyed by the bundle's hash
 * and the Node.js version, and is simply skipped when unusable.
 * APIKEYS_PROVIDER_CODE_CACHE=0 turns it off.
 *
 * The same code is the main script of the standalone (single-executable)
 * provider, where it caches code the same way.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

declare const __PROVIDER_PAYLOAD__: string;
declare const __PROVIDER_PAYLOAD_HASH__: string;
/** Packages compiled on first use, by the id the main payload asks for them (`apikeys:<package>`, scripts/build.mjs): gzip, base64. */
declare const __LAZY_PAYLOADS__: Readonly<Record<string, { readonly payload: string; readonly hash: string }>>;

const CACHE_PREFIX = 'terraform-provider-apikeys-';
const MINIMUM_NODE_MAJOR = 20;

// An older node on PATH would fail somewhere inside the bundle; say what is wrong instead. The message goes to
// stdout, the only output Terraform shows when a plugin does not start ("Unrecognized remote plugin message").
if (Number(process.versions.node.split('.')[0]) < MINIMUM_NODE_MAJOR) {
  process.stdout.write(`terraform-provider-apikeys: needs Node.js ${MINIMUM_NODE_MAJOR} or later, and the node on PATH is ${process.version}. Upgrade Node.js where Terraform runs, or use the standalone provider from the release archives.\n`);
  process.exit(1);
}

function cacheDirectory(): string | undefined {
  if (process.env.APIKEYS_PROVIDER_CODE_CACHE === '0') return undefined;
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : undefined);
  return base ? join(base, 'cdktf-apikeys') : undefined;
}

function readCache(file: string | undefined): Buffer | undefined {
  try {
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(directory: string, file: string, data: Buffer, keep: string[]): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file); // atomic: parallel provider processes never see half a file
    for (const entry of readdirSync(directory)) {
      // Older builds' caches for this runtime go; the other runtime's (bundle or standalone) stays.
      if (entry.startsWith(CACHE_PREFIX) && entry.endsWith(CACHE_SUFFIX) && !keep.includes(join(directory, entry))) rmSync(join(directory, entry), { force: true });
    }
  } catch {
    // A cache is an optimisation; failing to write one changes nothing.
  }
}

const directory = cacheDirectory();
/** Whether this is the standalone executable: it keeps its own cache, so a bundle run by node on the same machine never rejects it. */
function runtimeTag(): string {
  try {
    return (require('node:sea') as { isSea(): boolean }).isSea() ? 'sea' : 'node';
  } catch {
    return 'node'; // node:sea arrived in Node.js 20.12
  }
}

const CACHE_SUFFIX = `-${process.version}-${process.arch}-${runtimeTag()}.v8cache`;
const cacheFileOf = (hash: string) => directory && join(directory, `${CACHE_PREFIX}${hash}${CACHE_SUFFIX}`);
const cacheFilesInUse = [__PROVIDER_PAYLOAD_HASH__, ...Object.values(__LAZY_PAYLOADS__).map((lazy) => lazy.hash)]
  .map(cacheFileOf).filter((file): file is string => Boolean(file));

/** Compiles a CommonJS module's source through its code cache and runs it; returns its exports. */
function runCached(source: string, hash: string, filename: string): unknown {
  const cacheFile = cacheFileOf(hash);
  const cachedData = readCache(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename, cachedData });
  if (directory && cacheFile && (!cachedData || script.cachedDataRejected)) {
    // Written late (at exit, or after a while for long runs) so that it also
    // holds the functions this run compiled lazily.
    let written = false;
    const persist = () => {
      if (written) return;
      written = true;
      writeCache(directory, cacheFile, script.createCachedData(), cacheFilesInUse);
    };
    process.once('exit', persist);
    setTimeout(persist, 2_000).unref();
  }
  const module = { exports: {} as unknown };
  script.runInThisContext()(module.exports, payloadRequire, module, filename, dirname(filename));
  return module.exports;
}

/**
 * undici is most of the bundle's code (about 520 of 690 kB) and only vendor
 * calls need it, which the provider's validate and schema processes never
 * make; age-encryption (150 kB) only keys sealed to `secret_recipients` need.
 * Each is a payload of its own, compiled on first use. Keeping undici out of
 * the main payload saves about 20 ms of CPU per provider start (measured), and
 * gzip (base64) saves scanning its string literal at each start.
 */
const loaded = new Map<string, unknown>();
function payloadRequire(id: string): unknown {
  const lazy = Object.prototype.hasOwnProperty.call(__LAZY_PAYLOADS__, id) ? __LAZY_PAYLOADS__[id] : undefined;
  if (!lazy) return require(id);
  if (!loaded.has(id)) {
    const { gunzipSync } = require('node:zlib') as typeof import('node:zlib'); // loaded here: zlib costs start-up too
    loaded.set(id, runCached(gunzipSync(Buffer.from(lazy.payload, 'base64')).toString('utf8'), lazy.hash, `${__filename}#${id.slice('apikeys:'.length)}`));
  }
  return loaded.get(id);
}

runCached(__PROVIDER_PAYLOAD__, __PROVIDER_PAYLOAD_HASH__, __filename);
