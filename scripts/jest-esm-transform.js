/**
 * Jest runs the tests as CommonJS (ts-jest), and age-encryption and the
 * noble/scure libraries it builds on are published only as ES modules: this
 * transform compiles their files to CommonJS with esbuild, as the provider
 * bundle does (scripts/build.mjs). jest.config.js applies it to those
 * packages only.
 */
const { createHash } = require('node:crypto');
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { loader: 'js', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline' });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(require('esbuild/package.json').version).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
