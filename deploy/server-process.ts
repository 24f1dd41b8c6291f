import { type ChildProcess, spawn } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the first line containing `text`; rejects if the process exits first. */
  waitFor: (text: string) => Promise<string>;
  exited: Promise<number | null>;
}

/** Follows a child process's output so a test can wait for a log line. */
export function followProcess(child: ChildProcess): ServerProcess {
  let out = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk;
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = out.split('\n').find((l) => l.includes(text));
        if (line !== undefined) resolve(line);
      };
      waiters.push(check);
      check();
      void exited.then((code) => reject(new Error(`process exited (${code}) before "${text}":\n${out}`)));
    });
  return { child, output: () => out, waitFor, exited };
}

/** The server as the image starts it (`node --import tsx server/src/main.ts`), from the repository root. */
export function startServer(root: string, env: Record<string, string>, args: string[] = []): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DB_POOL_SIZE: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return followProcess(child);
}
