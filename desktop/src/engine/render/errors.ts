import { AppError } from '@vmp/shared/errors';
import { FfmpegFailedError } from '../errors.ts';

export interface RenderFailureDetails {
  /** Output index, when the failure belongs to one output. */
  index?: number;
  /** Final path the output would have had. */
  output?: string;
  /** The clip whose normalisation failed (id and path), when one did. */
  clipId?: string;
  clipPath?: string;
  command?: string;
  stderr?: string;
}

/** An output could not be rendered. Says which output and, when known, which source clip broke it. */
export class RenderFailedError extends AppError {
  constructor(message: string, details: RenderFailureDetails, cause?: unknown) {
    const ff = cause instanceof FfmpegFailedError ? cause : undefined;
    super('RENDER_FAILED', message, {
      status: 500,
      details: { ...details, ...(ff ? { command: ff.command, stderr: ff.stderrTail } : {}) },
      cause,
    });
  }
}

/** A source clip cannot be normalised (undecodable, missing...): every output using it fails with this as cause. */
export class NormaliseFailedError extends AppError {
  readonly clipId: string;
  readonly clipPath: string;
  constructor(clipId: string, clipPath: string, cause?: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('NORMALISE_FAILED', `Could not prepare clip "${clipPath}": ${reason}`, {
      status: 500,
      details: { clipId, clipPath, ...(cause instanceof FfmpegFailedError ? { command: cause.command } : {}) },
      cause,
    });
    this.clipId = clipId;
    this.clipPath = clipPath;
  }
}
