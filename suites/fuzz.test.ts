import { registerSuite } from './harness.js';

registerSuite('fuzz');
