import { registerSuite } from './harness.js';

registerSuite('addresses');
