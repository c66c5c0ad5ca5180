import { vi } from 'vitest';
import { badHivesOf } from './self-test.js';

// A countersign bad Hive's run mostly waits (PAME-CS-007's 11 s late answer, PAME-CS-017's 8 s, 30 s for a
// relay that never comes) and runs no fuzzing, so twice vitest's 5 at a time share the waits: the file's
// wall time fell by a third with the same CPU.
vi.setConfig({ maxConcurrency: 10 });
badHivesOf('countersign');
