import { registerSuite } from './harness.js';

registerSuite('envelope');
