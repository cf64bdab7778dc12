// Builds the two files a page and the frame load, as the lead server serves them (packages/server,
// widgetAssets.ts): dist/widget.js, a classic script for the script tag, and dist/frame.js plus
// dist/frame.css for the conversation frame. Both are single IIFE files with no imports at run time.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../dist', import.meta.url));

/** One self-contained classic script per entry: site builders that refuse type="module" still load it. */
const entry = (name, file, emptyOutDir) => ({
  root,
  configFile: false,
  logLevel: 'warn',
  // Packages resolve each other's TypeScript sources, as in tests (vite.config.ts at the root).
  resolve: { conditions: ['source', 'module', 'browser', 'production'] },
  oxc:
    name === 'widget'
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
    lib: {
      entry: fileURLToPath(new URL(`../src/${file}`, import.meta.url)),
      name: name === 'widget' ? 'IntakeChatWidget' : 'IntakeChatFrame',
      formats: ['iife'],
      fileName: () => `${name}.js`,
      cssFileName: name,
    },
  },
});

await build(entry('widget', 'shell/widget.ts', true));
await build(entry('frame', 'frame/main.tsx', false));
