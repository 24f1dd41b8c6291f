import { describe, expect, it } from 'vitest';
import { createCrashHandler } from './crash.ts';

function setup(answer: boolean) {
  const lines: string[] = [];
  const dialogs: string[][] = [];
  let opened = 0;
  const handler = createCrashHandler({
    appName: 'Video Mixer Pro',
    version: '1.4.2',
    log: { file: '/logs/main.log', error: (...args: unknown[]) => lines.push(args.map(String).join(' ')) },
    dialog: {
      show: async (title, message, detail) => {
        dialogs.push([title, message, detail]);
        return answer;
      },
    },
    openLogsFolder: () => opened++,
  });
  return { handler, lines, dialogs, opened: () => opened };
}

describe('createCrashHandler', () => {
  it('logs every uncaught error with the app version and shows one dialog that can open the logs', async () => {
    const { handler, lines, dialogs, opened } = setup(true);
    handler(new Error('database is locked'), 'uncaughtException');
    handler(new Error('second failure'), 'unhandledRejection');
    handler('a string', 'unhandledRejection');
    await new Promise((r) => setTimeout(r, 0));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('Video Mixer Pro 1.4.2');
    expect(lines[0]).toContain('uncaughtException');
    expect(lines[0]).toContain('database is locked');
    expect(lines[2]).toContain('a string');
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]?.[1]).toBe('database is locked');
    expect(dialogs[0]?.[2]).toContain('/logs/main.log');
    expect(opened()).toBe(1);
  });

  it('does not open the logs folder when the user closes the dialog', async () => {
    const { handler, opened } = setup(false);
    handler(new Error('x'), 'uncaughtException');
    await new Promise((r) => setTimeout(r, 0));
    expect(opened()).toBe(0);
  });
});
