import { hashPassword, verifyPassword } from '@intake-chat/server';
import { describe, expect, it } from 'vitest';

describe('staff passwords', () => {
  it('verifies the password a hash was made from, and no other', async () => {
    const hash = await hashPassword('correct horse battery staple', 10);
    expect(hash).toMatch(/^scrypt\$10\$8\$1\$[\w+/=]+\$[\w+/=]+$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    // Two hashes of one password differ (a salt each).
    expect(await hashPassword('correct horse battery staple', 10)).not.toBe(hash);
  });

  it('refuses a hash it did not write instead of answering "no" at once, faster than a real check', async () => {
    for (const stored of ['', 'bcrypt$2b$10$abc', 'scrypt$17$8$AAAA$BBBB', 'scrypt$17$8$1$AAAA$BBBB$extra']) {
      await expect(verifyPassword('anything', stored)).rejects.toThrow(/not a password hash this server wrote/);
    }
  });
});
