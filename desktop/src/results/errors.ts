import { ValidationError } from '@vmp/shared/errors';

// Both are bad input (exit 2 in the CLI, a dialog in the app): ValidationErrors with their own stable code.

/** The file is not a CSV (binary, an unterminated quote, empty): nothing of it is imported. */
export class NotCsvError extends ValidationError {
  override readonly code: string = 'NOT_CSV';
  constructor(file: string, why: string) {
    super(`"${file}" is not a CSV file: ${why} Export the report as CSV (comma-separated) and try again.`, { file });
  }
}

/** A report without the columns a result needs (ad name, impressions): names the file and each missing column. */
export class MissingColumnsError extends ValidationError {
  override readonly code: string = 'REPORT_COLUMNS_MISSING';
  readonly file: string;
  readonly missing: string[];
  readonly headers: string[];
  constructor(file: string, missing: string[], headers: string[]) {
    super(
      `"${file}" has no ${missing.map((m) => `"${m}"`).join(' or ')} column. Its columns: ${headers
        .slice(0, 20)
        .map((h) => `"${h}"`)
        .join(
          ', ',
        )}${headers.length > 20 ? ', …' : ''}. Map them (vmp results --map ${missing[0]}="<column>", or the mapping dialog in the app).`,
      { file, missing, headers },
    );
    this.file = file;
    this.missing = missing;
    this.headers = headers;
  }
}
