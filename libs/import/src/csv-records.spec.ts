import { parse } from 'csv-parse/sync';
import { CsvRecords } from './csv-records';

// csv-parse as the import used it (minus `columns`, which csv.ts applies the same way on top).
const reference = (text: string): string[][] => parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: false });

function ours(text: string, chunk: number): string[][] {
  const reader = new CsvRecords();
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...reader.push(text.slice(i, i + chunk), false));
  out.push(...reader.push('', true));
  return out;
}

const outcome = (read: () => string[][]) => {
  try {
    return { records: read() };
  } catch {
    return { error: true };
  }
};

const AWKWARD = [
  'a,b\r\n1,2\r\n',
  'a,b\r\n1,2',
  '\ufeffId,Name\r\n1,"Al ""K"" Suwaidi"\r\n2,"line\r\nbreak, and comma"\r\n',
  'a,b\r\n1,x\ny\r\n2,3\r\n',
  'a,b\n1,2\r\n3,4\n',
  'a,b\r1,2\r3,4',
  'a,b\r\n\r\n1,2\r\n\r\n',
  'a,b\r\n  \r\n1,2\r\n',
  'a,b\r\n""\r\n1,2\r\n',
  'a,b\r\n,\r\n1,\r\n,2\r\n',
  'a,b\r\n1,2,3\r\n4\r\n',
  'a,b\r\n"",""\r\n"x",\r\n',
  '\r\na,b\r\n1,2\r\n',
  'a,b\r\n1,2\r\n\r\n\r\n',
  'a,"b\r\nc"\r\n1,2\r\n',
  '',
  '\ufeff',
  'a',
  'a\r\n',
  // Errors, which the import reports as an unreadable file.
  'a,b\r\n1,ab"c\r\n',
  'a,b\r\n1,"ab"c\r\n',
  'a,b\r\n1,"abc\r\n',
  'a,b\r\n1, "x"\r\n',
];

describe('CsvRecords', () => {
  it('reads awkward files as csv-parse does, however the text is cut into chunks', () => {
    for (const text of AWKWARD) {
      const expected = outcome(() => reference(text));
      for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 20]) expect([text, chunk, outcome(() => ours(text, chunk))]).toEqual([text, chunk, expected]);
    }
  });

  it('reads random files as csv-parse does', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['a', 'Zz', ' ', '9', 'é', 'دبي', ',', '"', '\r', '\n', '\r\n', ';'];
    const cell = () => {
      let s = '';
      for (let k = Math.floor(random() * 6); k > 0; k--) s += pieces[Math.floor(random() * pieces.length)];
      return /[",\r\n]/.test(s) || random() < 0.3 ? `"${s.replace(/"/g, '""')}"` : s;
    };
    for (let file = 0; file < 200; file++) {
      const newline = ['\r\n', '\n', '\r'][file % 3];
      const lines: string[] = [];
      for (let r = Math.floor(random() * 8); r >= 0; r--) lines.push(Array.from({ length: 1 + Math.floor(random() * 4) }, cell).join(','));
      const text = (file % 5 === 0 ? '\ufeff' : '') + lines.join(newline) + (random() < 0.5 ? newline : '');
      const expected = outcome(() => reference(text));
      for (const chunk of [1, 3, 16, 1 << 20]) expect([text, chunk, outcome(() => ours(text, chunk))]).toEqual([text, chunk, expected]);
    }
  });
});
