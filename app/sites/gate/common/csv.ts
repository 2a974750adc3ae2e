/**
 * CSV as spreadsheets and HR systems read it (RFC 4180: comma, CRLF, quotes doubled), for the
 * roster and the attendance export. A cell that a spreadsheet would run as a formula (=, +, -, @,
 * tab, CR) is written with a leading apostrophe, so an exported name can never become a formula.
 */

const FORMULA = /^[=+\-@\t\r]/;

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export class CsvError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Rows of a CSV text (a leading byte-order mark is dropped; empty lines are skipped). Bounded: at
 * most `maxRows` rows, each cell at most 1,000 characters.
 */
export function parseCsv(text: string, maxRows = 100_000): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    if (field.length > 1000) throw new CsvError(line, 'a cell longer than 1,000 characters');
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    if (row.length > 1 || row[0] !== '') rows.push(row);
    if (rows.length > maxRows) throw new CsvError(line, `more than ${maxRows} rows`);
    row = [];
    line++;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRow();
    else if (c === '\r') {
      if (text[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (quoted) throw new CsvError(line, 'a quoted cell is not closed');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
