import type { Logger } from './log-file.ts';

export interface CrashDialog {
  /** Shows the message with an "Open Logs Folder" button; resolves true when the user chose it. */
  show(title: string, message: string, detail: string): Promise<boolean>;
}

export interface CrashHandlerOptions {
  appName: string;
  version: string;
  log: Pick<Logger, 'error' | 'file'>;
  dialog: CrashDialog;
  openLogsFolder(): void;
}

function describe(error: unknown): { message: string; stack: string } {
  if (error instanceof Error) return { message: error.message || error.name, stack: error.stack ?? error.message };
  return { message: String(error), stack: String(error) };
}

/**
 * For process 'uncaughtException' / 'unhandledRejection' in main: every one is logged with the app version; the
 * user sees one dialog per run (a failing timer would otherwise stack dialogs), with a way to the logs.
 */
export function createCrashHandler(options: CrashHandlerOptions): (error: unknown, origin: string) => void {
  let shown = false;
  return (error, origin) => {
    const { message, stack } = describe(error);
    options.log.error(`${options.appName} ${options.version} (${process.platform}-${process.arch}) ${origin}:`, stack);
    if (shown) return;
    shown = true;
    void options.dialog
      .show(
        `${options.appName} ran into a problem`,
        message,
        `The app keeps running, but something did not finish. Details are in ${options.log.file} ` +
          `(version ${options.version}); include that file if you report the problem.`,
      )
      .then((openLogs) => {
        if (openLogs) options.openLogsFolder();
      })
      .catch((dialogError: unknown) => options.log.error('could not show the crash dialog:', dialogError));
  };
}
