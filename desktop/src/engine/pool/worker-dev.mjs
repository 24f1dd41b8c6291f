// Dev/test entry of the FFmpeg worker: registers tsx inside the worker thread, then loads the TypeScript worker.
// (On Node 20 `execArgv: ['--import', 'tsx']` does not reach a worker's module loader; registering here does.)
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
