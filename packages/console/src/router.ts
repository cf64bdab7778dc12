import { useEffect, useState } from 'preact/hooks';

/** The console's views, one per hash route, so a reload or a 401 comes back to the same place. */
export type Route =
  | { readonly name: 'inbox' }
  | { readonly name: 'lead'; readonly id: string }
  | { readonly name: 'deliveries' }
  | { readonly name: 'audit' }
  | { readonly name: 'export' }
  | { readonly name: 'notFound' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { name: 'inbox' };
  const lead = /^\/leads\/([^/?#]+)$/.exec(path);
  if (lead?.[1]) return { name: 'lead', id: decodeURIComponent(lead[1]) };
  if (path === '/deliveries') return { name: 'deliveries' };
  if (path === '/audit') return { name: 'audit' };
  if (path === '/export') return { name: 'export' };
  return { name: 'notFound' };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'lead':
      return `#/leads/${encodeURIComponent(route.id)}`;
    case 'deliveries':
    case 'audit':
    case 'export':
      return `#/${route.name}`;
    default:
      return '#/';
  }
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
