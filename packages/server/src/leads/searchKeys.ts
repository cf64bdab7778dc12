/**
 * What the blind index hashes (the keyed HMAC of `Sealer.blindIndex`): a phone number or a first name,
 * normalised so that the ways staff type one value give one key, and prefixed by its kind so that a
 * name can never match a phone number. Only the hashes are stored; the search never decrypts a row.
 */

/** Search words with this many digits or more are a phone number; fewer, a name. */
export const PHONE_DIGITS_MIN = 7;

/**
 * A search's key, already hashed under each data key of the ring: the inbox matches any of them whole
 * against the stored index, so leads indexed before a key rotation are found until it re-indexes them.
 */
export type SearchKey = { readonly phoneKeys: readonly string[] } | { readonly nameKeys: readonly string[] };

/**
 * The digits of a phone number, a US number as its 10 digits: `(312) 555-0142`, `312.555.0142`,
 * `+1 312 555 0142` and `13125550142` are all `phone:3125550142`. Null when there is no digit.
 */
export function phoneIndexValue(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  if (digits === '') return null;
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  return `phone:${national}`;
}

/**
 * A name without case, accents or extra spaces: `María`, `maria ` and `MARIA` are all `name:maria`.
 * Null when nothing is left.
 */
export function nameIndexValue(name: string): string | null {
  const plain = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ');
  return plain === '' ? null : `name:${plain}`;
}

/**
 * A hash in one center's index: the same person at two centers gets two unrelated hashes, so a copy
 * of the table cannot tell that someone contacted both.
 */
export function inCenter<T>(center: string, hash: (value: string) => T): (value: string) => T {
  return (value) => hash(`${center}\u0000${value}`);
}

/**
 * The stored index of a lead's contact (its phone in E.164, its name as typed). A value that
 * normalises to nothing is still indexed, as the bare kind, so that the backfill does not pick the
 * lead up again; no search asks for it, since an empty search is ignored.
 */
export function contactIndex(
  contact: { readonly phone: string; readonly name: string },
  blindIndex: (value: string) => string,
): { search_phone: string; search_name: string } {
  return {
    search_phone: blindIndex(phoneIndexValue(contact.phone) ?? 'phone:'),
    search_name: blindIndex(nameIndexValue(contact.name) ?? 'name:'),
  };
}

/**
 * The key for what staff typed in the search box: seven digits or more are a phone number, anything
 * else a name. Null when nothing is left to search for (only spaces or punctuation).
 */
export function searchKeyOf(words: string, blindIndexes: (value: string) => string[]): SearchKey | null {
  if (!/[\p{L}\p{N}]/u.test(words)) return null;
  const digits = words.replace(/\D/g, '').length;
  if (digits >= PHONE_DIGITS_MIN) {
    const phone = phoneIndexValue(words);
    return phone === null ? null : { phoneKeys: blindIndexes(phone) };
  }
  const name = nameIndexValue(words);
  return name === null ? null : { nameKeys: blindIndexes(name) };
}
