// Child process of job-write-crash.test.ts: a core in `dataDir` with a 10,000-output project (clips inserted as
// analysed, from one real probed clip), then `jobs.start` with the queue paused. The test SIGKILLs this process
// as soon as a job row is visible in the database file.
import { dirname, join } from 'node:path';
import { probeFile } from '../../engine/probe/probe.ts';
import { createCore } from '../core.ts';
import { dispatch } from '../dispatch.ts';
import { hostPlatform } from '../platform.ts';

const [dataDir, clipFile] = process.argv.slice(2) as [string, string];
const core = createCore({ dataDir, defaultOutputDir: join(dataDir, 'out'), platform: hostPlatform({}, 'linux') });
core.queue.pause();
const info = await probeFile(clipFile);
const call = async (method: string, input: unknown) => {
  const result = await dispatch(core, method as never, input as never);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.output as never;
};
const project: { id: string } = await call('projects.create', { name: 'Big', mode: 'manual' });
const detail: { groups: { id: string }[] } = await call('projects.get', { projectId: project.id });
for (let g = 0; g < 4; g++) {
  const group = detail.groups[g] ?? (await call('groups.create', { projectId: project.id, name: `G${g}` }));
  const clipIds = Array.from(
    { length: 10 },
    (_, k) =>
      core.store.clips.insert(project.id, {
        path: join(dirname(clipFile), `g${g}-${k}.mp4`),
        name: `g${g}-${k}.mp4`,
        hash: `h${g}-${k}`,
        info,
        status: 'ok',
      }).id,
  );
  await call('groups.setClips', { groupId: (group as { id: string }).id, clipIds });
}
await call('projects.update', { projectId: project.id, settings: { count: 10_000 } });
process.stdout.write('starting\n');
await call('jobs.start', { projectId: project.id });
process.stdout.write('started\n');
await core.close();
