/**
 * RFC 4180 records from text that arrives in chunks, read as csv-parse reads them with the
 * options the import always used (`bom`, `skip_empty_lines`, no trimming, strict quotes): the
 * record delimiter is the first one met (`\r\n`, `\n` or `\r`; another line break is data), `""`
 * inside quotes is a quote, a quote in an unquoted field or text after a closing quote is an
 * error, and so is a file that ends inside quotes. It exists because csv-parse's general state
 * machine was the largest single cost of an import's own CPU; csv-records.spec.ts holds it to
 * csv-parse on awkward and random files, cut into chunks at every size.
 */
/** A file that is not CSV: says how many records were complete before the problem. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly recordsBefore: number,
  ) {
    super(message);
  }
}

export class CsvRecords {
  private pending = '';
  private started = false;
  private delimiter: '\r\n' | '\n' | '\r' | undefined;

  /** The records completed by this chunk; `end`: no text follows (the file is finished). */
  push(chunk: string, end: boolean): string[][] {
    let text = this.pending + chunk;
    if (!this.started) {
      if (!text.length && !end) return [];
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    const records: string[][] = [];
    let i = 0;
    try {
      while (i < text.length) {
        const blank = this.delimiterAt(text, i, end);
        if (blank === undefined) break;
        if (blank > 0) {
          // An empty line (skip_empty_lines).
          i += blank;
          continue;
        }
        const next = this.record(text, i, end, records);
        if (next === undefined) break;
        i = next;
      }
    } catch (error) {
      throw new CsvSyntaxError((error as Error).message, records.length);
    }
    this.pending = text.slice(i);
    if (end && this.pending) throw new CsvSyntaxError('the file ends inside a record', records.length);
    return records;
  }

  /**
   * The length of the record delimiter at `i` (0: none there), choosing it at the first line
   * break; undefined when the text ends before that can be told.
   */
  private delimiterAt(text: string, i: number, end: boolean): number | undefined {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) return 0;
    if (this.delimiter === undefined) {
      if (c === 10) this.delimiter = '\n';
      else if (i + 1 < text.length) this.delimiter = text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
      else if (end) this.delimiter = '\r';
      else return undefined;
    }
    if (this.delimiter === '\n') return c === 10 ? 1 : 0;
    if (this.delimiter === '\r') return c === 13 ? 1 : 0;
    if (c !== 13) return 0;
    if (i + 1 < text.length) return text.charCodeAt(i + 1) === 10 ? 2 : 0;
    return end ? 0 : undefined;
  }

  /** Reads the record at `i` into `records`; returns where the next one starts, or undefined when it is not complete yet. */
  private record(text: string, i: number, end: boolean, records: string[][]): number | undefined {
    const n = text.length;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === 34) {
        value = '';
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote === -1) {
            if (end) throw new Error('Quote Not Closed: the file ends inside a quoted field');
            return undefined;
          }
          if (quote + 1 === n && !end) return undefined;
          if (text.charCodeAt(quote + 1) === 34) {
            value += text.slice(from, quote + 1);
            from = quote + 2;
            continue;
          }
          value += text.slice(from, quote);
          i = quote + 1;
          break;
        }
        if (i < n && text.charCodeAt(i) !== 44) {
          const d = this.delimiterAt(text, i, end);
          if (d === undefined) return undefined;
          if (d === 0) throw new Error(`Invalid Closing Quote: got "${text[i]}" instead of a delimiter after a quoted field`);
        }
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === 44) break;
          if (c === 34) throw new Error(`Invalid Opening Quote: a quote is found in an unquoted field, value is "${text.slice(i, j)}"`);
          if (c === 10 || c === 13) {
            const d = this.delimiterAt(text, j, end);
            if (d === undefined) return undefined;
            if (d > 0) break;
          }
        }
        if (j === n && !end) return undefined;
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i >= n) {
        if (!end) return undefined;
        records.push(fields);
        return n;
      }
      if (text.charCodeAt(i) === 44) {
        i++;
        if (i >= n && !end) return undefined;
        if (i >= n) {
          fields.push('');
          records.push(fields);
          return n;
        }
        continue;
      }
      records.push(fields);
      return i + this.delimiterAt(text, i, end)!;
    }
  }
}
