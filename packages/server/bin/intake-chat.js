#!/usr/bin/env node
// The lead server's command line: `intake-chat serve|migrate|purge|export|staff`.
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
  readPassword,
});
process.exit(code);

/** Reads a line from the terminal without showing it; '' when no one is at a terminal. */
function readPassword(prompt) {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) return Promise.resolve('');
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          stderr.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          stderr.write('\n');
          process.exit(130);
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}
