import { useEffect, useState } from 'preact/hooks';
import { type InboxQuery, type InsightRange, insightRanges } from './types.js';

/** The console's views, one per hash route, so a reload or a 401 comes back to the same place. */
export type Route =
  /** The inbox, with its filters: `#/?status=new&locale=es`, so a view can be bookmarked (never a search). */
  | { readonly name: 'inbox'; readonly query: InboxQuery }
  | { readonly name: 'lead'; readonly id: string }
  | { readonly name: 'deliveries' }
  | { readonly name: 'audit' }
  | { readonly name: 'export' }
  /** Admins: conversion insight over the last `days` (7, 30 or 90): `#/insight?days=90`. */
  | { readonly name: 'insight'; readonly days: InsightRange }
  /** Admins: the center's accounts. */
  | { readonly name: 'team' }
  /** Everyone: their own password, language and alerts. */
  | { readonly name: 'settings' }
  /** A one-time link to set a password (an invitation or a reset); needs no session. */
  | { readonly name: 'link'; readonly token: string }
  | { readonly name: 'notFound' };

const QUERY_KEYS = ['view', 'status', 'urgency', 'route', 'locale', 'assignee', 'from', 'to', 'q', 'page'] as const;

export function parseRoute(hash: string): Route {
  const full = hash.replace(/^#/, '');
  const [path = '', search = ''] = full.split('?', 2) as [string, string?];
  if (path === '' || path === '/') return { name: 'inbox', query: parseInboxQuery(search) };
  const lead = /^\/leads\/([^/?#]+)$/.exec(path);
  if (lead?.[1]) return { name: 'lead', id: decodeURIComponent(lead[1]) };
  const link = /^\/link\/([A-Za-z0-9_-]+)$/.exec(path);
  if (link?.[1]) return { name: 'link', token: link[1] };
  if (path === '/deliveries') return { name: 'deliveries' };
  if (path === '/audit') return { name: 'audit' };
  if (path === '/export') return { name: 'export' };
  if (path === '/insight') {
    const days = Number(new URLSearchParams(search).get('days'));
    return { name: 'insight', days: (insightRanges as readonly number[]).includes(days) ? (days as InsightRange) : 30 };
  }
  if (path === '/team') return { name: 'team' };
  if (path === '/settings') return { name: 'settings' };
  return { name: 'notFound' };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'inbox': {
      // The search words are names and phone numbers: never in the address, its history or a bookmark.
      const { q: _words, ...filters } = route.query;
      const search = inboxSearch(filters);
      return search === '' ? '#/' : `#/?${search}`;
    }
    case 'lead':
      return `#/leads/${encodeURIComponent(route.id)}`;
    case 'link':
      return `#/link/${route.token}`;
    case 'insight':
      return route.days === 30 ? '#/insight' : `#/insight?days=${route.days}`;
    case 'deliveries':
    case 'audit':
    case 'export':
    case 'team':
    case 'settings':
      return `#/${route.name}`;
    default:
      return '#/';
  }
}

/**
 * The inbox's filters from the hash's query; unknown keys, empty values and search words are dropped
 * (the console holds a search in memory only, see `hrefFor`).
 */
export function parseInboxQuery(search: string): InboxQuery {
  const params = new URLSearchParams(search);
  const query: Record<string, string | number> = {};
  for (const key of QUERY_KEYS) {
    if (key === 'q') continue;
    const value = params.get(key)?.trim();
    if (!value) continue;
    if (key === 'page') {
      const page = Number(value);
      if (Number.isInteger(page) && page > 1) query.page = page;
    } else if (!(key === 'view' && value === 'open')) {
      query[key] = value;
    }
  }
  return query as InboxQuery;
}

/** The filters (and search) as a query string, in a fixed order, without defaults: one view, one string. */
export function inboxSearch(query: InboxQuery): string {
  const params = new URLSearchParams();
  for (const key of QUERY_KEYS) {
    const value = query[key];
    if (value === undefined || value === '') continue;
    if (key === 'view' && value === 'open') continue;
    if (key === 'page' && (typeof value !== 'number' || value <= 1)) continue;
    params.set(key, String(value));
  }
  return params.toString();
}

/** The current hash route, following the address bar (links, back and forward). */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const follow = () => setHash(location.hash);
    addEventListener('hashchange', follow);
    follow();
    return () => removeEventListener('hashchange', follow);
  }, []);
  return parseRoute(hash);
}
