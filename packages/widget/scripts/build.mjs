// Builds the two files a page and the frame load, as the lead server serves them (packages/server,
// widgetAssets.ts): dist/widget.js, a classic script for the script tag, and dist/frame.js plus
// dist/frame.css for the conversation frame. Both are single IIFE files with no imports at run time.
import { fileURLToPath } from 'node:url';
import { bundle } from '../../../scripts/bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../dist', import.meta.url));
const source = (file) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

await bundle({
  root,
  outDir,
  name: 'widget',
  globalName: 'IntakeChatWidget',
  entry: source('shell/widget.ts'),
  jsx: 'classic',
  emptyOutDir: true,
  // Nearly every function of the shell runs as the page loads: compile them off the main thread.
  eager: true,
});
await bundle({
  root,
  outDir,
  name: 'frame',
  globalName: 'IntakeChatFrame',
  entry: source('frame/main.tsx'),
  jsx: 'automatic',
  emptyOutDir: false,
});
