// Child-process entry for the lock test: takes and releases the data-folder lock in a loop, and checks nobody else
// is inside while it holds it. Prints "acquired=<n> overlaps=<n>".
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir } from '../../src/core/lock.ts';

const dir = process.argv[2]!;
const rounds = Number(process.argv[3] ?? 200);
const inside = join(dir, 'inside');
let acquired = 0;
let overlaps = 0;
for (let i = 0; i < rounds; i++) {
  let release: () => void;
  try {
    release = lockDataDir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === 'DATA_DIR_IN_USE') continue;
    throw error;
  }
  acquired++;
  try {
    closeSync(openSync(inside, 'wx'));
    rmSync(inside);
  } catch {
    overlaps++;
  }
  release();
}
process.stdout.write(`acquired=${acquired} overlaps=${overlaps}\n`);
