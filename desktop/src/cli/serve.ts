import { join } from 'node:path';
import { defaultDataDir } from '../core/paths.ts';
import { HostConfigError, parseServeArgs } from '../host/config.ts';
import { startHost } from '../host/server.ts';
import { type CliCommand, EXIT_OK, UsageError } from './command.ts';

const usage = `Usage: vmp serve [--port 5170] [--host 127.0.0.1] [--data-dir DIR] [--token T]

Runs the app in your browser: serves the UI and the app API on this machine.
  --port      port to listen on (default 5170; 0 picks a free one)
  --host      address to bind (default 127.0.0.1). Any other address needs --token.
  --data-dir  where projects live (default: the desktop app's data folder; or VMP_DATA_DIR)
  --token     secret every request must carry (or VMP_TOKEN); open the printed address once to set it

Ctrl-C stops it: running renders are stopped and queued again for the next start.`;

export const serveCommand: CliCommand = {
  usage,
  async run(args, io) {
    let parsed: ReturnType<typeof parseServeArgs>;
    try {
      parsed = parseServeArgs(args);
    } catch (error) {
      if (error instanceof HostConfigError) throw new UsageError(error.message);
      throw error;
    }
    const dataDir = parsed.dataDir ?? defaultDataDir();
    const host = await startHost({
      dataDir,
      port: parsed.port,
      host: parsed.host,
      ...(parsed.token ? { token: parsed.token } : {}),
      ...(parsed.rendererDir ? { rendererDir: parsed.rendererDir } : {}),
      commandLog: join(dataDir, 'logs', 'ffmpeg-commands.log'),
    });
    io.stdout.write(`Video Mixer Pro is running at ${host.openUrl}\nData folder: ${dataDir}\nPress Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    io.stderr.write('Stopping: running renders go back to the queue...\n');
    await host.close();
    io.stderr.write('Stopped.\n');
    return EXIT_OK;
  },
};
