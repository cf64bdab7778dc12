#!/usr/bin/env node
// The lead server's command line: `intake-chat serve|migrate|purge|export`.
import { runCli } from '../dist/index.js';

let stop;
const stopped = new Promise((resolve) => {
  stop = resolve;
});
process.once('SIGINT', () => stop());
process.once('SIGTERM', () => stop());

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stopped,
});
process.exit(code);
