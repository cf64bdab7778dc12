import { crisisResources } from '@intake-chat/engine';
import { describe, expect, it } from 'vitest';

describe('crisisResources', () => {
  it('lists 988 and 911', () => {
    expect(crisisResources.map((resource) => resource.id)).toEqual(expect.arrayContaining(['988', '911']));
  });

  it.each(crisisResources)('labels $id in English and Spanish, with when to use it', (resource) => {
    for (const text of [resource.label.en, resource.label.es, resource.when.en, resource.when.es]) {
      expect(text.trim()).not.toBe('');
    }
    expect(resource.label.es).not.toBe(resource.label.en);
    expect(resource.when.es).not.toBe(resource.when.en);
  });

  it.each(crisisResources)('gives $id a dialable tel: link and, if any, a valid sms: link', (resource) => {
    expect(resource.tel).toMatch(/^tel:(?:\+1\d{10}|\d{3})$/);
    if (resource.sms !== undefined) expect(resource.sms).toMatch(/^sms:(?:\+1\d{10}|\d{3})$/);
    if (resource.web !== undefined) expect(resource.web).toMatch(/^https:\/\//);
  });

  it('lets people call or text 988 and reach its chat', () => {
    const lifeline = crisisResources.find((resource) => resource.id === '988');
    expect(lifeline).toMatchObject({ tel: 'tel:988', sms: 'sms:988', web: 'https://988lifeline.org' });
  });

  it('says the SAMHSA helpline is not a crisis line', () => {
    const samhsa = crisisResources.find((resource) => resource.id === 'samhsa');
    expect(samhsa?.when.en).toMatch(/not a crisis line/);
    expect(samhsa?.when.es).toMatch(/no es una línea de crisis/i);
  });
});
