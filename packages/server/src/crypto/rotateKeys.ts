import type { Lead } from '@intake-chat/engine/schema';
import type { Kysely, Transaction } from 'kysely';
import { writeAuditEntry } from '../audit/createAuditLog.js';
import { contactIndex, inCenter } from '../leads/searchKeys.js';
import { totpContext } from '../staff/mfa.js';
import type { Schema } from '../store/openDatabase.js';
import type { Sealer } from './createSealer.js';
import type { DataKeys } from './dataKeys.js';

/** How many values of each kind one center had re-sealed. */
export interface Resealed {
  leads: number;
  notes: number;
  evidence: number;
  secrets: number;
}

/** What `keys rotate` did: values re-sealed per center, what it could not open, and the keys it retired. */
export interface Rotation {
  /** Per center: leads, notes, consent records and staff TOTP secrets now sealed under the current key. */
  readonly resealed: ReadonlyMap<string, Resealed>;
  /** Values no key of the ring opens: left as they are, and the keys they need are not retired. */
  readonly unreadable: number;
  /** Keys nothing is sealed with any more: they may be dropped from `INTAKE_OLD_DATA_KEYS`. */
  readonly retired: readonly string[];
}

export interface RotationOptions {
  /** Rows per transaction. Default 500. */
  readonly batch?: number;
  readonly now: () => Date;
}

/**
 * Re-seals every sealed value not yet under the current key (a lead's contact, answers and reasons, its
 * notes, consent records, and staff members' TOTP secrets), re-indexes the leads for search under it, and seals reasons kept in
 * clear before they were sealed. A batch is one transaction and each row is written only if it is
 * unchanged, so the command can be stopped at any point and run again: it picks up what is left. It runs
 * beside a serving server; audited per center as `keys.rotate`.
 */
