import { AppError } from '@vmp/shared/errors';

/** The file is not a CSV (binary, an unterminated quote, empty): nothing of it is imported. */
export class NotCsvError extends AppError {
  constructor(file: string, why: string) {
    super('NOT_CSV', `"${file}" is not a CSV file: ${why} Export the report as CSV (comma-separated) and try again.`, {
      status: 422,
      details: { file },
    });
  }
}

/** A report without the columns a result needs (ad name, impressions): names the file and each missing column. */
export class MissingColumnsError extends AppError {
  readonly file: string;
  readonly missing: string[];
  readonly headers: string[];
  constructor(file: string, missing: string[], headers: string[]) {
    super(
      'REPORT_COLUMNS_MISSING',
      `"${file}" has no ${missing.map((m) => `"${m}"`).join(' or ')} column. Its columns: ${headers
        .slice(0, 20)
        .map((h) => `"${h}"`)
        .join(
          ', ',
        )}${headers.length > 20 ? ', …' : ''}. Map them (vmp results --map ${missing[0]}="<column>", or the mapping dialog in the app).`,
      { status: 422, details: { file, missing, headers } },
    );
    this.file = file;
    this.missing = missing;
    this.headers = headers;
  }
}
