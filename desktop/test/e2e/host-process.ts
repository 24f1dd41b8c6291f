// Child-process entry for e2e tests: the real browser host on a temporary data folder.
import { startHost } from '../../src/host/index.ts';

const host = await startHost({
  dataDir: process.env.VMP_E2E_DATA_DIR!,
  defaultOutputDir: process.env.VMP_E2E_OUTPUT_DIR!,
  port: Number(process.env.VMP_E2E_PORT ?? 0),
  host: '127.0.0.1',
});
process.stdout.write(`VMP_HOST_URL=${host.url}\n`);
const stop = () => {
  void host.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
