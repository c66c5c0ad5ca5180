import { registerSuite } from './harness.js';

registerSuite('ping');
