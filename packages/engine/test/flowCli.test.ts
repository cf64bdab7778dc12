import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFlow } from '@intake-chat/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runFlowCli } from '../src/cli.js';

/** A CLI run against files held in memory, recording what it prints. */
function cliWith(files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    createFile: (path, text) => {
      if (path in files) throw new Error(`EEXIST: file already exists, open '${path}'`);
      files[path] = text;
    },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  };
  return {
    files,
    run: (...args: string[]) => {
      stdout = '';
      stderr = '';
      const code = runFlowCli(args, io);
      return { code, stdout, stderr };
    },
  };
}

const defaultJson = `${JSON.stringify(defaultFlow, null, 2)}\n`;

/** The default flow with two problems: a route that is not defined, and a goto that skips a step. */
function brokenJson(): string {
  const flow = JSON.parse(defaultJson);
  flow.triage[1].route = 'detox';
  flow.steps[8].next = [{ goto: 'hours-possible' }];
  return JSON.stringify(flow);
}

describe('intake-chat-flow check', () => {
  it('says a valid flow is valid, with a one-line summary', () => {
    const result = cliWith({ 'flow.json': defaultJson }).run('check', 'flow.json');
    expect(result).toEqual({
      code: 0,
      stdout: 'flow.json: flow "iop-intake" version 2 is valid: 14 steps, 7 routes, locales en, es.\n',
      stderr: '',
    });
  });

  it('lists every problem of an invalid flow on stderr and exits with 1', () => {
    const result = cliWith({ 'flow.json': brokenJson() }).run('check', 'flow.json');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^flow\.json: This flow has 2 problems:\n/);
    expect(result.stderr).toContain('- triage[1].route: "detox" is not defined; add it under "routes"');
    expect(result.stderr).toContain('- steps[9]: "duties" can never be reached');
  });

  it('points at broken JSON and suggests what to look for, exiting with 2', () => {
    const result = cliWith({ 'flow.json': '{ "id": "iop-intake" "version": 1 }' }).run('check', 'flow.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^flow\.json is not valid JSON: .+\nCheck for a missing comma or quote/);
  });

  it('says which file it cannot read, exiting with 2', () => {
    const result = cliWith().run('check', 'missing.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Cannot read missing\.json: ENOENT/);
  });
});

describe('intake-chat-flow usage', () => {
  it('answers an unknown command with the usage, exiting with 2', () => {
    const result = cliWith().run('validate', 'flow.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "validate"');
    expect(result.stderr).toContain('Usage: intake-chat-flow <command> [file]');
  });

  it('asks for exactly one file', () => {
    const result = cliWith().run('check');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('as in: intake-chat-flow check my-flow.json');
  });
});

describe('intake-chat-flow graph', () => {
  it('prints a Mermaid state diagram naming every step', () => {
    const result = cliWith({ 'flow.json': defaultJson }).run('graph', 'flow.json');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('stateDiagram-v2\n')).toBe(true);
    for (const step of defaultFlow.steps) expect(result.stdout).toContain(`"${step.id} (`);
  });

  it('draws nothing for an invalid flow and lists its problems instead', () => {
    const result = cliWith({ 'flow.json': brokenJson() }).run('graph', 'flow.json');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('This flow has 2 problems');
  });
});

describe('intake-chat-flow init', () => {
  it('writes the default flow, which check then accepts', () => {
    const cli = cliWith();
    const init = cli.run('init', 'my-flow.json');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('run: intake-chat-flow check my-flow.json');
    expect(JSON.parse(cli.files['my-flow.json'] ?? '')).toEqual(defaultFlow);
    expect(cli.run('check', 'my-flow.json').code).toBe(0);
  });

  it('refuses to overwrite a file, leaving it as it was', () => {
    const cli = cliWith({ 'my-flow.json': '{ "mine": true }' });
    const result = cli.run('init', 'my-flow.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('init never overwrites a file');
    expect(cli.files['my-flow.json']).toBe('{ "mine": true }');
  });
});

describe('the intake-chat-flow bin', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const bin = join(root, 'packages/engine/bin/intake-chat-flow.js');
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'intake-chat-flow-'));
    // The bin runs the built CLI; `npm test` builds first, a lone vitest run may not have.
    if (!existsSync(join(root, 'packages/engine/dist/cli.js'))) {
      execFileSync('npx', ['tsc', '-p', 'packages/engine/tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
    }
  }, 120_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('runs under Node, exiting 0 for a valid flow and 1 for a broken one', () => {
    const valid = join(dir, 'valid.json');
    const broken = join(dir, 'broken.json');
    writeFileSync(valid, defaultJson);
    writeFileSync(broken, brokenJson());
    const check = (file: string) => spawnSync(process.execPath, [bin, 'check', file], { encoding: 'utf8' });

    const accepted = check(valid);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('is valid: 14 steps');

    const rejected = check(broken);
    expect(rejected.status).toBe(1);
    expect(rejected.stderr).toContain('This flow has 2 problems');
  });
});
