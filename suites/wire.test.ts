import { registerSuite } from './harness.js';

registerSuite('wire');
