import { registerSuite } from './harness.js';

registerSuite('countersign');
