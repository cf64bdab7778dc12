// `npm start`: the whole product on one machine. The lead server for the demo center (SQLite file
// under ./data, migrations applied at start) on :8787, and the demo center's website on :5173 with
// the one script tag, on its own origin as a real center's site would be.
import { spawn, spawnSync } from 'node:child_process';
import { startDemoSite } from '../demo/serveDemoSite.js';

const serverPort = process.env.PORT ?? '8787';
const sitePort = Number(process.env.DEMO_PORT ?? 5173);
const api = `http://127.0.0.1:${serverPort}`;

// Plain http on this machine: the session cookie cannot be Secure here (NODE_ENV=development).
const env = { ...process.env, INTAKE_DATA_DIR: process.env.INTAKE_DATA_DIR ?? './data', NODE_ENV: 'development' };
const cli = 'packages/server/bin/intake-chat.js';
const login = demoLogin('admissions@riverbend.example');

const server = spawn(process.execPath, [cli, 'serve', '--port', serverPort], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
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
  demo site     ${site.origin}/          (Riverbend Recovery, with the chat in the corner)
  staff console ${api}/admin
                sign in as ${login.email}, password ${login.password}
                (a new password at every start; an admin of the demo center)
  API docs      ${api}/openapi.json
  health        ${api}/healthz
  leads         npm run leads           (export the demo center's leads as CSV)
Alert e-mails are skipped until SMTP_URL is set (packages/server/README.md). Stop with Ctrl+C.
`);
  } catch (error) {
    console.error(`intake-chat: could not start the demo site on port ${sitePort}: ${error.message}
Set DEMO_PORT to another port (the lead server allows http://127.0.0.1:5173 and http://localhost:5173
in packages/server/config/demo.json; add your port there too).`);
    server.kill('SIGTERM');
  }
});

/**
 * The demo center's admin account, with a fresh password each start: made with the same
 * `intake-chat staff` commands a center would use, so the demo shows them working.
 */
function demoLogin(email) {
  const staff = (...args) => spawnSync(process.execPath, [cli, 'staff', ...args], { env, encoding: 'utf8' });
  let made = staff('password', '--email', email);
  if (made.status !== 0) made = staff('add', '--center', 'riverbend', '--email', email, '--role', 'admin');
  const password = /hand it over privately\): (\S+)/.exec(made.stdout)?.[1];
  if (made.status !== 0 || password === undefined) {
    console.error(`intake-chat: could not make the demo staff login:\n${made.stderr}`);
    process.exit(1);
  }
  return { email, password };
}
