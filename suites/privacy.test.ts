import { registerSuite } from './harness.js';

registerSuite('privacy');
