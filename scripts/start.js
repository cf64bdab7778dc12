// `npm start`: the whole product on one machine. The lead server for the demo center (SQLite file
// under ./data, migrations applied at start) on :8787, and the demo center's website on :5173 with
// the one script tag, on its own origin as a real center's site would be.
import { spawn } from 'node:child_process';
import { startDemoSite } from '../demo/serveDemoSite.js';

const serverPort = process.env.PORT ?? '8787';
const sitePort = Number(process.env.DEMO_PORT ?? 5173);
const api = `http://127.0.0.1:${serverPort}`;

const server = spawn(process.execPath, ['packages/server/bin/intake-chat.js', 'serve', '--port', serverPort], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, INTAKE_DATA_DIR: process.env.INTAKE_DATA_DIR ?? './data' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));

let announced = false;
server.stdout.setEncoding('utf8').on('data', async (text) => {
  process.stdout.write(text);
  if (announced || !text.includes('listening on')) return;
  announced = true;
  try {
    const site = await startDemoSite({ port: sitePort, widgetOrigin: api });
    console.log(`
intake-chat is running.
  demo site    ${site.origin}/          (Riverbend Recovery, with the chat in the corner)
  API docs     ${api}/openapi.json
  health       ${api}/healthz
  leads        npm run leads            (export the demo center's leads as CSV)
The staff console (/admin) arrives with the console issue. Stop with Ctrl+C.
`);
  } catch (error) {
    console.error(`intake-chat: could not start the demo site on port ${sitePort}: ${error.message}
Set DEMO_PORT to another port (the lead server allows http://127.0.0.1:5173 and http://localhost:5173
in packages/server/config/demo.json; add your port there too).`);
    server.kill('SIGTERM');
  }
});
