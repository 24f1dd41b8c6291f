import { AppError } from '@vmp/shared/errors';
import { FfmpegFailedError } from '../errors.ts';
import { runFfmpeg, setCommandLogger } from '../ffmpeg/run.ts';
import {
  CANCEL_MESSAGE,
  type CpuResult,
  type CpuTask,
  type TaskTable,
  type WorkerMessage,
  type WorkerResult,
  type WorkerTask,
} from './protocol.ts';

async function runCpuTask(tasks: TaskTable, task: CpuTask): Promise<CpuResult> {
  const { port } = task;
  // One task per worker at a time (as for FFmpeg tasks): the analysis's probes and checks reach the pool's log too.
  setCommandLogger((command) => {
    if (process.env.VMP_LOG_FFMPEG) process.stderr.write(`[ffmpeg] ${command}\n`);
    port?.postMessage({ type: 'command', command } satisfies WorkerMessage);
  });
  try {
    const fn = tasks[task.name];
    if (!fn) return { ok: false, code: 'INTERNAL_ERROR', message: `This worker has no task "${task.name}".` };
    return { ok: true, value: await fn(...task.args) };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, code: error.code, message: error.message, status: error.status, details: error.details };
    }
    return { ok: false, code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) };
  } finally {
    port?.close();
  }
}

/**
 * Worker-thread side of the FFmpeg pool, with the CPU tasks its owner gives it (the pool runs what it is given; the
 * app's list is core/cpu-tasks.ts, whose worker entry is core/cpu-worker.ts).
 */
export function poolWorker(tasks: TaskTable): (task: WorkerTask | CpuTask) => Promise<WorkerResult | CpuResult> {
  return (task) => (task.kind === 'cpu' ? runCpuTask(tasks, task) : runFfmpegTask(task));
}

/**
 * Runs one FFmpeg command through runFfmpeg (so it is logged and killed on cancel like any other), streams progress
 * back, and answers with plain data.
 */
async function runFfmpegTask(task: WorkerTask): Promise<WorkerResult> {
  const { port } = task;
  const controller = new AbortController();
  const post = (message: WorkerMessage) => port.postMessage(message);
  port.on('message', (message) => {
    if (message === CANCEL_MESSAGE) controller.abort();
  });
  // One task per worker at a time, so a per-task logger is safe. Keep the default stderr log as well.
  setCommandLogger((command) => {
    if (process.env.VMP_LOG_FFMPEG) process.stderr.write(`[ffmpeg] ${command}\n`);
    post({ type: 'command', command });
  });
  try {
    const result = await runFfmpeg(task.args, {
      signal: controller.signal,
      ...(task.label ? { label: task.label } : {}),
      ...(task.env ? { env: task.env } : {}),
      ...(task.progress ? { onProgress: (progress) => post({ type: 'progress', progress }) } : {}),
    });
    return { ok: true, command: result.command };
  } catch (error) {
    if (error instanceof FfmpegFailedError) {
      const details = error.details as { exitCode?: number | null };
      return {
        ok: false,
        code: error.code,
        message: error.message,
        ...(task.label ? { label: task.label } : {}),
        command: error.command,
        stderr: error.stderrTail,
        exitCode: details.exitCode ?? null,
      };
    }
    if (error instanceof AppError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) };
  } finally {
    port.close();
  }
}

/** An FFmpeg-only worker (no CPU tasks): the pool's default entry, through worker-dev.mjs in tests and dev. */
export default poolWorker({});
