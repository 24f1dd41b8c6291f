import { describe, expect, it } from 'vitest';
import { clipKey, localClipName, outputKey } from './keys.ts';

const hash = 'a'.repeat(64);

describe('farm storage keys', () => {
  it('keys clips by content hash and outputs under their run', () => {
    expect(clipKey(hash)).toBe(`clips/${hash}`);
    expect(outputKey('run1', 'Ad_001.mp4')).toBe('runs/run1/outputs/Ad_001.mp4');
  });

  it("keeps a clip's extension locally, but nothing else of its path", () => {
    expect(localClipName(hash, '/Volumes/Share/a/Clip.MOV')).toBe(`${hash}.mov`);
    expect(localClipName(hash, 'C:\\clips\\b.mp4')).toBe(`${hash}.mp4`);
    expect(localClipName(hash, '/clips/no-extension')).toBe(hash);
    expect(localClipName(hash, '/clips/odd.ext with space')).toBe(hash);
  });
});
