import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownerOnlyFolder } from '../store/ownerOnly.js';

/** Encrypts and decrypts the parts of a lead that identify a person or describe their health. */
export interface Sealer {
  /**
   * Seals under the current key. `context` (the lead's id) is bound to the ciphertext, so a sealed
   * value cannot be moved to another row.
   */
  seal(value: unknown, context: string): string;
  /** Opens a value sealed under any key of the ring; throws `MissingKeyError` if its key is not here. */
  open<T = unknown>(sealed: string, context: string): T;
  /**
   * A keyed hash of an already normalised value under the current key, for finding rows by it without
   * decrypting them (a blind index). Equal values give equal hashes; without the data key, a hash says
   * nothing.
   */
  blindIndex(value: string): string;
  /** The value's blind index under every key of the ring, the current key first: rows indexed before a rotation match too. */
  blindIndexes(value: string): string[];
  /** The id of the key new values are sealed under. */
  readonly currentKeyId: string;
  /** The ids of every key of the ring, the current one first. */
  readonly keyIds: readonly string[];
  /** The id of the key a sealed value names; null for a value from before key ids (`v1`). */
  keyIdOf(sealed: string): string | null;
  /** The id of the key of the ring that opens the value, or null if none does. */
  keyIdThatOpens(sealed: string, context: string): string | null;
}

/** A sealed value names a key this server was not given. */
export class MissingKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`sealed with data key ${keyId}, which this server does not have`);
    this.name = 'MissingKeyError';
  }
}

const VERSION = 'v2';
/** Values sealed before key ids: `v1.<base64>`, opened by trying each key of the ring. */
const KEYLESS_VERSION = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D: 96-bit IVs for GCM
const TAG_BYTES = 16;

interface RingKey {
  readonly id: string;
  readonly secret: KeyObject;
  readonly indexKey: Buffer;
}

/**
 * AES-256-GCM with a random IV per value under a keyring: the first key seals, every key opens. The
 * stored form is `v2.<key id>.<base64 iv|tag|ciphertext>`; the key id is a keyed hash of the key, so
 * it names the key without revealing it.
 */
export function createSealer(keys: Buffer | readonly Buffer[]): Sealer {
  const ring = (Buffer.isBuffer(keys) ? [keys] : [...keys]).map(ringKey);
  const current = ring[0];
  if (current === undefined) throw new Error('the keyring needs at least one data key');
  const byId = new Map(ring.map((key) => [key.id, key]));
  const nextIv = ivSource();
  const openWith = (key: RingKey, bytes: Buffer, context: string): Buffer => {
    const decipher = createDecipheriv('aes-256-gcm', key.secret, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  };
  const keyIdOf = (sealed: string) => (sealed.startsWith(`${VERSION}.`) ? (sealed.split('.')[1] ?? null) : null);
  return {
    currentKeyId: current.id,
    keyIds: ring.map((key) => key.id),
    keyIdOf,
    keyIdThatOpens(sealed, context) {
      const named = keyIdOf(sealed);
      const candidates = named === null ? ring : ring.filter((key) => key.id === named);
      const parts = sealed.split('.');
      const bytes = Buffer.from(parts.at(-1) ?? '', 'base64');
      for (const key of candidates) {
        try {
          openWith(key, bytes, context);
          return key.id;
        } catch {
          // Not this key.
        }
      }
      return null;
    },
    blindIndex(value) {
      return indexWith(current, value);
    },
    blindIndexes(value) {
      return [...new Set(ring.map((key) => indexWith(key, value)))];
    },
    seal(value, context) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', current.secret, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return `${VERSION}.${current.id}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts[0] === VERSION && parts.length === 3) {
        const key = byId.get(parts[1] as string);
        if (key === undefined) throw new MissingKeyError(parts[1] as string);
        return JSON.parse(openWith(key, Buffer.from(parts[2] as string, 'base64'), context).toString('utf8'));
      }
      if (parts[0] !== KEYLESS_VERSION || parts.length !== 2) throw new Error('unknown sealed-value format');
      const bytes = Buffer.from(parts[1] as string, 'base64');
      for (const key of ring) {
        try {
          return JSON.parse(openWith(key, bytes, context).toString('utf8'));
        } catch {
          // Not this key: a v1 value names none, so each is tried in turn.
        }
      }
      throw new MissingKeyError('(from before key ids)');
    },
  };
}

function ringKey(key: Buffer): RingKey {
  if (key.length !== 32)
    throw new Error(`a data key must be 32 bytes (base64 of 32 random bytes); got ${key.length} bytes`);
  // Keys of their own for the id and the index, derived from the data key (RFC 5869): the AES key is
  // never an HMAC key, and the id says nothing about either.
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
  return {
    id: `k${derive('intake-chat key id v1').toString('base64url').slice(0, 10)}`,
    // One key object per key: making one per call costs more than the encryption itself.
    secret: createSecretKey(key),
    indexKey: derive('intake-chat blind index v1'),
  };
}

function indexWith(key: RingKey, value: string): string {
  return createHmac('sha256', key.indexKey).update(value, 'utf8').digest('base64url');
}

/** Random IVs cut from a pool refilled from the CSPRNG, each byte used once: one system call per 340 values. */
function ivSource(): () => Buffer {
  const pool = Buffer.alloc(IV_BYTES * 340);
  let offset = pool.length;
  return () => {
    if (offset === pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const iv = Buffer.from(pool.subarray(offset, offset + IV_BYTES));
    offset += IV_BYTES;
    return iv;
  };
}

export interface DataKey {
  /** The current key: new values are sealed under it. */
  readonly key: Buffer;
  /** The keyring: the current key, then the old keys that still open stored values. */
  readonly keys: readonly Buffer[];
  /** Set when the key came from a generated development file rather than the environment. */
  readonly warning?: string;
}

const MAKE_KEY = "node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"";

/**
 * The keyring from the environment: `INTAKE_DATA_KEY` (base64 of 32 bytes) seals, and
 * `INTAKE_OLD_DATA_KEYS` (the same, separated by commas) only opens what older keys sealed, until
 * `intake-chat keys rotate` has re-sealed it. Outside production, a missing key is generated once into
 * the data folder, with a warning: leads encrypted with it are only as safe as that file.
 */
export function resolveDataKey(env: Record<string, string | undefined>, dataDir: string): DataKey {
  const old = (env.INTAKE_OLD_DATA_KEYS ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text, i) => decodeKey(text, `INTAKE_OLD_DATA_KEYS (key ${i + 1})`));
  const fromEnv = env.INTAKE_DATA_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = decodeKey(fromEnv, 'INTAKE_DATA_KEY');
    return { key, keys: [key, ...old] };
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('INTAKE_DATA_KEY is not set. In production the data key must come from the environment.');
  }
  const file = join(dataDir, 'dev-data-key');
  if (!existsSync(file)) {
    ownerOnlyFolder(dataDir);
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  return {
    key,
    keys: [key, ...old],
    warning: `WARNING: INTAKE_DATA_KEY is not set; using the development key in ${file}. Leads are encrypted with a key stored next to them. Set INTAKE_DATA_KEY before taking real leads.`,
  };
}

function decodeKey(text: string, name: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be the base64 of 32 random bytes; make one with: ${MAKE_KEY}`);
  return key;
}
