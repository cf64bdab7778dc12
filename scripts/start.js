// `npm start`: the local lead server with the demo center, on an embedded SQLite file under ./data.
// The demo website (http://127.0.0.1:5173) arrives with the widget (issues 3 and 6).
import { spawn } from 'node:child_process';

const port = process.env.PORT ?? '8787';
console.log(`intake-chat: starting the lead server for the demo center "riverbend" on http://127.0.0.1:${port}
  API description  http://127.0.0.1:${port}/openapi.json
  health           http://127.0.0.1:${port}/healthz
The demo website with the chat arrives with the widget. Stop with Ctrl+C.
`);
const server = spawn(process.execPath, ['packages/server/bin/intake-chat.js', 'serve', '--port', port], {
  stdio: 'inherit',
  env: { ...process.env, INTAKE_DATA_DIR: process.env.INTAKE_DATA_DIR ?? './data' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
