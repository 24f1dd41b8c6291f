import { AppError } from '@vmp/shared/errors';

/** A caption or headlines file that cannot be used: names the file and, where there is one, the line. */
export class TextFileError extends AppError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    problem: string,
  ) {
    super('TEXT_FILE_INVALID', `${file}${line === null ? '' : ` line ${line}`}: ${problem}`, {
      status: 400,
      details: { file, line },
    });
    this.name = 'TextFileError';
  }
}
