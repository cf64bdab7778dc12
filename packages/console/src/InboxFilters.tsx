import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useConsole } from './context.js';
import { parseRoute } from './router.js';
import type { InboxQuery, Status, TeamMember, Urgency } from './types.js';

interface Props {
  /** The filters in the hash route now, and the search the console holds. */
  readonly query: InboxQuery;
  /** The center's accounts, to filter by who has a lead; null until (or unless) they load. */
  readonly members: readonly TeamMember[] | null;
  /** A new set of filters: written to the hash route, from which the inbox is polled. */
  readonly onChange: (query: InboxQuery) => void;
}

type Changes = { [K in keyof InboxQuery]?: InboxQuery[K] | undefined };

const STATUSES: readonly Status[] = ['new', 'contacted', 'scheduled', 'admitted', 'not-a-fit', 'unreachable'];
const URGENCIES: readonly Urgency[] = ['emergency', 'urgent', 'high', 'normal'];
const VIEWS = ['open', 'mine', 'all'] as const;
/** Filters under "More filters"; the view and the search are always in sight. */
const MORE = ['status', 'urgency', 'route', 'locale', 'assignee', 'from', 'to'] as const;

/** Whether the inbox is narrowed in any way from the plain open inbox: what "Clear filters" undoes. */
export function isFiltered(query: InboxQuery): boolean {
  return (
    MORE.some((key) => query[key] !== undefined) ||
    query.q !== undefined ||
    (query.view !== undefined && query.view !== 'open') ||
    (query.page ?? 1) > 1
  );
}

/**
 * The inbox's filters. Each choice applies at once, and the search when sent (Enter or the button),
 * so the server is not asked on every key. A view ("Open", "Mine", "All") and a status exclude each
 * other (API.md: the view is ignored with a status), so choosing one clears the other. On a phone or a
 * short screen the other filters fold under "More filters", so the leads stay near the top.
 */
export function InboxFilters({ query, members, onChange }: Props) {
  const { t, session } = useConsole();
  const [draft, setDraft] = useState(query.q ?? '');
  const more = MORE.filter((key) => query[key] !== undefined).length;
  const [open, setOpen] = useState(() => more > 0 || wide());
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => setDraft(query.q ?? ''), [query.q]);

  const set = (changes: Changes) => {
    // From the address as it is now: two changes in a row each build on the one before.
    const route = parseRoute(location.hash);
    // The search is not in the address: it comes from the view on screen.
    const next: Record<string, unknown> = {
      ...(route.name === 'inbox' ? route.query : query),
      q: query.q,
      ...changes,
    };
    if (changes.status) delete next.view;
    if (changes.view) delete next.status;
    // A new filter starts at the first page.
    delete next.page;
    for (const key of Object.keys(next)) if (next[key] === undefined || next[key] === '') delete next[key];
    onChange(next as InboxQuery);
  };
  const choose = (key: (typeof MORE)[number]) => (event: Event) =>
    set({ [key]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value || undefined });

  const me = session.staff.email.toLowerCase();
  const colleagues = (members ?? []).map((member) => member.email).filter((email) => email.toLowerCase() !== me);
  const view = query.status ? null : (query.view ?? 'open');

  return (
    <div class="filters">
      <div class="filters-main">
        <fieldset class="segmented">
          <legend class="sr-only">{t.show}</legend>
          {VIEWS.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={option === view ? 'true' : 'false'}
              onClick={() => set({ view: option })}
            >
              {{ open: t.viewOpen, mine: t.viewMine, all: t.viewAll }[option]}
            </button>
          ))}
        </fieldset>
        <search class="search">
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              set({ q: draft.trim() || undefined });
            }}
          >
            <label for="inbox-q">{t.search}</label>
            <div class="search-row">
              <input
                id="inbox-q"
                ref={search}
                type="search"
                autocomplete="off"
                spellcheck={false}
                enterKeyHint="search"
                maxLength={100}
                value={draft}
                onInput={(event) => setDraft(event.currentTarget.value)}
              />
              <button type="submit">{t.searchButton}</button>
            </div>
          </form>
        </search>
        <button
          type="button"
          class="disclosure"
          aria-expanded={open ? 'true' : 'false'}
          aria-controls="more-filters"
          onClick={() => setOpen(!open)}
        >
          {t.moreFilters(more)}
        </button>
      </div>
      <div class="filter-grid" id="more-filters" hidden={!open}>
        <Choice id="filter-status" label={t.status} value={query.status} onChange={choose('status')}>
          <option value="">{t.anyStatus}</option>
          {options(STATUSES, query.status, (status) => t.statuses[status as Status] ?? status)}
        </Choice>
        <Choice id="filter-urgency" label={t.urgency} value={query.urgency} onChange={choose('urgency')}>
          <option value="">{t.anyUrgency}</option>
          {options(URGENCIES, query.urgency, (urgency) => t.urgencies[urgency as Urgency] ?? urgency)}
        </Choice>
        <Choice id="filter-route" label={t.route} value={query.route} onChange={choose('route')}>
          <option value="">{t.anyRoute}</option>
          {options(Object.keys(t.routes), query.route, (route) => t.routes[route] ?? route)}
        </Choice>
        <Choice id="filter-locale" label={t.visitorLanguage} value={query.locale} onChange={choose('locale')}>
          <option value="">{t.anyLanguage}</option>
          {options(['en', 'es'], query.locale, (locale) => t.languages[locale] ?? locale)}
        </Choice>
        <Choice id="filter-assignee" label={t.assignedTo} value={query.assignee} onChange={choose('assignee')}>
          <option value="">{t.anyone}</option>
          <option value="me">{t.me}</option>
          <option value="none">{t.noOne}</option>
          {options(
            colleagues,
            query.assignee === 'me' || query.assignee === 'none' ? undefined : query.assignee,
            (email) => email,
          )}
        </Choice>
        <div class="field">
          <label for="filter-from">{t.fromDay}</label>
          <input id="filter-from" type="date" value={query.from ?? ''} max={query.to} onChange={choose('from')} />
        </div>
        <div class="field">
          <label for="filter-to">{t.toDay}</label>
          <input id="filter-to" type="date" value={query.to ?? ''} min={query.from} onChange={choose('to')} />
        </div>
      </div>
      {isFiltered(query) && (
        <p class="clear">
          <button
            type="button"
            onClick={() => {
              setDraft('');
              onChange({});
              // The button goes with the filters; the search box keeps the place.
              search.current?.focus();
            }}
          >
            {t.clearFilters}
          </button>
        </p>
      )}
    </div>
  );
}

function Choice(props: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (event: Event) => void;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ''} onChange={props.onChange}>
        {props.children}
      </select>
    </div>
  );
}

/** The known values, and the one in the address if it is not among them, so the select shows it. */
function options(known: readonly string[], current: string | undefined, label: (value: string) => string) {
  const values = current && !known.includes(current) ? [...known, current] : known;
  return values.map((value) => (
    <option key={value} value={value}>
      {label(value)}
    </option>
  ));
}

/** A screen big enough to show every filter without pushing the leads out of sight; a phone folds them. */
function wide(): boolean {
  return typeof matchMedia === 'function' ? matchMedia('(min-width: 641px) and (min-height: 700px)').matches : true;
}
