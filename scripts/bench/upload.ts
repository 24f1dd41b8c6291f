// Upload throughput into `vmp serve` on loopback, from real Chromium (the browser build's own upload code path is
// XMLHttpRequest of a File/Blob), against a bare Node server receiving the same bytes to disk in the same run.
// Target: ≥ 100 MB/s into the host, the import after it reported separately. `npm run bench:upload [-- --mb N]`.
/// <reference lib="dom" />
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HOST_PATHS } from '@vmp/shared/api';
import { chromium } from 'playwright-core';
import { startHost } from '../../desktop/src/host/index.ts';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '22' }, runs: { type: 'string', default: '3' } },
});
const MB = Number(values.mb);
const RUNS = Number(values.runs);
const bytes = MB * 1024 * 1024;

const dir = await mkdtemp(join(tmpdir(), 'vmp-bench-upload-'));
// Baseline: a bare server that streams the body to a file and answers, nothing else.
let n = 0;
const bare = createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bare</title>');
    return;
  }
  const out = createWriteStream(join(dir, `bare-${n++}.bin`));
  req.pipe(out);
  out.on('finish', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}/`;

const host = await startHost({ dataDir: join(dir, 'data'), port: 0, token: 'bench-token' });
const { id: projectId } = await host.core['projects.create']({ name: 'Upload bench' });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
const page = await browser.newPage();

/**
 * XHR POSTs of `bytes` (one Blob, made once in the page) to `target`, from the page's origin: total milliseconds, and
 * the milliseconds the server says it spent importing after the bytes were in (Server-Timing "import"; 0 if none).
 */
async function xhrUpload(origin: string, target: string): Promise<Array<{ total: number; import: number }>> {
  await page.goto(origin);
  return page.evaluate(
    async ({ target, bytes, runs }) => {
      const data = new Uint8Array(bytes);
      for (let i = 0; i < bytes; i += 4096) data[i] = (i * 2654435761) >>> 24;
      const blob = new Blob([data], { type: 'application/octet-stream' });
      const times: Array<{ total: number; import: number }> = [];
      for (let r = 0; r < runs; r++) {
        const start = performance.now();
        const timing = await new Promise<string>((resolve, reject) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', `${target}${target.includes('?') ? '&' : '?'}name=bench-${r}.bin`);
          xhr.setRequestHeader('content-type', 'application/octet-stream');
          xhr.upload.onprogress = () => {};
          xhr.onload = () =>
            xhr.status < 300
              ? resolve(xhr.getResponseHeader('server-timing') ?? '')
              : reject(new Error(`HTTP ${xhr.status}: ${xhr.responseText}`));
          xhr.onerror = () => reject(new Error('network error'));
          xhr.send(blob);
        });
        const imported = /import;dur=([\d.]+)/.exec(timing);
        times.push({ total: performance.now() - start, import: imported ? Number(imported[1]) : 0 });
      }
      return times;
    },
    { target, bytes, runs: RUNS },
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (ms: number) => `${(MB / (ms / 1000)).toFixed(0)} MB/s`;
try {
  const baseline = median((await xhrUpload(bareUrl, `${bareUrl}up`)).map((t) => t.total));
  // The page must be the host's (uploads are same-origin only); the token cookie is set by the first visit.
  const target = `${host.url.replace(/\/$/, '')}${HOST_PATHS.upload}?projectId=${projectId}`;
  const runs = await xhrUpload(host.openUrl, target);
  // Transfer: the request's time less the import the host did before answering (its Server-Timing).
  const transfer = median(runs.map((t) => t.total - t.import));
  const imported = median(runs.map((t) => t.import));
  console.log(`upload ${MB} MB from Chromium (XMLHttpRequest of a Blob) over loopback, median of ${RUNS}:`);
  console.log(`  baseline, bare Node server streaming to disk: ${rate(baseline)} (${baseline.toFixed(0)} ms)`);
  console.log(
    `  vmp serve ${HOST_PATHS.upload}, transfer: ${rate(transfer)} (${transfer.toFixed(0)} ms) (target ≥ 100 MB/s)`,
  );
  console.log(`  bare / host transfer time: ${(baseline / transfer).toFixed(2)}x (target ≥ 0.9)`);
  console.log(`  then the import (probe, checks, thumbnail) of a non-video: ${imported.toFixed(0)} ms`);
} finally {
  await browser.close();
  await host.close();
  bare.close();
  await rm(dir, { recursive: true, force: true });
}
