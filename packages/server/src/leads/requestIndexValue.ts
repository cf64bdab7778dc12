import type { Lead } from '@intake-chat/engine/schema';

/**
 * What a request's hash is taken of: the lead as the server understood it, keys sorted at every level
 * so the hash does not depend on the order a client wrote its fields in. Without the idempotency key,
 * which the hash is compared under. Hashes stored earlier must still match a retry, so the text is
 * exactly what `JSON.stringify` gave with a sorting replacer (the test holds the two side by side),
 * written out by hand because that made a new object at every level of every lead.
 */
export function requestIndexValue(lead: Lead): string {
  const { idempotencyKey: _key, ...request } = lead;
  return `request:${canonicalJson(request)}`;
}

/**
 * JSON with each object's keys in order: array indices ("0", "7", "12") first by number, as any
 * JavaScript object lists them, then the other keys sorted by code unit. Undefined, functions and
 * symbols are left out of objects and written as null in arrays, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  return text === undefined ? 'null' : text;
}

function write(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return write((value as { toJSON: () => unknown }).toJSON());
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const keys = Object.keys(value);
  // Object.keys puts array indices first, in order; only the rest need sorting.
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices] as string)) indices += 1;
  const ordered =
    indices === 0 ? keys.sort(byCodeUnit) : [...keys.slice(0, indices), ...keys.slice(indices).sort(byCodeUnit)];
  const parts: string[] = [];
  for (const key of ordered) {
    const text = write((value as Record<string, unknown>)[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isArrayIndex(key: string): boolean {
  const number = Number(key);
  return Number.isInteger(number) && number >= 0 && number < 2 ** 32 - 1 && String(number) === key;
}
