import fc from 'fast-check';
import { types } from 'pg';
import { parseTextArray, searchTypes } from './text-array';

const pgTextArray = (types.getTypeParser as (oid: number, format: string) => (value: string) => (string | null)[])(1009, 'text');

/** A text[] as PostgreSQL's array_out writes it: elements quoted when empty, NULL-like or holding specials. */
function arrayOut(items: (string | null)[]): string {
  const element = (v: string | null) =>
    v === null ? 'NULL' : v === '' || /^null$/i.test(v) || /[\s,"\\{}]/.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : v;
  return `{${items.map(element).join(',')}}`;
}

describe('parseTextArray', () => {
  it('reads text[] exactly as pg does, quoted, escaped and NULL elements included', () => {
    for (const value of ['{}', '{balcony,central-ac,shared-pool}', '{bayut}', '{"sea view",gym}', '{NULL,a}', '{"NULL",null}', '{"a\\"b","c\\\\d"}', '{{a,b},{c,d}}', '{"",x}']) {
      expect(parseTextArray(value)).toEqual(pgTextArray(value));
    }
    fc.assert(
      fc.property(fc.array(fc.option(fc.string(), { nil: null })), (items) => {
        const text = arrayOut(items);
        expect(parseTextArray(text)).toEqual(pgTextArray(text));
        expect(parseTextArray(text)).toEqual(items);
      }),
      { numRuns: 2000 },
    );
  });

  it('is the parser the search hands pg for text[] only', () => {
    expect(searchTypes.getTypeParser(1009, 'text')).toBe(parseTextArray);
    expect(searchTypes.getTypeParser(23, 'text')).toBe(types.getTypeParser(23, 'text'));
  });
});
