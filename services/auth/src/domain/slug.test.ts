import { slugify } from './slug';

describe('slugify', () => {
  test('when a name has spaces, accents and symbols, then the slug is a DNS label', () => {
    expect(slugify('Acme Corp')).toBe('acme-corp');
    expect(slugify('  Café & Co. Ltd!! ')).toBe('cafe-co-ltd');
    expect(slugify('joe1')).toBe('joe1');
    expect(slugify('***')).toBe('tenant');
    expect(slugify('a'.repeat(70))).toHaveLength(63);
  });
});
