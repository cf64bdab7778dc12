import { useConsole } from './context.js';
import type { HistoryEntry } from './types.js';

/** Who did what to the lead and when: status changes (from → to) and notes, as the server lists them. */
export function LeadHistory({ history }: { history: readonly HistoryEntry[] }) {
  const { t, format } = useConsole();
  if (history.length === 0) return <p class="help">{t.noHistory}</p>;
  return (
    <ol class="history">
      {history.map((entry, index) => (
        // Entries have no id; the server only ever appends, so the position is stable.
        <li key={index}>
          <p class="history-what">
            <strong>{change(entry, t)}</strong> <span class="help">{t.historyBy(entry.by)}</span>
          </p>
          <p class="help">
            <time dateTime={entry.at}>{format.dateTime(entry.at)}</time>
          </p>
          {entry.note && <p class="note">{entry.note}</p>}
        </li>
      ))}
    </ol>
  );
}

function change(entry: HistoryEntry, t: ReturnType<typeof useConsole>['t']): string {
  if (entry.from && entry.to) return `${t.statuses[entry.from]} → ${t.statuses[entry.to]}`;
  if (entry.to) return t.statuses[entry.to];
  return t.historyNote;
}
