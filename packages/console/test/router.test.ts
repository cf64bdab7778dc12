import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute } from '../src/router.js';

describe('hash routes', () => {
  it('name every view, and round-trip', () => {
    const routes = [
      '#/',
      '#/leads/0193a2b4-0000-7000-8000-000000000001',
      '#/deliveries',
      '#/audit',
      '#/export',
      '#/insight',
      '#/insight?days=90',
      '#/team',
      '#/settings',
      '#/link/abc_DEF-123',
      '#/?view=mine',
      '#/?status=new&locale=es&page=2',
    ];
    expect(routes.map((hash) => hrefFor(parseRoute(hash)))).toEqual(routes);
    expect(parseRoute('')).toEqual({ name: 'inbox', query: {} });
    expect(parseRoute('#/leads/abc')).toEqual({ name: 'lead', id: 'abc' });
  });

  it('keep the inbox filters in a fixed order, without defaults or unknown keys', () => {
    expect(parseRoute('#/?locale=es&page=1&view=open&colour=red')).toEqual({
      name: 'inbox',
      query: { locale: 'es' },
    });
  });

  it('never put search words in the address, nor take them from it', () => {
    expect(hrefFor({ name: 'inbox', query: { q: 'Ana María', status: 'new' } })).toBe('#/?status=new');
    expect(parseRoute('#/?q=Maria&locale=es')).toEqual({ name: 'inbox', query: { locale: 'es' } });
  });

  it('keep the Insight range to the ones the screen offers, 30 days by default', () => {
    expect(parseRoute('#/insight?days=7')).toEqual({ name: 'insight', days: 7 });
    expect(parseRoute('#/insight?days=12')).toEqual({ name: 'insight', days: 30 });
    expect(parseRoute('#/insight')).toEqual({ name: 'insight', days: 30 });
  });

  it('treat anything else as not found', () => {
    expect(parseRoute('#/leads/').name).toBe('notFound');
    expect(parseRoute('#/leads/a/b').name).toBe('notFound');
    expect(parseRoute('#main').name).toBe('notFound');
  });
});
