import { registerSuite } from './harness.js';

registerSuite('contacts');
