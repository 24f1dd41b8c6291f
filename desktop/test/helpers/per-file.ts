import { afterAll, beforeAll } from 'vitest';

/**
 * A value made before the first test of the file and disposed of after the last. Call the returned function in
 * tests, or in hooks registered after this call, to read it.
 */
export function perFile<T>(
  name: string,
  setup: () => Promise<T> | T,
  teardown: (value: T) => Promise<void> | void,
): () => T {
  let made: { value: T } | undefined;
  beforeAll(async () => {
    made = { value: await setup() };
  });
  afterAll(async () => {
    if (made) await teardown(made.value);
    made = undefined;
  });
  return () => {
    if (!made) throw new Error(`${name}: read it inside a test, once the file's beforeAll hooks have run.`);
    return made.value;
  };
}
