const HOUR = 3_600_000;

export interface ScheduleOptions {
  env: NodeJS.ProcessEnv;
  /** Heartbeat interval (default 4 h; VMP_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** How often pending work is retried (default 20 s; VMP_USAGE_SYNC_MS). */
  tickMs?: number;
}

/**
 * The background of the app and the host: a heartbeat now and every `heartbeatMs`, and a flush every `tickMs` when
 * one is due. Timers do not keep the process alive. Returns the function that stops them.
 */
export function scheduleLicensing(
  options: ScheduleOptions,
  work: { heartbeat: () => unknown; flushDue: () => boolean; flush: () => unknown },
): () => void {
  const heartbeatMs = options.heartbeatMs ?? (Number(options.env.VMP_HEARTBEAT_MS) || 4 * HOUR);
  const tickMs = options.tickMs ?? (Number(options.env.VMP_USAGE_SYNC_MS) || 20_000);
  void work.heartbeat();
  const timers = [
    setInterval(() => void work.heartbeat(), heartbeatMs),
    setInterval(() => {
      if (work.flushDue()) void work.flush();
    }, tickMs),
  ];
  for (const t of timers) t.unref();
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
