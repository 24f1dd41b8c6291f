// The pool's worker entry with the app's CPU tasks (bundled as ffmpeg-worker.mjs by scripts/build-electron.mjs).
import { poolWorker } from '../engine/pool/worker.ts';
import { cpuTasks } from './cpu-tasks.ts';

export default poolWorker(cpuTasks);
