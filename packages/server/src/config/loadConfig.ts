import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFlow, type Flow, FlowError, parseFlow } from '@intake-chat/engine';
import { describeIssues } from '@intake-chat/engine/schema';
import { parseDocument } from 'yaml';
import { type CenterSettings, centerFields, configSchema } from './configSchema.js';

/** A center ready to serve: its settings, its parsed flow and its webhooks with their secrets. */
export type CenterConfig = Omit<CenterSettings, 'flow' | 'webhooks'> & {
  flow: Flow;
  webhooks: { url: string; secret: string }[];
};

export interface Config {
  centers: Map<string, CenterConfig>;
  /** The absolute path of the file the config was read from. */
  source: string;
}

/** Everything wrong with a config file, each problem with where it is and how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${file} has ${count}:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    this.file = file;
    this.problems = problems;
  }
}

// The same relative path works from src/config/ and from the built dist/config/.
const DEMO_CONFIG = new URL('../../config/demo.json', import.meta.url);

// Standard Webhooks: a signing secret is "whsec_" followed by base64 key bytes.
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads and checks a config file (JSON, or YAML for `.yaml`/`.yml`): the shipped demo config when
 * `file` is undefined. Flow paths are relative to the config file's folder; webhook secrets are read
 * from `env`. Throws one ConfigError listing every problem.
 */
export function loadConfig(file: string | undefined, env: Record<string, string | undefined>): Config {
  const source = file === undefined ? fileURLToPath(DEMO_CONFIG) : resolve(file);
  const document = readDocument(source);
  if ('problems' in document) throw new ConfigError(source, document.problems);

  const parsed = configSchema.safeParse(document.value);
  const problems = parsed.success
    ? []
    : describeIssues(parsed.error.issues, document.value, {
        whole: '(the file)',
        notAnObject: 'a config file must be an object with a "centers" list',
      });
  // Flows and secrets are checked even when other fields are wrong, so that one run lists everything.
  const flows = new FlowLoader(dirname(source));
  const extras = rawCenters(document.value).map((raw, i) => resolveCenter(raw, `centers[${i}]`, flows, env));
  problems.push(...flows.problems, ...extras.flatMap((extra) => extra.problems));
  if (!parsed.success || problems.length > 0) throw new ConfigError(source, problems);

  const centers = new Map<string, CenterConfig>();
  parsed.data.centers.forEach((center, i) => {
    const { flow, webhooks } = extras[i] ?? {};
    if (flow === undefined || webhooks === undefined) return; // unreachable: a problem was listed above
    centers.set(center.id, { ...center, flow, webhooks });
  });
  return { centers, source };
}

/**
 * The checks a center needs beyond its shape: its flow file, its locales, its webhook secrets.
 * Each field is read on its own, so a typo elsewhere in the center does not hide these problems.
 */
function resolveCenter(
  raw: unknown,
  at: string,
  flows: FlowLoader,
  env: Record<string, string | undefined>,
): { flow?: Flow; webhooks?: { url: string; secret: string }[]; problems: string[] } {
  const problems: string[] = [];
  const field = (key: string): unknown =>
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
  const { shape } = centerFields;

  const path = shape.flow.safeParse(field('flow'));
  const flow = path.success ? flows.load(path.data, `${at}.flow`) : undefined;
  const locales = shape.locales.safeParse(field('locales'));
  if (flow !== undefined && locales.success) {
    for (const locale of locales.data) {
      if (flow.locales.includes(locale)) continue;
      problems.push(
        field('locales') === undefined
          ? `${at}.locales: defaults to ["en", "es"], but the flow has no "${locale}" copy; set "locales" to the flow's (${flow.locales.join(', ')}) or add "${locale}" copy to the flow`
          : `${at}.locales: "${locale}" is not one of the flow's locales (${flow.locales.join(', ')}); remove it or add "${locale}" copy to the flow`,
      );
    }
  }

  const hooks = shape.webhooks.safeParse(field('webhooks'));
  if (!hooks.success) return { ...(flow === undefined ? {} : { flow }), problems };
  const webhooks: { url: string; secret: string }[] = [];
  (hooks.data ?? []).forEach(({ url, secretEnv }, j) => {
    const secret = env[secretEnv];
    const where = `${at}.webhooks[${j}].secretEnv`;
    if (secret === undefined || secret === '') {
      problems.push(
        `${where}: the environment variable ${secretEnv} is not set; set it to this webhook's signing secret ("whsec_...")`,
      );
    } else if (!WEBHOOK_SECRET.test(secret)) {
      // Never echo the value: it is a secret, and error messages end up in logs.
      problems.push(
        `${where}: the environment variable ${secretEnv} does not hold a webhook secret; set it to "whsec_" followed by the base64 key`,
      );
    } else {
      webhooks.push({ url, secret });
    }
  });
  return { ...(flow === undefined ? {} : { flow }), webhooks, problems };
}

