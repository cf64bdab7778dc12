// The demo center's website, served on its own origin as a real host page would be: static files
// from demo/site, with a strict Content-Security-Policy that allows only the widget's origin.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const siteDir = fileURLToPath(new URL('./site/', import.meta.url));
/** The origin the pages' script tag names; rewritten when the lead server runs elsewhere (tests). */
const SNIPPET_ORIGIN = 'http://127.0.0.1:8787';
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

/**
 * Starts the site. `widgetOrigin` is where the lead server (and widget.js) lives; the CSP is the
 * policy README.md tells centers to use: script-src, frame-src and img-src of the widget origin (the
 * launcher's count is an image), nothing inline; the page's script itself never connects
 * to the widget's origin.
 * `pages` adds pages by path (tests use it for hostile host pages); a page given as
 * `{ html, csp: false }` is served without the policy.
 */
export function startDemoSite({ port = 5173, host = '127.0.0.1', widgetOrigin = SNIPPET_ORIGIN, pages = {} } = {}) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${widgetOrigin}`,
    `frame-src ${widgetOrigin}`,
    "style-src 'self'",
    `img-src 'self' data: ${widgetOrigin}`,
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const extra = pages[path];
    if (extra !== undefined) {
      const page = typeof extra === 'string' ? { html: extra, csp: true } : extra;
      response.writeHead(200, {
        'Content-Type': TYPES['.html'],
        'Cache-Control': 'no-store',
        ...(page.csp === false ? {} : { 'Content-Security-Policy': csp }),
      });
      response.end(page.html.replaceAll(SNIPPET_ORIGIN, widgetOrigin));
      return;
    }
    const file = normalize(join(siteDir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(siteDir)) return notFound(response);
    try {
      let body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      if (extname(file) === '.html' && widgetOrigin !== SNIPPET_ORIGIN) {
        body = Buffer.from(body.toString('utf8').replaceAll(SNIPPET_ORIGIN, widgetOrigin));
      }
      response.writeHead(200, {
        'Content-Type': type,
        'Content-Security-Policy': csp,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      response.end(body);
    } catch {
      notFound(response);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const origin = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
      resolve({ origin, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

function notFound(response) {
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end('Not found');
}
