import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Encrypts and decrypts the parts of a lead that identify a person or describe their health. */
export interface Sealer {
  /** `context` (the lead's id) is bound to the ciphertext, so a sealed value cannot be moved to another row. */
  seal(value: unknown, context: string): string;
  open<T = unknown>(sealed: string, context: string): T;
  /**
   * A keyed hash of an already normalised value, for finding rows by it without decrypting them (a
   * blind index). Equal values give equal hashes; without the data key, a hash says nothing.
   */
  blindIndex(value: string): string;
}

const VERSION = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D: 96-bit IVs for GCM
const TAG_BYTES = 16;

/** AES-256-GCM with a random IV per value; the stored form is `v1.<base64 iv|tag|ciphertext>`. */
export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32)
    throw new Error(`INTAKE_DATA_KEY must be 32 bytes (base64 of 32 random bytes); got ${key.length} bytes`);
  // One key object for every value: making one per call costs more than the encryption itself.
  const secret = createSecretKey(key);
  const nextIv = ivSource();
  // A key of its own for the index, derived from the data key (RFC 5869): the AES key is never an HMAC key.
  const indexKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'intake-chat blind index v1', 32));
  return {
    blindIndex(value) {
      return createHmac('sha256', indexKey).update(value, 'utf8').digest('base64url');
    },
    seal(value, context) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, context) {
      const [version, payload] = sealed.split('.');
      if (version !== VERSION || payload === undefined) throw new Error('unknown sealed-value format');
      const bytes = Buffer.from(payload, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(text.toString('utf8'));
    },
  };
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
  readonly key: Buffer;
  /** Set when the key came from a generated development file rather than the environment. */
  readonly warning?: string;
}

/**
 * The data key from `INTAKE_DATA_KEY` (base64 of 32 bytes). Outside production, a missing key is
 * generated once into the data folder, with a warning: leads encrypted with it are only as safe as
 * that file.
 */
export function resolveDataKey(env: Record<string, string | undefined>, dataDir: string): DataKey {
  const fromEnv = env.INTAKE_DATA_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) {
      throw new Error(
        "INTAKE_DATA_KEY must be the base64 of 32 random bytes; make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
      );
    }
    return { key };
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('INTAKE_DATA_KEY is not set. In production the data key must come from the environment.');
  }
  const file = join(dataDir, 'dev-data-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return {
    key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'),
    warning: `WARNING: INTAKE_DATA_KEY is not set; using the development key in ${file}. Leads are encrypted with a key stored next to them. Set INTAKE_DATA_KEY before taking real leads.`,
  };
}