export async function rotateKeys(
  db: Kysely<Schema>,
  sealer: Sealer,
  dataKeys: DataKeys,
  options: RotationOptions,
): Promise<Rotation> {
  const batch = options.batch ?? 500;
  const current = `v2.${sealer.currentKeyId}.`;
  const resealed = new Map<string, Resealed>();
  const tally = (center: string, kind: keyof Resealed) => {
    const counts = resealed.get(center) ?? { leads: 0, notes: 0, evidence: 0, secrets: 0 };
    counts[kind] += 1;
    resealed.set(center, counts);
  };
  let unreadable = 0;
  const tryOpen = <T>(sealed: string, context: string): T | undefined => {
    try {
      return sealer.open<T>(sealed, context);
    } catch {
      unreadable += 1;
      return undefined;
    }
  };

  /** One batch's rows, each re-sealed in the batch's transaction when it opens; counted as `kind`. */
  const walk = <Row>(
    kind: keyof Resealed,
    next: (after: string) => Promise<Row[]>,
    keyOf: (row: Row) => string,
    reseal: (trx: Transaction<Schema>, row: Row) => Promise<{ center: string; updated: boolean } | null>,
  ) =>
    inBatches(db, batch, next, keyOf, async (trx, row) => {
      const done = await reseal(trx, row);
      if (done?.updated) tally(done.center, kind);
    });
  const changed = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) > 0;

  await walk(
    'leads',
    (after) =>
      db
        .selectFrom('leads')
        .select(['id', 'center', 'contact', 'answers', 'reasons'])
        .where('id', '>', after)
        .where((eb) =>
          eb.or([
            eb('contact', 'not like', `${current}%`),
            eb('answers', 'not like', `${current}%`),
            eb('reasons', 'not like', `${current}%`),
          ]),
        )
        .orderBy('id')
        .limit(batch)
        .execute(),
    (row) => row.id,
    async (trx, row) => {
      const contact = tryOpen<Lead['contact']>(row.contact, row.id);
      const answers = contact === undefined ? undefined : tryOpen(row.answers, row.id);
      // Reasons kept in clear before they were sealed are sealed now.
      const reasons =
        answers === undefined
          ? undefined
          : row.reasons.startsWith('[')
            ? JSON.parse(row.reasons)
            : tryOpen(row.reasons, row.id);
      if (contact === undefined || answers === undefined || reasons === undefined) return null;
      const result = await trx
        .updateTable('leads')
        .set({
          contact: sealer.seal(contact, row.id),
          answers: sealer.seal(answers, row.id),
          reasons: sealer.seal(reasons, row.id),
          ...contactIndex(contact, inCenter(row.center, sealer.blindIndex)),
        })
        .where('id', '=', row.id)
        .where('contact', '=', row.contact)
        .where('answers', '=', row.answers)
        .where('reasons', '=', row.reasons)
        .executeTakeFirst();
      return { center: row.center, updated: changed(result) };
    },
  );

  // Notes, sealed with their lead's id.
  await walk(
    'notes',
    (after) =>
      db
        .selectFrom('lead_events')
        .innerJoin('leads', 'leads.id', 'lead_events.lead_id')
        .select([
          'lead_events.id as id',
          'lead_events.lead_id as leadId',
          'lead_events.note as note',
          'leads.center as center',
        ])
        .where('lead_events.id', '>', after)
        .where('lead_events.note', 'is not', null)
        .where('lead_events.note', 'not like', `${current}%`)
        .orderBy('lead_events.id')
        .limit(batch)
        .execute(),
    (row) => row.id,
    async (trx, row) => {
      const note = row.note === null ? undefined : tryOpen<string>(row.note, row.leadId);
      if (note === undefined || row.note === null) return null;
      const result = await trx
        .updateTable('lead_events')
        .set({ note: sealer.seal(note, row.leadId) })
        .where('id', '=', row.id)
        .where('note', '=', row.note)
        .executeTakeFirst();
      return { center: row.center, updated: changed(result) };
    },
  );

  // Consent records kept after their lead was purged: the phone they cover, sealed with the lead's id.
  await walk(
    'evidence',
    (after) =>
      db
        .selectFrom('consent_evidence')
        .select(['lead_id', 'center', 'phone'])
        .where('lead_id', '>', after)
        .where('phone', 'not like', `${current}%`)
        .orderBy('lead_id')
        .limit(batch)
        .execute(),
    (row) => row.lead_id,
    async (trx, row) => {
      const phone = tryOpen<string>(row.phone, row.lead_id);
      if (phone === undefined) return null;
      const result = await trx
        .updateTable('consent_evidence')
        .set({ phone: sealer.seal(phone, row.lead_id) })
        .where('lead_id', '=', row.lead_id)
        .where('phone', '=', row.phone)
        .executeTakeFirst();
      return { center: row.center, updated: changed(result) };
    },
  );

  // Staff members' two-step sign-in secrets, sealed with their account's id.
  await walk(
    'secrets',
    (after) =>
      db
        .selectFrom('staff')
        .select(['id', 'center', 'totp_secret'])
        .where('id', '>', after)
        .where('totp_secret', 'is not', null)
        .where('totp_secret', 'not like', `${current}%`)
        .orderBy('id')
        .limit(batch)
        .execute(),
    (row) => row.id,
    async (trx, row) => {
      const secret = row.totp_secret === null ? undefined : tryOpen<string>(row.totp_secret, totpContext(row.id));
      if (secret === undefined || row.totp_secret === null) return null;
      const result = await trx
        .updateTable('staff')
        .set({ totp_secret: sealer.seal(secret, totpContext(row.id)) })
        .where('id', '=', row.id)
        .where('totp_secret', '=', row.totp_secret)
        .executeTakeFirst();
      return { center: row.center, updated: changed(result) };
    },
  );

  const at = options.now().toISOString();
  for (const [center, counts] of resealed) {
    await writeAuditEntry(
      db,
      { center, staffEmail: 'cli', action: 'keys.rotate', detail: { key: sealer.currentKeyId, ...counts } },
      at,
    );
  }
  // Only when everything opened: a value still sealed under an old key keeps that key needed.
  const retired = unreadable === 0 ? await dataKeys.retireAllButCurrent() : [];
  return { resealed, unreadable, retired };
}

/**
 * Walks a table in key order, `batch` rows a time, each batch in one transaction. Paging by key, not
 * by what is left to do, means a row that cannot be handled is passed over rather than read forever.
 */
async function inBatches<Row>(
  db: Kysely<Schema>,
  batch: number,
  next: (after: string) => Promise<Row[]>,
  keyOf: (row: Row) => string,
  handle: (trx: Transaction<Schema>, row: Row) => Promise<void>,
): Promise<void> {
  for (let after = ''; ; ) {
    const rows = await next(after);
    await db.transaction().execute(async (trx) => {
      for (const row of rows) await handle(trx, row);
    });
    const last = rows.at(-1);
    if (last === undefined || rows.length < batch) return;
    after = keyOf(last);
  }
}
