import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute } from '../src/router.js';

describe('hash routes', () => {
  it('name every view, and round-trip', () => {
    const routes = ['#/', '#/leads/0193a2b4-0000-7000-8000-000000000001', '#/deliveries', '#/audit', '#/export'];
    expect(routes.map((hash) => hrefFor(parseRoute(hash)))).toEqual(routes);
    expect(parseRoute('')).toEqual({ name: 'inbox' });
    expect(parseRoute('#/leads/abc')).toEqual({ name: 'lead', id: 'abc' });
  });

  it('treat anything else as not found', () => {
    expect(parseRoute('#/leads/').name).toBe('notFound');
    expect(parseRoute('#/leads/a/b').name).toBe('notFound');
    expect(parseRoute('#main').name).toBe('notFound');
  });
});