/** Loads each flow file once, however many centers share it, and lists its problems once. */
class FlowLoader {
  readonly problems: string[] = [];
  readonly #folder: string;
  readonly #flows = new Map<string, Flow | undefined>();

  constructor(folder: string) {
    this.#folder = folder;
  }

  load(path: string | undefined, at: string): Flow | undefined {
    if (path === undefined) return defaultFlow;
    const file = resolve(this.#folder, path);
    if (this.#flows.has(file)) return this.#flows.get(file);
    const flow = this.#read(file, at);
    this.#flows.set(file, flow);
    return flow;
  }

  #read(file: string, at: string): Flow | undefined {
    const document = readDocument(file);
    if ('problems' in document) {
      this.problems.push(
        ...document.problems.map(
          (problem) => `${at}: ${file}: ${problem} (flow paths are relative to the config file)`,
        ),
      );
      return undefined;
    }
    try {
      return parseFlow(document.value);
    } catch (error) {
      if (!(error instanceof FlowError)) throw error;
      this.problems.push(...error.problems.map((problem) => `${file}: ${problem}`));
      return undefined;
    }
  }
}

/** A file's contents as data, or why it cannot be read. */
function readDocument(file: string): { value: unknown } | { problems: string[] } {
  let text: string;
  try {
    // Some Windows editors start files with a byte-order mark, which JSON.parse rejects.
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    return { problems: [readProblem(error)] };
  }
  const kind = extname(file).toLowerCase();
  if (kind !== '.json' && kind !== '.yaml' && kind !== '.yml') {
    return { problems: ['the file must be JSON (.json) or YAML (.yaml, .yml); rename it or convert it'] };
  }
  if (kind === '.json') {
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      return { problems: [`not valid JSON: ${jsonProblem(text, error)}; fix the syntax there`] };
    }
  }
  const yaml = parseDocument(text, { prettyErrors: true });
  if (yaml.errors.length > 0) {
    // yaml's messages already say "at line L, column C", followed by a code excerpt we leave out.
    return {
      problems: yaml.errors.map((error) => `not valid YAML: ${error.message.split('\n')[0]}; fix the syntax there`),
    };
  }
  return { value: yaml.toJS() };
}

function readProblem(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'the file does not exist; check the path';
  if (code === 'EACCES' || code === 'EPERM') return 'the file cannot be read (permission denied); make it readable';
  if (code === 'EISDIR') return 'this is a folder, not a file; give the path of the config file itself';
  return `the file cannot be read (${error instanceof Error ? error.message : String(error)})`;
}

/** The parser's message, with "at position N" also given as a line and column people can find. */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  const offset =
    position !== undefined ? Number(position) : /end of JSON input/.test(message) ? text.length : undefined;
  if (offset === undefined || /\(line \d+ column \d+\)/.test(message)) return message;
  const before = text.slice(0, offset).split('\n');
  return `${message} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

function rawCenters(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null || !('centers' in value)) return [];
  return Array.isArray(value.centers) ? value.centers : [];
}
