// Packs build/icon.png into build/icon.ico (Windows) and build/icon.icns (macOS): both formats are a small header
// over PNG images, so a release build needs no icon toolset (electron-builder would download one from GitHub).
// Usage, from the repository root: node scripts/icon/pack-icons.mjs [build/icon.png]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const source = process.argv[2] ?? 'build/icon.png';
const outDir = dirname(source);

function png(size) {
  const args = ['-v', 'error', '-i', source, '-vf', `scale=${size}:${size}:flags=lanczos`];
  return execFileSync('ffmpeg', [...args, '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** ICONDIR, one ICONDIRENTRY per size (0 means 256), then the PNGs. */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/** 'icns' and its length, then one (type, length, PNG) element per size. */
function icns(elements) {
  const parts = elements.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

const sizes = new Map([16, 24, 32, 48, 64, 128, 256, 512, 1024].map((s) => [s, png(s)]));
const at = (size) => sizes.get(size);
writeFileSync(join(outDir, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: at(size) }))));
// Apple's PNG types: icp4/icp5/icp6 16/32/64, ic07..ic10 128..1024, ic11..ic14 the @2x of 16..256.
const types = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];
writeFileSync(join(outDir, 'icon.icns'), icns(types.map(([type, size]) => ({ type, data: at(size) }))));
console.log(`wrote ${join(outDir, 'icon.ico')} and ${join(outDir, 'icon.icns')}`);
