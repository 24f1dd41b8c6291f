/** An error from the host, with the wire code kept so the UI can tell validation from failure. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

/** The socket dropped or never opened: the call may or may not have run on the host. */
export class ConnectionError extends ApiError {
  constructor(message: string) {
    super('CONNECTION_LOST', message);
    this.name = 'ConnectionError';
  }
}

/** The text to show a user for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return 'Something went wrong';
}
