import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CsvRow, readCsvBatches } from './csv';

describe('readCsvBatches', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'pace-csv-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function read(content: string, batchSize = 1000): Promise<CsvRow[][]> {
    const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, content);
    const batches: CsvRow[][] = [];
    for await (const batch of readCsvBatches(file, batchSize)) batches.push(batch.rows);
    return batches;
  }

  it('keys each record by the trimmed header, as a Salesforce export writes it (BOM, quotes, CRLF)', async () => {
    const csv = '\ufeff"Id", FirstName ,"Description"\r\n"003A","Aisha","says ""hi"", then\r\nleaves"\r\n\r\n"003B","عائشة",""\r\n';
    expect(await read(csv)).toEqual([
      [
        { row: 2, values: { Id: '003A', FirstName: 'Aisha', Description: 'says "hi", then\r\nleaves' } },
        { row: 3, values: { Id: '003B', FirstName: 'عائشة', Description: '' } },
      ],
    ]);
  });

  it('reads a short record as missing its last columns and ignores cells past the header', async () => {
    const [[short, long]] = await read('Id,Phone,Email\n003A,050 123 4567\n003B,,b@example.com,extra\n');
    expect(short.values).toEqual({ Id: '003A', Phone: '050 123 4567' });
    expect(long.values).toEqual({ Id: '003B', Phone: '', Email: 'b@example.com' });
  });

  it('cuts the file into batches of the given size', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => `00${i},n${i}`).join('\n');
    const batches = await read(`Id,Name\n${lines}\n`, 2);
    expect(batches.map((b) => b.map((r) => r.row))).toEqual([[2, 3], [4, 5], [6]]);
    expect(batches[2][0].values).toEqual({ Id: '004', Name: 'n4' });
  });

  it('refuses a broken file with the record it broke near', async () => {
    await expect(read('Id,Name\n001,"unclosed\n002,b\n')).rejects.toThrow(/is not a readable CSV file near record 2: .*quote/i);
  });
});
