// Binds framework-free checks to vitest: one test per check, run concurrently;
// audits (check.audit) run after the others of their suite have ended.
// The check's result travels to the runner's reporter in the test's meta.
import { afterAll, describe, inject, it } from 'vitest';
import { createEnvironment, type CheckEnvironment, type CheckSettings } from '../src/checks/environment.js';
import { selectedChecks, type Check } from '../src/checks/check.js';
import { executeCheck } from '../src/checks/execute.js';
import type { CheckResult } from '../src/generated/schemas.js';
import { SUITES } from './catalog.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pameSettings: CheckSettings;
  }
  export interface TaskMeta {
    pame?: CheckResult;
  }
}

/**
 * Registers the selected checks of one suite of the catalog as vitest tests.
 * Each suite file has an environment of its own, made when its first check
 * starts and closed after its last: a worker runs several files one after
 * another in one module graph (the runner turns isolation off).
 */
export function registerSuite(name: string): void {
  const suite = SUITES.find((s) => s.name === name);
  if (!suite) throw new Error(`no suite ${name} in suites/catalog.ts`);
  const settings = inject('pameSettings');
  const checks = selectedChecks(suite.checks, settings);
  let environment: Promise<CheckEnvironment> | undefined;
  afterAll(async () => (await environment)?.close());
  const register = (check: Check) => {
    const timeout = (check.timeoutMs ?? settings.checkTimeoutMs) + 5_000;
    (check.audit ? it : it.concurrent)(`${check.id} ${check.title}`, { timeout }, async ({ task, skip }) => {
      environment ??= createEnvironment(settings);
      const result = await executeCheck(check, await environment);
      task.meta.pame = result;
      if (result.status === 'skipped') skip(result.message);
      if (result.status === 'failed' || result.status === 'error' || result.status === 'timeout') throw new Error(result.message);
    });
  };
  describe(suite.title, () => {
    // vitest finishes a run of concurrent tests before it starts a sequential test after them.
    checks.filter((check) => !check.audit).forEach(register);
    checks.filter((check) => check.audit).forEach(register);
  });
}
