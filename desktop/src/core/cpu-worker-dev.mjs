// Dev/test entry of the pool worker with the app's CPU tasks: registers tsx inside the worker thread, then loads
// the TypeScript entry (as engine/pool/worker-dev.mjs does for the FFmpeg-only worker).
import { register } from 'tsx/esm/api';

register();
const worker = await import('./cpu-worker.ts');
export default worker.default;
