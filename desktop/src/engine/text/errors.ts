import { ValidationError } from '@vmp/shared/errors';

/** A caption or headlines file that cannot be used: names the file and, where there is one, the line. */
export class TextFileError extends ValidationError {
  override readonly code = 'TEXT_FILE_INVALID';

  constructor(
    readonly file: string,
    readonly line: number | null,
    problem: string,
  ) {
    super(`${file}${line === null ? '' : ` line ${line}`}: ${problem}`, { file, line });
    this.name = 'TextFileError';
  }
}
