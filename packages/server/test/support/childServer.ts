import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** Kills the server (SIGTERM by default, SIGKILL for a crash) and resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ChildServerOptions {
  /** Reuse a data folder, e.g. to restart after a crash; a fresh temporary one otherwise. */
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** A fixed key, so a test can open what the child sealed. Never used outside tests. */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repoDir = resolve(packageDir, '../..');
const bin = join(packageDir, 'bin/intake-chat.js');
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const TAIL_CHARS = 8_000;

/** A fresh temporary data folder; the caller removes it with `removeDataDir` in `afterAll`. */
export function createDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'intake-child-'));
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Starts `intake-chat serve --port 0` as a child process, like an operator would, and resolves
 * once it logs "listening on". Rate limits are off: the tests load it from one address.
 */
export async function startChildServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const dataDir = options.dataDir ?? createDataDir();
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data', dataDir], {
    cwd: repoDir,
    env: {
      PATH: process.env.PATH ?? '',
      INTAKE_DATA_KEY: TEST_DATA_KEY,
      INTAKE_RATE_LIMIT: 'off',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-TAIL_CHARS);
  });

  const listening = new Promise<string>((done, fail) => {
    let pending = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the server did not log "listening on" within ${START_TIMEOUT_MS} ms; stderr:\n${stderr}`));
    }, START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (code ${code}, signal ${signal}) before listening; stderr:\n${stderr}`));
    };
    child.once('exit', onExit);
    const stdout = child.stdout?.setEncoding('utf8');
    stdout?.on('data', (text: string) => {
      pending += text;
      const found = /"message":"listening on (http:\/\/[^"]+)"/.exec(pending);
      if (found?.[1] !== undefined) {
        clearTimeout(timer);
        child.off('exit', onExit);
        done(found[1]);
      }
      pending = pending.slice(-TAIL_CHARS);
    });
  });
  let url: string;
  try {
    url = await listening;
  } catch (error) {
    await exited;
    if (options.dataDir === undefined) removeDataDir(dataDir);
    throw error;
  }
  // Keep reading: the server logs a line per request, and a full pipe would stall it.
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();

  return {
    url,
    child,
    dataDir,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Builds the engine and the server when a `dist/index.js` is missing or older than any file of its
 * `src`, as `npm test` does first: the child runs the built server, which imports the built engine.
 * A lock folder keeps two test files from running tsc over the same output at once.
 */
export async function buildServerIfStale(): Promise<void> {
  const lock = join(tmpdir(), 'intake-chat-server-build.lock');
  const deadline = Date.now() + 60_000;
  while (packages.some(isStale)) {
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${lock} after 60 s; remove it if no build is running`);
    try {
      mkdirSync(lock);
    } catch {
      // Another worker is building; wait for it and look again. A lock older than two minutes
      // was left by a killed run.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { force: true, recursive: true });
      await new Promise((done) => setTimeout(done, 200));
      continue;
    }
    try {
      for (const name of packages.filter(isStale)) build(name);
    } finally {
      rmSync(lock, { force: true, recursive: true });
    }
    const stale = packages.filter(isStale);
    if (stale.length > 0) throw new Error(`${stale.join(', ')}: dist is still older than src after a build`);
  }
}

/** The engine first: the server's build reads its declarations. */
const packages = ['engine', 'server'];

function build(name: string): void {
  try {
    execFileSync('npx', ['tsc', '-p', `packages/${name}/tsconfig.build.json`], { cwd: repoDir, stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`building packages/${name} failed:\n${output || (error as Error).message}`);
  }
}

function isStale(name: string): boolean {
  const built = statSync(join(repoDir, 'packages', name, 'dist/index.js'), { throwIfNoEntry: false });
  return built === undefined || newestIn(join(repoDir, 'packages', name, 'src')) > built.mtimeMs;
}

function newestIn(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
