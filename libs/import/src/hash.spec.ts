import { contentHash } from './hash';

describe('contentHash', () => {
  it('is the hash stored by earlier imports (a re-import of unchanged rows must find them unchanged)', () => {
    // Values computed by the first implementation: sha256 of JSON.stringify(sorted [key, value] pairs).
    expect(contentHash({ lastName: 'Nasser', firstName: 'Li', phones: ['+971580000001'], budgetMinFils: 390000000, moveInDate: null, extra: undefined, nested: { b: 1, a: [true] } })).toBe(
      'OIMFzy4rBQetCutmh5GYAQYonw-fIcwy',
    );
    expect(contentHash({ b: 1, a: 'x' })).toBe('oT4Il2bJA-mbsdp_LCP9iBowwhQfkV1K');
  });

  it('does not depend on key order, and changes with any value', () => {
    const a = contentHash({ x: 1, y: ['a'], z: null });
    expect(contentHash({ z: null, y: ['a'], x: 1 })).toBe(a);
    expect(contentHash({ x: 1, y: ['a'], z: null })).toBe(a);
    expect(contentHash({ x: 2, y: ['a'], z: null })).not.toBe(a);
    expect(contentHash({ x: 1, y: ['a', 'b'], z: null })).not.toBe(a);
    expect(contentHash({ x: 1, y: ['a'] })).not.toBe(a);
  });
});
