import type { Lead } from '@intake-chat/engine/schema';
import type { Kysely } from 'kysely';
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
  /** Told after each batch, for the terminal. */
  readonly progress?: (line: string) => void;
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

  // Leads: by id, so a row that cannot be opened is passed over, not read again forever.
  for (let after = ''; ; ) {
    const rows = await db
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
      .execute();
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const contact = tryOpen<Lead['contact']>(row.contact, row.id);
        const answers = contact === undefined ? undefined : tryOpen(row.answers, row.id);
        const reasons =
          answers === undefined
            ? undefined
            : row.reasons.startsWith('[')
              ? JSON.parse(row.reasons)
              : tryOpen(row.reasons, row.id);
        if (contact === undefined || answers === undefined || reasons === undefined) continue;
        const updated = await trx
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
        if (Number(updated.numUpdatedRows) > 0) tally(row.center, 'leads');
      }
    });
    options.progress?.(`leads: ${rows.length} looked at`);
    const last = rows.at(-1);
    if (last === undefined || rows.length < batch) break;
    after = last.id;
  }

  // Notes, sealed with their lead's id.
  for (let after = ''; ; ) {
    const rows = await db
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
      .execute();
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const note = row.note === null ? undefined : tryOpen<string>(row.note, row.leadId);
        if (note === undefined || row.note === null) continue;
        const updated = await trx
          .updateTable('lead_events')
          .set({ note: sealer.seal(note, row.leadId) })
          .where('id', '=', row.id)
          .where('note', '=', row.note)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) tally(row.center, 'notes');
      }
    });
    const last = rows.at(-1);
    if (last === undefined || rows.length < batch) break;
    after = last.id;
  }

  // Consent records kept after their lead was purged: the phone they cover, sealed with the lead's id.
  for (let after = ''; ; ) {
    const rows = await db
      .selectFrom('consent_evidence')
      .select(['lead_id', 'center', 'phone'])
      .where('lead_id', '>', after)
      .where('phone', 'not like', `${current}%`)
      .orderBy('lead_id')
      .limit(batch)
      .execute();
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const phone = tryOpen<string>(row.phone, row.lead_id);
        if (phone === undefined) continue;
        const updated = await trx
          .updateTable('consent_evidence')
          .set({ phone: sealer.seal(phone, row.lead_id) })
          .where('lead_id', '=', row.lead_id)
          .where('phone', '=', row.phone)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) tally(row.center, 'evidence');
      }
    });
    const last = rows.at(-1);
    if (last === undefined || rows.length < batch) break;
    after = last.lead_id;
  }

  // Staff members' two-step sign-in secrets, sealed with their account's id.
  for (let after = ''; ; ) {
    const rows = await db
      .selectFrom('staff')
      .select(['id', 'center', 'totp_secret'])
      .where('id', '>', after)
      .where('totp_secret', 'is not', null)
      .where('totp_secret', 'not like', `${current}%`)
      .orderBy('id')
      .limit(batch)
      .execute();
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const secret = row.totp_secret === null ? undefined : tryOpen<string>(row.totp_secret, totpContext(row.id));
        if (secret === undefined || row.totp_secret === null) continue;
        const updated = await trx
          .updateTable('staff')
          .set({ totp_secret: sealer.seal(secret, totpContext(row.id)) })
          .where('id', '=', row.id)
          .where('totp_secret', '=', row.totp_secret)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) tally(row.center, 'secrets');
      }
    });
    const last = rows.at(-1);
    if (last === undefined || rows.length < batch) break;
    after = last.id;
  }

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
