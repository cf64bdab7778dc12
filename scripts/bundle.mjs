// The one way this repository builds browser code: a self-contained classic script (IIFE) per entry,
// with its CSS beside it, no imports at run time and no source maps. Used by the widget
// (packages/widget/scripts/build.mjs) and the staff console (packages/console/scripts/build.mjs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

/**
 * V8's compile hint for a script whose functions nearly all run as it loads (Chrome 136 and later;
 * other engines read a comment). V8 then compiles them all while the file streams in, on a
 * background thread, instead of pausing the page's main thread to compile each one at its first
 * call. It must be the file's first line. For widget.js it took the host page's median script time
 * from about 26 ms to 21 ms at 4x CPU throttling (docs/performance.md).
 */
const EAGER = '//# allFunctionsCalledOnLoad\n';

/**
 * @param {object} options
 * @param {string} options.root the package folder
 * @param {string} options.entry the entry file
 * @param {string} options.outDir where `${name}.js` (and `${name}.css`) go
 * @param {string} options.name the output file name, without extension
 * @param {string} options.globalName the IIFE's global
 * @param {'classic' | 'automatic'} options.jsx classic `h` (smallest, for the shell) or Preact's automatic runtime
 * @param {boolean} options.emptyOutDir whether to clear outDir first
 * @param {boolean} [options.eager] mark the script as run in full on load (see EAGER above)
 */
export async function bundle({ root, entry, outDir, name, globalName, jsx, emptyOutDir, eager = false }) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    // Packages resolve each other's TypeScript sources, as in tests (vite.config.ts at the root).
    resolve: { conditions: ['source', 'module', 'browser', 'production'] },
    oxc:
      jsx === 'classic'
        ? { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } }
        : { jsx: { runtime: 'automatic', importSource: 'preact' } },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir,
      emptyOutDir,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      cssCodeSplit: false,
      lib: { entry, name: globalName, formats: ['iife'], fileName: () => `${name}.js`, cssFileName: name },
    },
  });
  if (eager) {
    const file = join(outDir, `${name}.js`);
    writeFileSync(file, EAGER + readFileSync(file, 'utf8'));
  }
  // What the lead server sends to browsers that accept it: each file compressed once, at the highest
  // settings, beside it (name.js.br, name.js.gz). The server checks a copy matches before using it.
  for (const file of [`${name}.js`, `${name}.css`].map((file) => join(outDir, file))) {
    if (!existsSync(file)) continue;
    const body = readFileSync(file);
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
    );
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  }
}
