import { AppError, ValidationError } from '@vmp/shared/errors';
import pkg from '../../package.json' with { type: 'json' };
import { CancelledError, FfmpegNotFoundError } from '../engine/errors.ts';
import { guardUnhandledRejections } from '../util/process-guard.ts';
import {
  type CliCommand,
  type CliIo,
  EXIT_CANCELLED,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
} from './command.ts';

/**
 * The command table. Each entry loads its module on demand, so `vmp probe` does not load the renderer.
 * To add a command, add one line here that imports its module (e.g. `serve` from './serve.ts').
 */
export const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  probe: {
    summary: 'show what files hold and whether they can be mixed',
    load: async () => (await import('./probe.ts')).probeCommand,
  },
  check: {
    summary: 'check videos against a placement (TikTok, Reels, Shorts, feed, YouTube)',
    load: async () => (await import('./check.ts')).checkCommand,
  },
  mix: { summary: 'mix a folder of clips into many videos', load: async () => (await import('./mix.ts')).mixCommand },
  results: {
    summary: 'rank hooks, bodies, CTAs from ad reports',
    load: async () => (await import('./results.ts')).resultsCommand,
  },
  serve: { summary: 'run the app in your browser', load: async () => (await import('./serve.ts')).serveCommand },
  share: {
    summary: 'upload a file and print an expiring link',
    load: async () => (await import('./share.ts')).shareCommand,
  },
  license: {
    summary: 'activate, check or deactivate this machine',
    load: async () => (await import('./licensing.ts')).licenseCommand,
  },
  credits: {
    summary: 'credit balance and offline usage',
    load: async () => (await import('./licensing.ts')).creditsCommand,
  },
  worker: {
    summary: 'render batches for a render farm',
    load: async () => (await import('./worker.ts')).workerCommand,
  },
};

/** "source" when this module is the TypeScript file (run through tsx), "bundled" when it is the esbuild output. */
export function buildKind(moduleUrl: string = import.meta.url): 'source' | 'bundled' {
  return moduleUrl.endsWith('.ts') ? 'source' : 'bundled';
}

function help(): string {
  const lines = ['Usage: vmp <command> [options]', '', 'Commands:'];
  for (const [name, entry] of Object.entries(commands)) lines.push(`  ${name.padEnd(8)} ${entry.summary}`);
  lines.push('', 'Run "vmp <command> --help" for its options.');
  return `${lines.join('\n')}\n`;
}

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(help());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`vmp ${pkg.version} (${buildKind()})\n`);
    return EXIT_OK;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`vmp: unknown command "${name}".\n\n${help()}`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CancelledError || io.signal.aborted) {
      io.stderr.write('\nCancelled.\n');
      return EXIT_CANCELLED;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`vmp ${name}: ${error.message}\n\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ValidationError) {
      io.stderr.write(`vmp ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof FfmpegNotFoundError || error instanceof AppError) {
      io.stderr.write(`vmp ${name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr.write(`vmp ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

/** Ctrl-C cancels the running command through its signal (the engine removes partial files); a second one quits. */
function cancelOnSignals(controller: AbortController): void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      process.stderr.write(`\nCancelling (${signal}); press Ctrl-C again to quit at once.\n`);
      controller.abort();
    } else {
      process.exit(EXIT_CANCELLED);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

const controller = new AbortController();
cancelOnSignals(controller);
guardUnhandledRejections();
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
