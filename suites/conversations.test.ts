import { registerSuite } from './harness.js';

registerSuite('conversations');
