import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt with OWASP's minimum for it (N = 2^17, r = 8, p = 1: about 0.5 s and 128 MiB here); the
 * parameters are stored with each hash, so a cost chosen later applies to new passwords without
 * breaking old ones. Format: `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`.
 */
export const DEFAULT_COST = 17;
const KEY_LENGTH = 32;

/** Fewer characters than this cannot be told apart from a guessable password. */
export const MIN_PASSWORD_LENGTH = 12;

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, { N: 2 ** cost, r: 8, p: 1 });
  return ['scrypt', cost, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
}

/**
 * True when `password` matches `stored`. A hash it cannot read throws: answering false at once would
 * answer faster than a real check, which tells a guesser something.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined || rest.length > 0) {
    throw new Error('not a password hash this server wrote (expected scrypt$N$r$p$salt$hash)');
  }
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), {
    N: 2 ** Number(cost),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A password to hand to a new staff member: 20 characters from a set without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  // 256 is not a multiple of the alphabet's size: bytes past the last whole multiple are dropped.
  const limit = 256 - (256 % alphabet.length);
  let password = '';
  while (password.length < 20) {
    for (const byte of randomBytes(32)) {
      if (byte < limit && password.length < 20) password += alphabet[byte % alphabet.length];
    }
  }
  return password;
}

/** What is wrong with a password someone chose, or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `the password must be at least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good one`;
  }
  return undefined;
}

/**
 * At most two derivations at once: each takes 128 MiB and half a second of a libuv thread, and a
 * flood of sign-ins must not starve the threads that also resolve names for webhook delivery.
 */
const MAX_RUNNING = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    // The memory scrypt needs is 128 * N * r bytes; Node refuses more than 32 MiB unless told.
    const maxmem = 256 * (options.N ?? 0) * (options.r ?? 8);
    return await new Promise((resolve, reject) => {
      scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) =>
        error ? reject(error) : resolve(key),
      );
    });
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}
