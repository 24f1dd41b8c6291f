import type { MediaInfo } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import {
  clipFrames,
  clipVideoDuration,
  containScaleExpr,
  coverCropExpr,
  fitGraph,
  frameCount,
  profileKey,
  resolveProfile,
  samplesForFrames,
  videoEncoderArgs,
} from './profile.ts';

function info(partial: Partial<NonNullable<MediaInfo['video']>> & { duration?: number }): MediaInfo {
  const { duration = 2, ...video } = partial;
  return {
    container: 'mp4',
    duration,
    size: 1,
    video: {
      codec: 'h264',
      codedWidth: 640,
      codedHeight: 360,
      width: 640,
      height: 360,
      rotation: 0,
      sar: '1:1',
      fps: 30,
      vfr: false,
      pixFmt: 'yuv420p',
      ...video,
    },
    audio: null,
  };
}

describe('profiles', () => {
  it('maps every output format to its canvas, 30 fps and cover by default', () => {
    expect(resolveProfile()).toEqual({
      format: '9:16',
      width: 1080,
      height: 1920,
      fps: 30,
      fit: 'cover',
      loudness: 'normalize',
    });
    expect(resolveProfile({ format: '1:1' })).toMatchObject({ width: 1080, height: 1080 });
    expect(resolveProfile({ format: '4:5' })).toMatchObject({ width: 1080, height: 1350 });
    expect(resolveProfile({ format: '16:9', fit: 'blur', fps: 25 })).toMatchObject({
      width: 1920,
      height: 1080,
      fps: 25,
      fit: 'blur',
    });
  });

  it('keys the cache by everything that changes the pixels', () => {
    const keys = new Set(
      [
        resolveProfile(),
        resolveProfile({ fit: 'contain' }),
        resolveProfile({ fps: 25 }),
        resolveProfile({ format: '1:1' }),
      ].map(profileKey),
    );
    expect(keys.size).toBe(4);
  });

  it('counts frames and the audio samples that exactly cover them', () => {
    expect(frameCount(1.3, 30)).toBe(39);
    expect(frameCount(0.001, 30)).toBe(1);
    expect(samplesForFrames(39, 30)).toBe(62_400);
    expect(samplesForFrames(25, 25)).toBe(48_000);
    expect(samplesForFrames(1, 60)).toBe(800);
  });

  it('takes a clip length from its video, not from longer audio', () => {
    expect(clipVideoDuration(info({ frames: 45, fps: 30, duration: 2 }))).toBe(1.5);
    expect(clipVideoDuration(info({ frames: 45, fps: 30, vfr: true, duration: 1.6 }))).toBe(1.6);
    expect(clipFrames(info({ frames: 50, fps: 25 }), resolveProfile())).toBe(60);
  });

  it('builds crop and scale expressions from the display aspect ratio', () => {
    expect(coverCropExpr(1080, 1920)).toBe(
      "crop=w='if(gt(dar,1080/1920),min(iw,round(ih*1080/1920/sar)),iw)':h='if(gt(dar,1080/1920),ih,min(ih,round(iw*sar/(1080/1920))))'",
    );
    expect(containScaleExpr(1920, 1080)).toContain('floor(1080*dar/2)*2');
  });

  it('fits each mode to exactly the canvas with square pixels', () => {
    const cover = fitGraph(resolveProfile({ fit: 'cover' }), 'in', 'out');
    // Crop first, then scale only the kept pixels.
    expect(cover).toMatch(/^\[in\]crop=.*,scale=1080:1920,setsar=1\[out\]$/);
    const contain = fitGraph(resolveProfile({ fit: 'contain', format: '1:1' }), 'in', 'out');
    expect(contain).toContain('pad=1080:1080:(ow-iw)/2:(oh-ih)/2:color=black[out]');
    const blur = fitGraph(resolveProfile({ fit: 'blur', format: '16:9' }), 'in', 'out');
    expect(blur).toContain('split=2');
    expect(blur).toContain('boxblur');
    // Blurred at a tenth of the size, then scaled up: cheap.
    expect(blur).toContain('scale=192:108');
    expect(blur).toContain('scale=1920:1080');
    expect(blur).toMatch(/overlay=\(W-w\)\/2:\(H-h\)\/2,setsar=1\[out\]$/);
  });

  it('uses one encoder configuration: closed GOP, no scene-cut keyframes, fixed colour tags', () => {
    const args = videoEncoderArgs(30);
    expect(args).toEqual(expect.arrayContaining(['libx264', 'veryfast', '+cgop', 'yuv420p', 'bt709']));
    expect(args[args.indexOf('-g') + 1]).toBe('60');
    expect(args[args.indexOf('-sc_threshold') + 1]).toBe('0');
  });
});
