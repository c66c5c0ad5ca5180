import { registerSuite } from './harness.js';

registerSuite('messaging');
