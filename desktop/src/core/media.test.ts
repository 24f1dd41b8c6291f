import { HOST_PATHS } from '@vmp/shared/api';
import { describe, expect, it } from 'vitest';
import { mediaFile, parseMediaPath } from './media.ts';

describe('media routes', () => {
  it('parses the paths the renderer builds from HOST_PATHS', () => {
    expect(parseMediaPath(HOST_PATHS.thumbnail('c 1/2'))).toEqual({ kind: 'thumbnail', id: 'c 1/2' });
    expect(parseMediaPath(HOST_PATHS.output('o1'))).toEqual({ kind: 'output', id: 'o1' });
    expect(parseMediaPath(HOST_PATHS.outputThumbnail('o1'))).toEqual({ kind: 'output-thumbnail', id: 'o1' });
  });

  it('ignores other paths and empties malformed ids', () => {
    expect(parseMediaPath('/media/other/x')).toBeNull();
    expect(parseMediaPath('/media/output/a/b')).toBeNull();
    expect(parseMediaPath('/index.html')).toBeNull();
    expect(parseMediaPath('/media/output/%E0%A4%A')).toEqual({ kind: 'output', id: '' });
  });

  it('asks the core for the right file, and nothing for an empty id', async () => {
    const asked: string[] = [];
    const core = {
      thumbnailFile(id: string) {
        asked.push(`thumb:${id}`);
        return `/t/${id}.jpg`;
      },
      outputFile(id: string) {
        asked.push(`out:${id}`);
        return null;
      },
      async outputThumbnailFile(id: string) {
        asked.push(`othumb:${id}`);
        return `/o/${id}.jpg`;
      },
    };
    expect(await mediaFile(core, 'thumbnail', 'a')).toBe('/t/a.jpg');
    expect(await mediaFile(core, 'output', 'b')).toBeNull();
    expect(await mediaFile(core, 'output-thumbnail', 'c')).toBe('/o/c.jpg');
    expect(await mediaFile(core, 'output', '')).toBeNull();
    expect(asked).toEqual(['thumb:a', 'out:b', 'othumb:c']);
  });
});
