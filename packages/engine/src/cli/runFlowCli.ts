import { defaultFlow } from '../defaultFlow.js';
import { flowToMermaid } from '../flow/flowToMermaid.js';
import { FlowError, parseFlow } from '../flow/parseFlow.js';

/** What the CLI may touch, so it runs the same under Node and in tests. */
export interface CliIo {
  readonly readFile: (path: string) => string;
  /** Writes a new file; throws if it exists. */
  readonly createFile: (path: string, text: string) => void;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const USAGE = `Usage: intake-chat-flow <command> [file]

Commands:
  check <file>   Validate a flow file and list every problem with its path and fix.
  graph <file>   Print the flow as a Mermaid state diagram.
  init  <file>   Write the default IOP intake flow to <file>, to start a custom flow.

Exit codes: 0 valid, 1 the flow has problems, 2 wrong usage or unreadable file.
`;

/** `intake-chat-flow check|graph|init <file>`; returns the exit code. */
export function runFlowCli(args: readonly string[], io: CliIo): number {
  const [command, file, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (!['check', 'graph', 'init'].includes(command)) {
    io.stderr(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  if (file === undefined || rest.length > 0) {
    io.stderr(`"${command}" takes exactly one file, as in: intake-chat-flow ${command} my-flow.json\n`);
    return 2;
  }
  if (command === 'init') return init(file, io);

  const json = readJson(file, io);
  if (json === undefined) return 2;
  try {
    const flow = parseFlow(json);
    if (command === 'graph') {
      io.stdout(flowToMermaid(flow));
    } else {
      const routes = new Set(flow.triage.map((rule) => rule.route)).size;
      io.stdout(
        `${file}: flow "${flow.id}" version ${flow.version} is valid: ${flow.steps.length} steps, ${routes} routes, locales ${flow.locales.join(', ')}.\n`,
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    io.stderr(`${file}: ${error.message}\n`);
    return 1;
  }
}

function readJson(file: string, io: CliIo): unknown {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    io.stderr(`Cannot read ${file}: ${(error as Error).message}\n`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    io.stderr(
      `${file} is not valid JSON: ${(error as Error).message}\nCheck for a missing comma or quote near that position.\n`,
    );
    return undefined;
  }
}

function init(file: string, io: CliIo): number {
  try {
    io.createFile(file, `${JSON.stringify(defaultFlow, null, 2)}\n`);
  } catch (error) {
    io.stderr(
      `Cannot create ${file}: ${(error as Error).message}\nChoose a new file name; init never overwrites a file.\n`,
    );
    return 2;
  }
  io.stdout(
    `Wrote the default flow "${defaultFlow.id}" to ${file}. Edit it, then run: intake-chat-flow check ${file}\n`,
  );
  return 0;
}
