// The flow CLI's entry, built to dist/cli.js for the `intake-chat-flow` bin.
export { type CliIo, runFlowCli, USAGE } from './cli/runFlowCli.js';
