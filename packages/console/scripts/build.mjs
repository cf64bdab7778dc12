// Builds dist/console.js and dist/console.css, which the lead server serves at /admin
// (packages/server, consoleAssets.ts), with the same bundler settings as the widget.
import { fileURLToPath } from 'node:url';
import { bundle } from '../../../scripts/bundle.mjs';

await bundle({
  root: fileURLToPath(new URL('..', import.meta.url)),
  outDir: fileURLToPath(new URL('../dist', import.meta.url)),
  name: 'console',
  globalName: 'IntakeChatConsole',
  entry: fileURLToPath(new URL('../src/main.tsx', import.meta.url)),
  jsx: 'automatic',
  emptyOutDir: true,
});
