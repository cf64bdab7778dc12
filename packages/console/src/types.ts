// The shapes of packages/console/API.md. The server owns the contract and exports it; the console
// imports it (types, and the few limits it shows), so the two cannot drift.

export type {
  AuditEntry,
  AuditPage,
  BestTime,
  ConsoleSession as Session,
  Delivery,
  ErrorBody,
  HistoryEntry,
  Inbox,
  LeadDetail,
  LeadRow,
  LeadStatus as Status,
  Sla,
  StaffLocale as Locale,
  StatusChange,
  Urgency,
} from '@intake-chat/server/console-api';
export { NOTE_LIMIT } from '@intake-chat/server/console-api';
