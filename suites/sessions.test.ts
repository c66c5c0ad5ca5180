import { registerSuite } from './harness.js';

registerSuite('sessions');
