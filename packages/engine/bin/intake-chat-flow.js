#!/usr/bin/env node
// Validates and draws intake flows: `intake-chat-flow check|graph|init <file>`.
import { readFileSync, writeFileSync } from 'node:fs';
import { runFlowCli } from '../dist/cli.js';

const code = runFlowCli(process.argv.slice(2), {
  readFile: (path) => readFileSync(path, 'utf8'),
  createFile: (path, text) => writeFileSync(path, text, { flag: 'wx' }),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
