/**
 * Incremental RFC 4180 parser for records.csv as the verifier reads it from the zip in chunks.
 * Strict where our writer is strict (quotes only around whole fields, CRLF or LF row ends) and
 * bounded: a row longer than `maxRowChars` is an error, so a hostile file cannot grow memory.
 */
export class CsvRowParser {
  private buffer = '';
  private row = 0;

  constructor(
    private readonly onRow: (cells: string[], row: number) => void,
    private readonly maxRowChars = 64 * 1024 * 1024,
  ) {}

  push(text: string): void {
    this.buffer = this.buffer === '' ? text : this.buffer + text;
    this.parse(false);
    if (this.buffer.length > this.maxRowChars) throw new Error(`row ${this.row + 1} is longer than ${this.maxRowChars} characters`);
  }

  end(): void {
    this.parse(true);
    this.buffer = '';
  }

  private fail(reason: string): never {
    throw new Error(`row ${this.row + 1}: ${reason}`);
  }

  /** Parses all complete rows in the buffer; keeps the incomplete tail unless `final`. */
  private parse(final: boolean): void {
    const s = this.buffer;
    const n = s.length;
    let pos = 0;
    rows: while (pos < n) {
      const cells: string[] = [];
      let i = pos;
      for (;;) {
        // One field starting at i.
        if (i < n && s.charCodeAt(i) === 34) {
          let j = i + 1;
          let value = '';
          for (;;) {
            const q = s.indexOf('"', j);
            if (q < 0) {
              if (final) this.fail('a quoted field is never closed');
              break rows;
            }
            if (q + 1 >= n && !final) break rows;
            if (s.charCodeAt(q + 1) === 34) {
              value += s.slice(j, q + 1);
              j = q + 2;
              continue;
            }
            value += s.slice(j, q);
            i = q + 1;
            break;
          }
          cells.push(value);
        } else {
          let j = i;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c === 44 || c === 13 || c === 10) break;
            if (c === 34) this.fail('a quote inside an unquoted field');
            j++;
          }
          if (j >= n && !final) break rows;
          cells.push(s.slice(i, j));
          i = j;
        }
        // After a field: a comma, a row end, or the end of the data.
        if (i >= n) {
          if (!final) break rows;
          this.emit(cells);
          pos = n;
          break;
        }
        const c = s.charCodeAt(i);
        if (c === 44) {
          i++;
          if (i >= n && !final) break rows;
          continue;
        }
        if (c === 13) {
          if (i + 1 >= n && !final) break rows;
          if (s.charCodeAt(i + 1) !== 10) this.fail('a carriage return that does not end the row');
          i += 2;
        } else if (c === 10) {
          i++;
        } else {
          this.fail('text after a closing quote');
        }
        this.emit(cells);
        pos = i;
        break;
      }
    }
    this.buffer = pos === 0 ? s : s.slice(pos);
  }

  private emit(cells: string[]): void {
    this.row++;
    this.onRow(cells, this.row);
  }
}
