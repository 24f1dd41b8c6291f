import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationError } from '@vmp/shared/errors';
import { effectiveRows } from './accumulate.ts';
import { type ColumnMapping, type ParsedReport, parseReport, type ReportRow } from './report.ts';

/**
 * Reads report files in the order given (a later file wins for the same ad and date range). Throws NotCsvError,
 * MissingColumnsError or a ValidationError for a file that cannot be read: nothing is half-read.
 */
export async function readReports(
  paths: readonly string[],
  mapping: ColumnMapping = {},
): Promise<{ reports: ParsedReport[]; rows: Array<ReportRow & { file: string }> }> {
  const reports: ParsedReport[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new ValidationError(
        `Cannot read "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        {
          file: path,
        },
      );
    }
    reports.push(parseReport(basename(path), text, mapping));
  }
  const rows = effectiveRows(reports.map((r) => ({ rows: r.rows.map((row) => ({ ...row, file: r.file })) })));
  return { reports, rows };
}
