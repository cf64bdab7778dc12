import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compress, SUFFIX } from './compression.js';

/** The widget's built files, as the lead server serves them. Names agreed with @intake-chat/widget. */
export const WIDGET_FILES = {
  'widget.js': 'text/javascript; charset=utf-8',
  'frame.js': 'text/javascript; charset=utf-8',
  'frame.css': 'text/css; charset=utf-8',
} as const;

export type WidgetFile = keyof typeof WIDGET_FILES;

export interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
  /** A short content hash, for versioned URLs and ETags. */
  readonly hash: string;
  /** The same bytes compressed: from the build's `.br` and `.gz` copies, or made here once. */
  readonly encoded: { readonly br: Uint8Array; readonly gzip: Uint8Array };
}

/** Where `npm run build` puts the widget in this repository. */
export const defaultWidgetDir = fileURLToPath(new URL('../../../widget/dist/', import.meta.url));

/** The staff console's built files (packages/console), served under /admin. */
export const CONSOLE_FILES = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

export type ConsoleFile = keyof typeof CONSOLE_FILES;

/** Where `npm run build` puts the console in this repository. */
export const defaultConsoleDir = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

export function createWidgetAssets(dir: string): (file: WidgetFile) => Asset | null {
  return createAssets(dir, WIDGET_FILES);
}

export function createConsoleAssets(dir: string): (file: ConsoleFile) => Asset | null {
  return createAssets(dir, CONSOLE_FILES);
}

/**
 * Reads each file once, when first asked for; returns null while the file is not built, so the
 * server still starts and says what to do. The build's compressed copies are used when they hold
 * exactly the file (a copy left from another build is not); otherwise the server compresses it once.
 */
function createAssets<File extends string>(
  dir: string,
  types: Readonly<Record<File, string>>,
): (file: File) => Asset | null {
  const cache = new Map<File, Asset>();
  return (file) => {
    const cached = cache.get(file);
    if (cached) return cached;
    let body: Buffer;
    try {
      body = readFileSync(join(dir, file));
    } catch {
      return null;
    }
    const copy = (encoding: 'br' | 'gzip'): Uint8Array => {
      try {
        const made = readFileSync(join(dir, file + SUFFIX[encoding]));
        const opened = encoding === 'br' ? brotliDecompressSync(made) : gunzipSync(made);
        if (opened.equals(body)) return made;
      } catch {
        // Not built, or not readable: made here instead.
      }
      return compress(body, encoding);
    };
    const asset = {
      body,
      type: types[file],
      hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
      encoded: { br: copy('br'), gzip: copy('gzip') },
    };
    cache.set(file, asset);
    return asset;
  };
}
