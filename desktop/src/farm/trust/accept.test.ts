import { RenderSettings } from '@vmp/shared';
import { UNLICENSED_WATERMARK } from '@vmp/shared/api';
import { describe, expect, it } from 'vitest';
import type { FarmBatch } from '../payload.ts';
import { acceptFarmJob } from './accept.ts';
import { sealJob } from './envelope.ts';
import { farmJobSigner } from './signer.ts';
import { testLicensingServer } from './testing.ts';

const server = testLicensingServer();
const SECRET = 'machine-secret-accept';
const HASH = 'a1'.repeat(32);

const OUT = '/share/out';
const CREATED = new Date('2026-01-01T00:00:00Z').toISOString();

function batch(): FarmBatch {
  return {
    version: 2,
    runId: 'mabc123de4f5',
    outDir: OUT,
    createdAt: CREATED,
    specs: [
      {
        projectName: 'Spring sale',
        combination: { index: 0, clipIds: ['clip-1'], headlines: ['SALE {today}'] },
        sources: [
          {
            id: 'clip-1',
            path: '/share/clips/a.mp4',
            hash: HASH,
            info: {
              container: 'mov,mp4,m4a,3gp,3g2,mj2',
              duration: 2,
              size: 1000,
              video: {
                codec: 'hevc',
                codedWidth: 1920,
                codedHeight: 1080,
                width: 1920,
                height: 1080,
                rotation: 0,
                sar: '1:1',
                fps: 30,
                vfr: false,
                pixFmt: 'yuv420p10le',
                colorSpace: 'bt2020nc',
                colorTransfer: 'arib-std-b67',
                colorPrimaries: 'bt2020',
                colorRange: 'tv',
                fieldOrder: 'progressive',
              },
              audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
            },
            captions: [{ start: 0, end: 1, text: 'HELLO\nWORLD' }],
          },
        ],
        settings: RenderSettings.parse({ watermark: null }),
        outDir: OUT,
        fileName: 'sale-1.mp4',
        createdAt: CREATED,
      },
    ],
    submitter: 'studio-mac:4242',
  };
}

const licensed = async () => farmJobSigner({ lease: await server.lease(SECRET), machineSecret: SECRET });

describe('acceptFarmJob', () => {
  it('accepts what the app makes; a licensed job keeps its settings, an unlicensed one gets the watermark', async () => {
    const a = await acceptFarmJob(await sealJob(batch(), await licensed()), server.jwks);
    expect(a.trust.licensed).toBe(true);
    expect(a.batch.specs[0]!.settings.watermark).toBeNull();
    expect(a.batch.specs[0]!.sources[0]!.captions).toEqual(batch().specs[0]!.sources[0]!.captions);
    const u = await acceptFarmJob(await sealJob(batch(), farmJobSigner(null)), server.jwks);
    expect(u.trust.licensed).toBe(false);
    expect(u.batch.specs[0]!.settings.watermark).toBe(UNLICENSED_WATERMARK);
    expect(u.batch.specs[0]!.combination).toEqual(batch().specs[0]!.combination);
  });

  it('accepts a bucket job whose files are its clips, by the same hashes', async () => {
    const job = {
      ...batch(),
      storage: { url: 's3://vmp-farm/a', files: [{ path: '/share/clips/a.mp4', hash: HASH }] },
    };
    const a = await acceptFarmJob(await sealJob(job, await licensed()), server.jwks);
    expect(a.batch.storage).toEqual(job.storage);
  });

  const spec = ['specs', 0];
  const video = [...spec, 'sources', 0, 'info', 'video'];
  const hostile: [string, (string | number)[], unknown, RegExp][] = [
    [
      'a filter graph in the colour space (the reported injection)',
      [...video, 'colorSpace'],
      '709,signalstats,metadata=mode=print:file=/any/path,zscale=min=709',
      /sources\.0\.info\.video\.colorSpace/,
    ],
    ['a colour transfer nobody knows', [...video, 'colorTransfer'], 'smpte2084:x', /colorTransfer/],
    ['a pixel format with options', [...video, 'pixFmt'], 'yuv420p,drawtext', /pixFmt/],
    ['a sample aspect with a graph', [...video, 'sar'], '1:1[x];[x]null', /sar/],
    ['a frame rate out of range', [...video, 'fps'], 1e12, /fps/],
    ['a traversal in the hash (the reported overwrite)', [...spec, 'sources', 0, 'hash'], 'x/../../../victim2', /hash/],
    ['an upper-case hash', [...spec, 'sources', 0, 'hash'], HASH.toUpperCase(), /hash/],
    ['a relative clip path', [...spec, 'sources', 0, 'path'], 'clips/a.mp4', /path/],
    ['a folder in the file name', [...spec, 'fileName'], '../../etc/cron.d/x', /fileName/],
    ['a hidden file name', [...spec, 'fileName'], '.vmp-farm', /fileName/],
    ['NUL in the watermark', [...spec, 'settings', 'watermark'], 'ok\u0000hidden', /watermark/],
    ['an output naming a clip the job lacks', [...spec, 'combination', 'clipIds'], ['other'], /clipIds/],
    ['a key the worker does not know', ['command'], 'rm -rf /', /command/],
    ['a spec writing to another folder than the batch', [...spec, 'outDir'], '/share/elsewhere', /output folder/],
    ['a NUL in a caption', [...spec, 'sources', 0, 'captions', 0, 'text'], 'a\u0000b', /captions\.0\.text/],
    ['an unknown audio mode', [...spec, 'settings', 'audio', 'mode'], 'pipe', /audio\.mode/],
    ['a relative music path', [...spec, 'settings', 'audio', 'musicPath'], '../music.mp3', /musicPath/],
    // Bucket jobs (farm/remote): the files a worker downloads are named by the same hashes as the clips.
    [
      "a bucket file whose hash is not its clip's",
      ['storage'],
      { url: 's3://vmp-farm/a', files: [{ path: '/share/clips/a.mp4', hash: 'b2'.repeat(32) }] },
      /storage/,
    ],
    [
      'credentials in the bucket URL',
      ['storage'],
      { url: 's3://AKIA:secret@vmp-farm/a', files: [{ path: '/share/clips/a.mp4', hash: HASH }] },
      /storage\.url/,
    ],
    [
      'a traversal in a bucket file hash',
      ['storage'],
      { url: 's3://vmp-farm/a', files: [{ path: '/share/clips/a.mp4', hash: '../../cache/x' }] },
      /storage\.files\.0\.hash/,
    ],
  ];
  /** Sets `value` at `path` inside a batch (what an attacker edits in the job). */
  function patched(path: (string | number)[], value: unknown): unknown {
    const bad = batch() as unknown as Record<string | number, unknown>;
    let at = bad;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1]!] = value;
    return bad;
  }
  it.each(hostile)('refuses %s, naming the field', async (_what, path, value, field) => {
    const bad = patched(path, value);
    for (const signer of [await licensed(), farmJobSigner(null)]) {
      const refused = acceptFarmJob(await sealJob(bad, signer), server.jwks);
      await expect(refused).rejects.toMatchObject({ code: 'FARM_JOB_INVALID', message: expect.stringMatching(field) });
    }
  });
});
