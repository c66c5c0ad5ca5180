import { registerSuite } from './harness.js';

registerSuite('accounts');
