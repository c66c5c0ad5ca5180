import { registerSuite } from './harness.js';

registerSuite('messages');
