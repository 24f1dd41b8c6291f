// Imported first by main.tsx. Zod probes `new Function` to speed up object parsing; under the app's CSP
// (no eval) that probe would log a violation. Zod reads this global config when it loads, so set it before.
const holder = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
holder.__zod_globalConfig = { ...holder.__zod_globalConfig, jitless: true };
