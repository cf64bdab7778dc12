// The shapes of packages/console/API.md. The server owns the contract and exports it; the console
// imports it (types, and the few limits it shows), so the two cannot drift.

export type {
  AlertPreferences,
  Assignment,
  AuditEntry,
  AuditPage,
  BestTime,
  ConsoleSession as Session,
  Delivery,
  ErrorBody,
  ExportFormat,
  Handover,
  HandoverBody,
  HistoryEntry,
  Inbox,
  InboxQuery,
  Invitation,
  LeadDetail,
  LeadRow,
  LeadStatus as Status,
  LinkInfo,
  Role,
  Sla,
  StaffLocale as Locale,
  StatusChange,
  Team,
  TeamMember,
  Urgency,
} from '@intake-chat/server/console-api';
export { INBOX_LIMIT, LINK_HOURS, NOTE_LIMIT, PASSWORD_MIN } from '@intake-chat/server/console-api';
