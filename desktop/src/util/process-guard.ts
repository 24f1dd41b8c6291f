/**
 * The last line of defence of a long-running process (`vmp serve`, the CLI, Electron's main process): an unhandled
 * rejection is logged and the process keeps serving instead of exiting. Code must not rely on it; tests install their
 * own listener and fail on any unhandled rejection (see core/delete-mid-render.test.ts).
 */
export function guardUnhandledRejections(
  log: (line: string) => void = (line) => process.stderr.write(line),
): () => void {
  const onRejection = (reason: unknown) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log(`Unhandled rejection (logged, still running; please report it): ${text}\n`);
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
