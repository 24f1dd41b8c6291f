import { AppError } from '@vmp/shared/errors';

/** FFmpeg or ffprobe could not be found anywhere we look. */
export class FfmpegNotFoundError extends AppError {
  constructor(tool: 'ffmpeg' | 'ffprobe', tried: string[]) {
    const envVar = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
    super(
      'FFMPEG_NOT_FOUND',
      `${tool} was not found. Install FFmpeg (Debian/Ubuntu: "sudo apt-get install ffmpeg", macOS: "brew install ffmpeg", ` +
        `Windows: "winget install ffmpeg") or point ${envVar} at the ${tool} executable. Looked in: ${tried.join(', ') || '(nowhere)'}.`,
      { status: 500, details: { tool, tried } },
    );
  }
}

/** An FFmpeg process exited non-zero; carries the copy-pasteable command and the tail of its log. */
export class FfmpegFailedError extends AppError {
  readonly command: string;
  readonly stderrTail: string;

  constructor(message: string, command: string, stderrTail: string, exitCode: number | null) {
    super('FFMPEG_FAILED', `${message}${stderrTail ? `: ${lastLine(stderrTail)}` : ''}`, {
      status: 500,
      details: { command, exitCode, stderr: stderrTail },
    });
    this.command = command;
    this.stderrTail = stderrTail;
  }
}

/** The user (or a shutdown) cancelled the work; never retried, never reported as a failure. */
export class CancelledError extends AppError {
  constructor(message = 'Cancelled.') {
    super('CANCELLED', message, { status: 499 });
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').trim();
}
