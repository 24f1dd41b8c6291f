import { NotCsvError } from './errors.ts';

export { NotCsvError } from './errors.ts';

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter the header line uses most (outside quotes): exports in some locales use ";" or tabs. */
function detectDelimiter(text: string): string {
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const ch of text) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && (ch === '\n' || ch === '\r')) break;
      else if (!quoted && ch === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * RFC 4180 rows: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF or LF; a leading BOM is
 * dropped; blank lines are skipped. Throws NotCsvError naming `file` for binary data, an unterminated quote or no rows.
 */
export function parseCsv(input: string, file: string): string[][] {
  const text = input.replace(/^\uFEFF/, '');
  // Text exports never hold NUL or most other control characters; spreadsheets (xlsx is a zip), PDFs and images do.
  const sample = text.slice(0, 4096);
  if (/[\u0000-\u0008\u000e-\u001a]/.test(sample) || sample.includes('\uFFFD')) {
    throw new NotCsvError(file, 'it holds binary data (a spreadsheet, an image or a PDF?).');
  }
  const delimiter = detectDelimiter(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0]!.trim() !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      field = '';
      quoted = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRow();
    } else field += ch;
  }
  if (quoted) throw new NotCsvError(file, `the quote opened on line ${quoteLine} is never closed.`);
  if (field !== '' || row.length > 0) endRow();
  if (rows.length === 0) throw new NotCsvError(file, 'it is empty.');
  return rows;
}
