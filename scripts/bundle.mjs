// The one way this repository builds browser code: a self-contained classic script (IIFE) per entry,
// with its CSS beside it, no imports at run time and no source maps. Used by the widget
// (packages/widget/scripts/build.mjs) and the staff console (packages/console/scripts/build.mjs).
import { build } from 'vite';

/**
 * @param {object} options
 * @param {string} options.root the package folder
 * @param {string} options.entry the entry file
 * @param {string} options.outDir where `${name}.js` (and `${name}.css`) go
 * @param {string} options.name the output file name, without extension
 * @param {string} options.globalName the IIFE's global
 * @param {'classic' | 'automatic'} options.jsx classic `h` (smallest, for the shell) or Preact's automatic runtime
 * @param {boolean} options.emptyOutDir whether to clear outDir first
 */
export function bundle({ root, entry, outDir, name, globalName, jsx, emptyOutDir }) {
  return build({
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
}
