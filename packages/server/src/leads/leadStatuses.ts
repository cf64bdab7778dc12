/** Where a lead stands with admissions (packages/console/API.md). */
export const leadStatuses = ['new', 'contacted', 'scheduled', 'admitted', 'not-a-fit', 'unreachable'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/**
 * The workflow: new -> contacted -> scheduled / admitted / not a fit / unreachable. A person who
 * could not be reached may call back or be reached later, and a closed lead may be reopened as
 * contacted when they get in touch again; nothing goes back to `new`, whose wait is the callback target.
 */
export const nextStatuses: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  new: ['contacted', 'unreachable'],
  contacted: ['scheduled', 'admitted', 'not-a-fit', 'unreachable'],
  scheduled: ['admitted', 'not-a-fit', 'unreachable', 'contacted'],
  unreachable: ['contacted', 'not-a-fit'],
  'not-a-fit': ['contacted'],
  admitted: [],
};

/** Leads still being worked: the inbox's default view. */
export const openStatuses: readonly LeadStatus[] = ['new', 'contacted', 'scheduled', 'unreachable'];

export function isLeadStatus(value: unknown): value is LeadStatus {
  return typeof value === 'string' && (leadStatuses as readonly string[]).includes(value);
}
