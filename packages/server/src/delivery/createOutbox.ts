import type { Selectable, Updateable } from 'kysely';
import type { OpenDatabase, OutboxTable } from '../store/openDatabase.js';
import { timeOrderedId } from '../store/timeOrderedId.js';

export type DeliveryKind = 'webhook' | 'email';
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'dead' | 'skipped';

/** A delivery job as the console shows it (packages/console/API.md, `Delivery`). */
export interface Delivery {
  id: string;
  leadId: string;
  kind: DeliveryKind;
  /** The webhook URL or the e-mail address. */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due; null unless the job is pending. */
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A job a worker has leased: it alone may send it until `lockedUntil`. */
export interface ClaimedJob {
  readonly id: string;
  readonly leadId: string;
  readonly center: string;
  readonly kind: DeliveryKind;
  readonly target: string;
  /** The number of this attempt, 1 for the first. */
  readonly attempts: number;
  readonly createdAt: string;
  readonly lockedUntil: string;
}

/**
 * Which claim an outcome belongs to. Each claim adds one to `attempts`, so a worker whose lease ran
 * out and whose job was claimed again cannot overwrite the outcome of the attempt that replaced it.
 */
export type Claim = Pick<ClaimedJob, 'id' | 'attempts'>;

/**
 * How an attempt ended, as the outbox records it. `released`: not attempted after all (its
 * destination was busy or backed off), given back as it was, its attempt uncounted.
 */
export type Settlement =
  | { readonly claim: Claim; readonly outcome: 'delivered' }
  | { readonly claim: Claim; readonly outcome: 'released' }
  | { readonly claim: Claim; readonly outcome: 'retry'; readonly error: string; readonly at: Date }
  | { readonly claim: Claim; readonly outcome: 'dead' | 'skipped'; readonly error: string };

/** Destinations a claim passes over: their jobs stay pending, untouched, for a later claim. */
export interface ClaimSkip {
  /** Webhook URLs not to claim for. */
  readonly webhooks: readonly string[];
  /** Whether to pass over every alert e-mail (they all go through the one SMTP server). */
  readonly email: boolean;
}

/** A job to write with a new lead: where its delivery goes. */
export interface NewDelivery {
  readonly kind: DeliveryKind;
  readonly target: string;
}

/**
 * The rows of a new lead's delivery jobs, due now, for the lead store to insert in the transaction
 * that stores the lead: the lead and its deliveries are committed together or not at all. The
 * outbox's one way in.
 */
export function deliveryRows(
  lead: { readonly id: string; readonly center: string },
  jobs: readonly NewDelivery[],
  at: string,
) {
  return jobs.map((job) => ({
    id: timeOrderedId(),
    lead_id: lead.id,
    center: lead.center,
    kind: job.kind,
    target: job.target,
    status: 'pending',
    next_attempt_at: at,
    last_error: null,
    created_at: at,
  }));
}

export interface Outbox {
  /**
   * Leases up to `limit` due jobs, oldest due first: pending jobs whose time has come, and jobs left
   * 'sending' by a worker whose lease has run out (it died mid-send). Each is 'sending' afterwards,
   * with its attempt counted. Concurrent callers never get the same job.
   */
  claim(limit: number, leaseMs: number): Promise<ClaimedJob[]>;
  /**
   * Records finished attempts and claims up to `limit` more: the worker's one round of writes (one
   * transaction on SQLite). `applied[i]` is false where another claim replaced `settlements[i]`'s.
   */
  settleAndClaim(
    settlements: readonly Settlement[],
    limit: number,
    leaseMs: number,
    skip?: ClaimSkip,
  ): Promise<{ applied: boolean[]; jobs: ClaimedJob[] }>;
  /** Each outcome is recorded only while the claim is current; false when another claim replaced it. */
  delivered(claim: Claim): Promise<boolean>;
  retryLater(claim: Claim, error: string, at: Date): Promise<boolean>;
  dead(claim: Claim, error: string): Promise<boolean>;
  skipped(claim: Claim, reason: string): Promise<boolean>;
  /** A lead's deliveries, oldest first. */
  forLead(center: string, leadId: string): Promise<Delivery[]>;
  /** A center's deliveries in one status, newest first, at most 200. */
  list(center: string, status: DeliveryStatus): Promise<Delivery[]>;
  countByStatus(center: string, status: DeliveryStatus): Promise<number>;
  /**
   * Queues a dead or skipped delivery again, due now, keeping its attempt count. A delivery of
   * another center is 'not_found', as if it did not exist (one center per lead, docs/conversation.md).
   */
  replay(center: string, id: string): Promise<Delivery | 'not_found' | 'not_replayable'>;
}

const LIST_LIMIT = 200;
const REPLAYABLE: readonly DeliveryStatus[] = ['dead', 'skipped'];

/** All SQL on the outbox table, with the same behaviour on SQLite and PostgreSQL. */
export function createOutbox(database: OpenDatabase, now: () => Date = () => new Date()): Outbox {
  const { db } = database;

  /** Moves a job out of 'sending', if this claim still holds it. */
  async function settle(claim: Claim, changes: Updateable<OutboxTable>): Promise<boolean> {
    return (await settleAllQuery([claim], changes).execute()).length === 1;
  }

  /** Settles many claims (of different jobs) the same way; RETURNING names the jobs they still held. */
  function settleAllQuery(claims: readonly Claim[], changes: Updateable<OutboxTable>) {
    return db
      .updateTable('outbox')
      .set({ ...changes, locked_until: null })
      .where('status', '=', 'sending')
      .where('id', 'in', [...new Set(claims.map((claim) => claim.id))])
      .where((eb) =>
        eb.or(claims.map((claim) => eb.and([eb('id', '=', claim.id), eb('attempts', '=', claim.attempts)]))),
      )
      .returning('id');
  }

  /** The claim itself, one UPDATE: up to `limit` due jobs become 'sending', leased for `leaseMs`. */
  function claimQuery(limit: number, leaseMs: number, skip: ClaimSkip = { webhooks: [], email: false }) {
    const at = now();
    const nowIso = at.toISOString();
    // Two index-ordered scans that stop after `limit` rows each: pending jobs whose time has come, and
    // jobs whose lease has run out; then the oldest `limit` of both. One query with OR between them
    // sorted every due job to find the first few, which under a backlog cost more the longer it grew.
    const dueOf = (status: 'pending' | 'sending') => {
      let query = db
        .selectFrom('outbox')
        .select(['id', 'next_attempt_at'])
        .where('status', '=', status)
        .where(status === 'pending' ? 'next_attempt_at' : 'locked_until', status === 'pending' ? '<=' : '<', nowIso)
        .$if(skip.email, (q) => q.where('kind', '!=', 'email'))
        .$if(skip.webhooks.length > 0, (q) =>
          q.where((eb) => eb.or([eb('kind', '!=', 'webhook'), eb('target', 'not in', [...skip.webhooks])])),
        )
        .orderBy('next_attempt_at')
        .limit(limit);
      // PostgreSQL: rows another server is claiming right now are skipped rather than waited for, and
      // a row claimed meanwhile is re-checked against the filter once its lock is released, so no two
      // servers ever lease the same job. SQLite has one writer: the single statement is atomic.
      if (database.dialect === 'postgres') query = query.forUpdate().skipLocked();
      return db.selectFrom(query.as(status)).select(['id', 'next_attempt_at']);
    };
    const due = db
      .selectFrom(dueOf('pending').unionAll(dueOf('sending')).as('due'))
      .select('id')
      .orderBy('next_attempt_at')
      .limit(limit);
    return db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'sending',
        locked_until: new Date(at.getTime() + leaseMs).toISOString(),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', 'in', due)
      .returningAll();
  }

  // RETURNING gives rows in no particular order; the oldest due job should go out first.
  const claimedJobs = (rows: OutboxRow[]) => rows.sort(byDueTime).map(toClaimedJob);

  /** Settlements by the change they make, each with its place in the list. */
  function groupsOf(settlements: readonly Settlement[]) {
    const groups = new Map<string, { changes: Updateable<OutboxTable>; indexes: number[] }>();
    settlements.forEach((settlement, i) => {
      const changes = changesFor(settlement);
      const key = JSON.stringify(changes);
      const group = groups.get(key) ?? { changes, indexes: [] };
      group.indexes.push(i);
      groups.set(key, group);
    });
    return groups;
  }

  function changesFor(settlement: Settlement): Updateable<OutboxTable> {
    switch (settlement.outcome) {
      case 'delivered':
        return { status: 'delivered', delivered_at: now().toISOString(), last_error: null };
      case 'released':
        return { status: 'pending', attempts: settlement.claim.attempts - 1 };
      case 'retry':
        return { status: 'pending', next_attempt_at: settlement.at.toISOString(), last_error: settlement.error };
      default:
        return { status: settlement.outcome, last_error: settlement.error };
    }
  }

  return {
    claim: async (limit, leaseMs) => (limit < 1 ? [] : claimedJobs(await claimQuery(limit, leaseMs).execute())),

    async settleAndClaim(settlements, limit, leaseMs, skip) {
      if (settlements.length === 0 && limit < 1) return { applied: [], jobs: [] };
      // Settlements that change a job the same way (every skipped e-mail, every delivery) go in one
      // statement: a busy round settles a dozen jobs with one or two, not a dozen.
      const groups = [...groupsOf(settlements).values()];
      const queries = [
        ...groups.map(({ changes, indexes }) =>
          settleAllQuery(
            indexes.map((i) => (settlements[i] as Settlement).claim),
            changes,
          ),
        ),
        ...(limit >= 1 ? [claimQuery(limit, leaseMs, skip)] : []),
      ];
      // SQLite: the round as one transaction on the writer's thread, where the leads are written too,
      // so that its commit (a wait for the disk) does not stop this thread. PostgreSQL: each statement
      // commits on its own, which there costs fewer round trips than BEGIN and COMMIT around them;
      // each is guarded alone.
      const { writer } = database;
      const results: unknown[][] = [];
      if (writer !== undefined) results.push(...(await writer.transaction(queries.map((query) => query.compile()))));
      else for (const query of queries) results.push(await query.execute());
      const applied = settlements.map(() => false);
      groups.forEach(({ indexes }, n) => {
        const settled = new Set((results[n] as { id: string }[]).map((row) => row.id));
        for (const i of indexes) applied[i] = settled.has((settlements[i] as Settlement).claim.id);
      });
      const jobs = limit >= 1 ? claimedJobs(results[groups.length] as OutboxRow[]) : [];
      return { applied, jobs };
    },

    delivered: (claim) => settle(claim, changesFor({ claim, outcome: 'delivered' })),
    retryLater: (claim, error, at) => settle(claim, changesFor({ claim, outcome: 'retry', error, at })),
    dead: (claim, error) => settle(claim, changesFor({ claim, outcome: 'dead', error })),
    skipped: (claim, reason) => settle(claim, changesFor({ claim, outcome: 'skipped', error: reason })),

    async forLead(center, leadId) {
      const rows = await db
        .selectFrom('outbox')
        .selectAll()
        .where('center', '=', center)
        .where('lead_id', '=', leadId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toDelivery);
    },

    async list(center, status) {
      const rows = await db
        .selectFrom('outbox')
        .selectAll()
        .where('center', '=', center)
        .where('status', '=', status)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(LIST_LIMIT)
        .execute();
      return rows.map(toDelivery);
    },

    async countByStatus(center, status) {
      const { n } = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('center', '=', center)
        .where('status', '=', status)
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async replay(center, id) {
      const row = await db
        .updateTable('outbox')
        .set({ status: 'pending', next_attempt_at: now().toISOString(), locked_until: null, last_error: null })
        .where('center', '=', center)
        .where('id', '=', id)
        .where('status', 'in', REPLAYABLE)
        .returningAll()
        .executeTakeFirst();
      if (row !== undefined) return toDelivery(row);
      const exists = await db
        .selectFrom('outbox')
        .select('id')
        .where('center', '=', center)
        .where('id', '=', id)
        .executeTakeFirst();
      return exists === undefined ? 'not_found' : 'not_replayable';
    },
  };
}

type OutboxRow = Selectable<OutboxTable>;

function toDelivery(row: OutboxRow): Delivery {
  const status = row.status as DeliveryStatus;
  return {
    id: row.id,
    leadId: row.lead_id,
    kind: row.kind as DeliveryKind,
    target: row.kind === 'webhook' ? shownUrl(row.target) : row.target,
    status,
    attempts: Number(row.attempts),
    nextAttemptAt: status === 'pending' ? row.next_attempt_at : null,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

function toClaimedJob(row: OutboxRow): ClaimedJob {
  return {
    id: row.id,
    leadId: row.lead_id,
    center: row.center,
    kind: row.kind as DeliveryKind,
    target: row.target,
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    lockedUntil: row.locked_until ?? '',
  };
}

function byDueTime(a: OutboxRow, b: OutboxRow): number {
  if (a.next_attempt_at === b.next_attempt_at) return 0;
  return a.next_attempt_at < b.next_attempt_at ? -1 : 1;
}

/**
 * A webhook URL as staff see it: scheme, host and path. A query string or user name may hold the
 * receiver's token, which is the operator's to know, not every staff member's.
 */
function shownUrl(target: string): string {
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return target;
  }
}
