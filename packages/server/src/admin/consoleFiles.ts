import { Hono } from 'hono';
import { createConsoleAssets } from '../http/builtAssets.js';
import { sendEncoded } from '../http/compression.js';
import { HttpError } from '../http/HttpError.js';
import { consoleCsp, consoleIcon, consolePage } from './consolePage.js';

/** The console's page at `/admin` and its two built files, each URL naming its content hash. */
export function consoleFiles(consoleDir: string) {
  const asset = createConsoleAssets(consoleDir);
  const routes = new Hono();
  routes.get('/', (c) => {
    c.header('Content-Security-Policy', consoleCsp);
    return c.html(
      consolePage({
        script: `/admin/console.js?v=${asset('console.js')?.hash ?? 'missing'}`,
        style: `/admin/console.css?v=${asset('console.css')?.hash ?? 'missing'}`,
      }),
    );
  });
  routes.get('/favicon.svg', (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    return c.body(consoleIcon);
  });
  for (const file of ['console.js', 'console.css'] as const) {
    routes.get(`/${file}`, (c) => {
      const found = asset(file);
      if (found === null) {
        throw new HttpError(503, 'console_not_built', `${file} is not built yet. Run "npm run build", then restart.`);
      }
      c.header('Content-Type', found.type);
      return sendEncoded(c, { identity: found.body, ...found.encoded });
    });
  }
  return routes;
}
